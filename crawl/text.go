package crawl

import (
	"fmt"
	"html"
	"regexp"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"
	xhtml "golang.org/x/net/html"
)

// blockTags end a line of text before and after them.
var blockTags = map[string]bool{
	"p": true, "div": true, "br": true, "li": true, "ul": true, "ol": true, "dl": true, "dt": true, "dd": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true, "section": true, "article": true,
	"header": true, "footer": true, "aside": true, "nav": true, "main": true, "table": true, "tr": true,
	"blockquote": true, "pre": true, "hr": true, "form": true, "fieldset": true, "address": true, "figure": true,
	"figcaption": true, "details": true, "summary": true, "tbody": true, "thead": true,
}

// skipTags hold no readable text.
var skipTags = map[string]bool{"script": true, "style": true, "noscript": true, "template": true, "svg": true, "iframe": true, "head": true, "button": true}

// nodesText renders the selection as clean text: one line per paragraph,
// heading or list item (items prefixed "- "), table cells separated by " | ",
// spaces collapsed, no empty lines.
func nodesText(sel *goquery.Selection) string {
	var lines []string
	var cur strings.Builder
	flush := func() {
		line := strings.Join(strings.Fields(cur.String()), " ")
		if line != "" && line != "-" {
			lines = append(lines, line)
		}
		cur.Reset()
	}
	var walk func(n *xhtml.Node)
	walk = func(n *xhtml.Node) {
		switch n.Type {
		case xhtml.TextNode:
			cur.WriteString(n.Data)
			return
		case xhtml.ElementNode:
			if skipTags[n.Data] {
				return
			}
			if n.Data == "td" || n.Data == "th" {
				if strings.TrimSpace(cur.String()) != "" {
					cur.WriteString(" | ")
				}
			}
			if blockTags[n.Data] {
				flush()
			}
			if n.Data == "li" {
				cur.WriteString("- ")
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if n.Type == xhtml.ElementNode && blockTags[n.Data] {
			flush()
		}
	}
	for _, n := range sel.Nodes {
		walk(n)
	}
	flush()
	return strings.Join(lines, "\n")
}

var tagLike = regexp.MustCompile(`(?i)</?(p|br|ul|ol|li|div|h[1-6]|strong|b|em|i|span|table|tr|td)\b[^>]*>`)

// richText turns a JSON-LD description (HTML, escaped HTML or plain text)
// into clean text.
func richText(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	if !tagLike.MatchString(s) && strings.Contains(s, "&lt;") {
		s = html.UnescapeString(s) // HTML escaped twice, seen on real boards
	}
	if tagLike.MatchString(s) {
		doc, err := goquery.NewDocumentFromReader(strings.NewReader("<body>" + s + "</body>"))
		if err == nil {
			return nodesText(doc.Find("body"))
		}
	}
	s = html.UnescapeString(s)
	var lines []string
	for _, l := range strings.Split(strings.ReplaceAll(s, "\r", ""), "\n") {
		l = strings.Join(strings.Fields(l), " ")
		if l != "" {
			if strings.HasPrefix(l, "• ") || strings.HasPrefix(l, "* ") || strings.HasPrefix(l, "· ") {
				l = "- " + strings.TrimSpace(l[strings.IndexByte(l, ' '):])
			}
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "\n")
}

// inlineText is the text of a selection on one line.
func inlineText(sel *goquery.Selection) string {
	return strings.Join(strings.Fields(nodesText(sel)), " ")
}

// splitSelector separates "css@attr" into its parts.
func splitSelector(s string) (css, attr string) {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexByte(s, '@'); i >= 0 && !strings.ContainsAny(s[i:], "]) ") {
		return strings.TrimSpace(s[:i]), strings.TrimSpace(s[i+1:])
	}
	return s, ""
}

// checkSelector compiles the CSS part: goquery silently matches nothing on
// an invalid selector, so a typo in the sources file is caught here.
func checkSelector(s string) error {
	if s == "" {
		return nil
	}
	css, _ := splitSelector(s)
	if css == "" {
		return fmt.Errorf("selector %q: empty CSS part", s)
	}
	if _, err := cascadia.ParseGroup(css); err != nil {
		return fmt.Errorf("selector %q: %v", s, err)
	}
	return nil
}

// selectText returns the text (or attribute) of the first match of sel, or
// "" when sel is empty or matches nothing.
func selectText(doc *goquery.Selection, sel string) string {
	if sel == "" {
		return ""
	}
	css, attr := splitSelector(sel)
	m := doc.Find(css).First()
	if m.Length() == 0 {
		return ""
	}
	if attr != "" {
		v, _ := m.Attr(attr)
		return strings.TrimSpace(v)
	}
	return inlineText(m)
}

// selectAll returns the text (or attribute) of every match.
func selectAll(doc *goquery.Selection, sel string) []string {
	if sel == "" {
		return nil
	}
	css, attr := splitSelector(sel)
	var out []string
	doc.Find(css).Each(func(_ int, m *goquery.Selection) {
		var v string
		if attr != "" {
			v, _ = m.Attr(attr)
			v = strings.TrimSpace(v)
		} else {
			v = inlineText(m)
		}
		if v != "" {
			out = append(out, v)
		}
	})
	return out
}
