package survey_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fabbisogni/fabbisogni"
	"github.com/fabbisogni/fabbisogni/survey"
)

// campaignAPI serves 7 items in pages of 3 behind a bearer token; the first
// request of every page fails (503, then 429 on page 2) so every page needs
// a retry. The fifth item has a bad partita IVA.
func campaignAPI(t *testing.T, token string, style string) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	items := []map[string]any{
		{"id": "A1", "Ragione sociale": "Rossi Meccanica srl", "Partita IVA": "12345678903", "Codice ATECO": "29.32.09", "Comune": "Rivoli", "Provincia": "TO", "Esito contatto": "Raggiunta", "Data contatto": "2026-09-02", "Canale": "telefono", "Referente": "Ermanno Scaglione", "Telefono": "011 555 0199",
			"needs": []any{
				map[string]any{"Figura professionale": "Operatore CNC", "N. assunzioni": 2, "Periodo": "entro 3 mesi", "Competenze richieste": "CNC Fanuc; chiedere a Ermanno Scaglione"},
				map[string]any{"Figura professionale": "Manutentore", "N. assunzioni": "1", "Periodo": "6-12 mesi"},
			}},
		{"id": "A2", "Ragione sociale": "Lanificio Alfa spa", "Partita IVA": "01234567897", "Comune": "Biella", "Esito contatto": "Non risponde", "Data contatto": "03/09/2026"},
		{"id": "A3", "Ragione sociale": "Caseificio Beta", "Partita IVA": "00743110157", "Comune": "Fossano", "Esito contatto": "Raggiunta", "Data contatto": "4 settembre 2026", "Figura professionale ricercata": "Casaro", "N. assunzioni previste": 1, "Entro quando / Periodo": "subito"},
		{"id": "A4", "Ragione sociale": "Tessitura Gamma", "Partita IVA": "02345678904", "Comune": "Cossato", "Esito contatto": "Rifiuta", "Data contatto": "2026-09-05"},
		{"id": "A5", "Ragione sociale": "Errata srl", "Partita IVA": "12345678900", "Comune": "Torino", "Esito contatto": "Raggiunta", "Data contatto": "2026-09-05"},
		{"id": "A6", "Ragione sociale": "Frutta Delta", "Partita IVA": "03456789019", "Comune": "Saluzzo", "Esito contatto": "Da richiamare", "Data contatto": "2026-09-06"},
		{"id": "A7", "Ragione sociale": "Stampaggi Epsilon", "Partita IVA": "04567890126", "Comune": "Grugliasco", "Esito contatto": "Raggiunta", "Data contatto": "2026-09-07", "Figura professionale": "Attrezzista", "N. assunzioni": "3", "Periodo": "Q1 2027"},
	}
	var calls atomic.Int32
	failed := map[int]bool{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		if r.Header.Get("Authorization") != "Bearer "+token {
			http.Error(w, "no", http.StatusUnauthorized)
			return
		}
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		size, _ := strconv.Atoi(r.URL.Query().Get("page_size"))
		if page < 1 || size < 1 {
			http.Error(w, "bad page", http.StatusBadRequest)
			return
		}
		if !failed[page] {
			failed[page] = true
			if page == 2 {
				w.Header().Set("Retry-After", "0")
				http.Error(w, "slow down", http.StatusTooManyRequests)
			} else {
				http.Error(w, "busy", http.StatusServiceUnavailable)
			}
			return
		}
		lo, hi := (page-1)*size, page*size
		lo, hi = min(lo, len(items)), min(hi, len(items))
		w.Header().Set("Content-Type", "application/json")
		switch style {
		case "next":
			body := map[string]any{"data": items[lo:hi]}
			if hi < len(items) {
				body["next"] = fmt.Sprintf("?page=%d&page_size=%d", page+1, size)
			}
			json.NewEncoder(w).Encode(body)
		case "array":
			json.NewEncoder(w).Encode(items[lo:hi])
		}
	}))
	t.Cleanup(srv.Close)
	return srv, &calls
}

func TestPull(t *testing.T) {
	for _, style := range []string{"next", "array"} {
		t.Run(style, func(t *testing.T) {
			srv, calls := campaignAPI(t, "s3cret", style)
			cfg := survey.DefaultPullConfig()
			cfg.URL, cfg.Token, cfg.PageSize, cfg.Backoff = srv.URL+"/api/campagne/autunno/contatti", "s3cret", 3, time.Millisecond
			var recs []fabbisogni.SurveyRecord
			var rejects []survey.RowError
			st, err := MustImporter(t).Pull(context.Background(), cfg, func(_ context.Context, r fabbisogni.SurveyRecord) error {
				recs = append(recs, r)
				return nil
			}, func(e survey.RowError) { rejects = append(rejects, e) })
			if err != nil {
				t.Fatal(err)
			}
			want := survey.Stats{Rows: 7, Accepted: 6, Rejected: 1, Needs: 4}
			if st != want {
				t.Errorf("stats %+v, want %+v", st, want)
			}
			if len(rejects) != 1 || rejects[0].Row != 5 || rejects[0].Column != "Partita IVA" || !strings.Contains(rejects[0].File, "/api/campagne/autunno/contatti") {
				t.Errorf("rejects %v", rejects)
			}
			// 3 pages (the array style asks a 4th, empty one), each failing once.
			pages := 3
			if style == "array" {
				pages = 4
			}
			if got := int(calls.Load()); got != 2*pages {
				t.Errorf("%d requests, want %d", got, 2*pages)
			}
			first := recs[0]
			if first.Firm.MunicipalityCode != "001219" || first.Firm.District != "torino-automotive" || len(first.Needs) != 2 {
				t.Errorf("first record %+v", first)
			}
			if s := first.Needs[0].SkillsText; strings.Contains(s, "Scaglione") || first.Needs[0].Hires != 2 {
				t.Errorf("need %+v", first.Needs[0])
			}
			if first.Provenance.URL == "" || first.Provenance.Row != 1 {
				t.Errorf("provenance %+v", first.Provenance)
			}
		})
	}
}

func TestPullBadToken(t *testing.T) {
	srv, calls := campaignAPI(t, "s3cret", "next")
	cfg := survey.DefaultPullConfig()
	cfg.URL, cfg.Token, cfg.Backoff = srv.URL, "wrong", time.Millisecond
	_, err := MustImporter(t).Pull(context.Background(), cfg, func(context.Context, fabbisogni.SurveyRecord) error { return nil }, nil)
	if err == nil || !strings.Contains(err.Error(), "token refused") {
		t.Errorf("err = %v, want token refused", err)
	}
	if calls.Load() != 1 {
		t.Errorf("%d requests, want 1 (a refused token is not retried)", calls.Load())
	}
	if s := fmt.Sprint(cfg.LogValue()); strings.Contains(s, "wrong") {
		t.Errorf("token in log value %s", s)
	}
}

func TestPullGivesUp(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		http.Error(w, "down", http.StatusBadGateway)
	}))
	defer srv.Close()
	cfg := survey.DefaultPullConfig()
	cfg.URL, cfg.MaxRetries, cfg.Backoff = srv.URL, 2, time.Millisecond
	_, err := MustImporter(t).Pull(context.Background(), cfg, func(context.Context, fabbisogni.SurveyRecord) error { return nil }, nil)
	if err == nil || !strings.Contains(err.Error(), "after 3 attempts") {
		t.Errorf("err = %v", err)
	}
	if calls.Load() != 3 {
		t.Errorf("%d requests, want 3", calls.Load())
	}
}
