package fabbisogni_test

import (
	"testing"

	"github.com/fabbisogni/fabbisogni/internal/testenv"
	"path/filepath"

	"github.com/fabbisogni/fabbisogni"
)

func TestGazetteerLookup(t *testing.T) {
	g, err := fabbisogni.LoadGazetteer(filepath.Join(testenv.SharedData(t), "istat", "Elenco-comuni-italiani.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if g.Len() < 7000 {
		t.Fatalf("only %d municipalities", g.Len())
	}
	tests := []struct {
		name, province, code string
		code2                string // error code expected, if any
	}{
		{"Torino", "", "001272", ""},
		{"TORINO", "", "001272", ""},
		{"Comune di Fossano", "", "004089", ""},
		{"Biella", "BI", "096004", ""},
		{"Sant'Antonino di Susa", "", "001256", ""},
		{"SANT ANTONINO DI SUSA", "", "001256", ""},
		{"Città di Nowhere", "", "", fabbisogni.ENotFound},
		{"Samone", "", "", fabbisogni.EInvalid},
		{"Samone", "TO", "001235", ""},
		{"Samone", "Trento", "022165", ""},
		{"Castro (LE)", "", "075096", ""},
		{"Torino", "CN", "", fabbisogni.EInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name+"/"+tt.province, func(t *testing.T) {
			m, err := g.Lookup(tt.name, tt.province)
			if tt.code2 != "" {
				if fabbisogni.ErrorCode(err) != tt.code2 {
					t.Fatalf("err = %v, want code %s", err, tt.code2)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if m.Code != tt.code {
				t.Fatalf("code = %s (%s), want %s", m.Code, m.Name, tt.code)
			}
		})
	}
}

func TestGazetteerProvince(t *testing.T) {
	g, err := fabbisogni.LoadGazetteer(filepath.Join(testenv.SharedData(t), "istat", "Elenco-comuni-italiani.csv"))
	if err != nil {
		t.Fatal(err)
	}
	for in, want := range map[string]string{"BI": "096", "Biella": "096", "096": "096", "Trivero (BI)": "096", "torino": "001", "CN": "004"} {
		if got, ok := g.Province(in); !ok || got != want {
			t.Errorf("Province(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	if got, ok := g.Province("Atlantide"); ok {
		t.Errorf("Province(Atlantide) = %q", got)
	}
}
