package crawl

import (
	"net/url"
	"strings"

	"github.com/PuerkitoBio/goquery"
	xhtml "golang.org/x/net/html"
)

// microdataPostings reads schema.org JobPosting items written as HTML
// microdata (itemscope / itemtype / itemprop), nested items included.
func microdataPostings(doc *goquery.Document, base *url.URL) []posting {
	var out []posting
	doc.Find("[itemscope][itemtype]").Each(func(_ int, s *goquery.Selection) {
		t, _ := s.Attr("itemtype")
		if !typeNamed(t, "JobPosting") {
			return
		}
		// Skip a JobPosting nested in another one's property.
		for p := s.Nodes[0].Parent; p != nil; p = p.Parent {
			if hasAttr(p, "itemscope") && typeNamed(attr(p, "itemtype"), "JobPosting") {
				return
			}
		}
		m := microdataItem(s.Nodes[0], base, 0)
		p := postingFromMap(m, func(v any) any { return v })
		p.via = "microdata"
		out = append(out, p)
	})
	return out
}

func typeNamed(itemtype, name string) bool {
	for _, t := range strings.Fields(itemtype) {
		t = strings.TrimSuffix(t, "/")
		if i := strings.LastIndexByte(t, '/'); i >= 0 {
			t = t[i+1:]
		}
		if strings.EqualFold(t, name) {
			return true
		}
	}
	return false
}

func attr(n *xhtml.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasAttr(n *xhtml.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}

// microdataItem builds the property map of the item rooted at n, in the
// shape JSON-LD decodes to, so one mapping serves both.
func microdataItem(n *xhtml.Node, base *url.URL, depth int) map[string]any {
	m := map[string]any{}
	if t := strings.Fields(attr(n, "itemtype")); len(t) > 0 {
		m["@type"] = t[0]
	}
	if depth > 16 {
		return m
	}
	add := func(name string, v any) {
		if old, ok := m[name]; ok {
			if a, ok := old.([]any); ok {
				m[name] = append(a, v)
			} else {
				m[name] = []any{old, v}
			}
			return
		}
		m[name] = v
	}
	var walk func(c *xhtml.Node)
	walk = func(c *xhtml.Node) {
		for ; c != nil; c = c.NextSibling {
			if c.Type != xhtml.ElementNode {
				continue
			}
			props := strings.Fields(attr(c, "itemprop"))
			scoped := hasAttr(c, "itemscope")
			if len(props) > 0 {
				var v any
				if scoped {
					v = microdataItem(c, base, depth+1)
				} else {
					v = microdataValue(c, base)
				}
				for _, p := range props {
					add(p, v)
				}
			}
			if !scoped { // a nested item's properties are its own
				walk(c.FirstChild)
			}
		}
	}
	walk(n.FirstChild)
	return m
}

// microdataValue is the value of a property element per the HTML spec.
func microdataValue(n *xhtml.Node, base *url.URL) string {
	switch n.Data {
	case "meta":
		return strings.TrimSpace(attr(n, "content"))
	case "a", "link", "area":
		return resolveRef(base, attr(n, "href"))
	case "img", "audio", "video", "source", "iframe", "embed":
		return resolveRef(base, attr(n, "src"))
	case "object":
		return resolveRef(base, attr(n, "data"))
	case "data", "meter":
		return strings.TrimSpace(attr(n, "value"))
	case "time":
		if d := attr(n, "datetime"); d != "" {
			return strings.TrimSpace(d)
		}
	}
	if c := attr(n, "content"); c != "" {
		return strings.TrimSpace(c)
	}
	return nodesText(goquery.NewDocumentFromNode(n).Selection)
}

func resolveRef(base *url.URL, ref string) string {
	ref = strings.TrimSpace(ref)
	if base == nil || ref == "" {
		return ref
	}
	u, err := base.Parse(ref)
	if err != nil {
		return ref
	}
	return u.String()
}
