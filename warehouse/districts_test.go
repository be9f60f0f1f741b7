package warehouse_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fabbisogni/fabbisogni"
	"github.com/fabbisogni/fabbisogni/internal/testenv"
	"github.com/fabbisogni/fabbisogni/warehouse"
)

func istatPath(t *testing.T) string {
	return filepath.Join(testenv.SharedData(t), "istat", "Elenco-comuni-italiani.csv")
}

func TestLoadShippedDistricts(t *testing.T) {
	ds, err := warehouse.LoadDistricts(filepath.Join(testenv.ModuleRoot(t), "configs", "districts.json"), istatPath(t))
	if err != nil {
		t.Fatal(err)
	}
	def := fabbisogni.DefaultDistricts()
	for i := range def {
		if ds[i].Name != def[i].Name || strings.Join(ds[i].ATECOPrefixes, ",") != strings.Join(def[i].ATECOPrefixes, ",") {
			t.Errorf("district %d = %+v, want the default %+v", i, ds[i], def[i])
		}
	}
	// 107 provinces today; the three named districts shadow none of the fallbacks' names
	if n := len(ds) - len(def); n < 100 || n > 112 {
		t.Fatalf("%d province fallbacks, want about 107", n)
	}
	for _, tc := range []struct{ municipality, want string }{
		{"001272", "torino-automotive"},    // Torino
		{"096004", "biella-tessile"},       // Biella
		{"004089", "cuneo-agroalimentare"}, // Fossano
		{"015146", "prov-mi"},              // Milano
		{"058091", "prov-rm"},              // Roma
		{"999999", ""},
	} {
		if got := ds.Locate(tc.municipality, ""); got != tc.want {
			t.Errorf("Locate(%s) = %q, want %q", tc.municipality, got, tc.want)
		}
	}
	if d, ok := warehouse.District(ds, "prov-to"); !ok || d.Label != "Provincia di Torino" {
		t.Errorf("prov-to = %+v, %v", d, ok)
	}
}

func TestLoadDistrictsErrors(t *testing.T) {
	for _, tc := range []struct{ name, json, want string }{
		{"syntax", `{"districts": [`, "unexpected EOF"},
		{"unknown field", `{"districs": []}`, "unknown field"},
		{"no name", `{"districts": [{"provinces": ["001"]}]}`, "district 1: district: missing name"},
		{"no place", `{"districts": [{"name": "x"}]}`, "no municipalities or provinces"},
		{"bad province", `{"districts": [{"name": "x", "provinces": ["1"]}]}`, `province code "1"`},
		{"bad municipality", `{"districts": [{"name": "x", "municipalities": ["00127"]}]}`, `municipality code "00127"`},
		{"bad ateco", `{"districts": [{"name": "x", "provinces": ["001"], "ateco_prefixes": ["C29"]}]}`, `ATECO prefix "C29"`},
		{"twice", `{"districts": [{"name": "x", "provinces": ["001"]}, {"name": "x", "provinces": ["002"]}]}`, `district 2: name "x" used twice`},
		{"empty", `{"districts": []}`, "no districts"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "d.json")
			if err := os.WriteFile(p, []byte(tc.json), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := warehouse.LoadDistricts(p, "")
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), p) {
				t.Fatalf("err %v, want it to name %s and say %q", err, p, tc.want)
			}
		})
	}
}

func TestReadProvinces(t *testing.T) {
	f, err := os.Open(istatPath(t))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ps, err := warehouse.ReadProvinces(f)
	if err != nil {
		t.Fatal(err)
	}
	if ps[0].Code != "001" || ps[0].Abbr != "TO" || ps[0].Name != "Torino" || ps[0].Region != "Piemonte" {
		t.Errorf("first province %+v", ps[0])
	}
}
