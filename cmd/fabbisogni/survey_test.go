package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/fabbisogni/fabbisogni/internal/testenv"
	"github.com/fabbisogni/fabbisogni/internal/testservers"
	"github.com/fabbisogni/fabbisogni/pipelines"
)

// TestSurveyPull: `fabbisogni survey pull` reads a paginated campaign API
// with a bearer token and publishes the good items to survey.raw and the bad
// one to the dead-letter topic, naming its position.
func TestSurveyPull(t *testing.T) {
	item := func(name, piva, person string) map[string]any {
		return map[string]any{
			"Ragione sociale": name, "Partita IVA": piva, "Codice ATECO": "28.41.00", "Comune / Sede operativa": "Torino",
			"Esito contatto": "raggiunto", "Data contatto": "5 ottobre 2026", "Canale": "Telefono",
			"Figura professionale ricercata": "Addetto al montaggio", "N. assunzioni previste": "2", "Entro quando / Periodo": "Entro 3 mesi",
			"Referente": person, "Telefono": "+39 011 192 5139",
		}
	}
	pages := [][]map[string]any{
		{item("Sella Torneria Srl", "85388540016", "Settimio Gianoglio"), item("Errata Srl", "12345678901", "Mario Rossi")},
		{item("Barbero Filati Soc. Coop.", "45797780967", "Loredana Brusasco")},
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer s3cret" {
			http.Error(w, "no", http.StatusUnauthorized)
			return
		}
		p := 0
		if r.URL.Query().Get("page") == "2" {
			p = 1
		}
		body := map[string]any{"data": pages[p], "has_more": p == 0}
		json.NewEncoder(w).Encode(body)
	}))
	defer srv.Close()
	t.Setenv("FABBISOGNI_SURVEY_TOKEN", "s3cret")
	brokers := testservers.Broker(t)
	var stdout, stderr bytes.Buffer
	code := Main(t.Context(), []string{"survey", "pull", "--url", srv.URL + "/campagna", "--brokers", strings.Join(brokers, ","),
		"--data", testenv.SharedData(t), "--rejects", t.TempDir(), "--log-level", "warn"}, &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
	if !strings.Contains(stdout.String(), "items 3, accepted 2, rejected 1") {
		t.Fatalf("output %q", stdout.String())
	}
	lag, err := pipelines.Lag(t.Context(), brokers, pipelines.GroupExtract, pipelines.TopicSurveyRaw)
	if err != nil || lag != 2 {
		t.Fatalf("survey.raw holds %d records (%v), want 2", lag, err)
	}
	dls, err := pipelines.ReadDeadLetters(t.Context(), brokers, 10)
	if err != nil || len(dls) != 1 || !strings.Contains(dls[0].Reason, "12345678901") && !strings.Contains(dls[0].Reason, "IVA") {
		t.Fatalf("dead letters %+v (%v), want the bad partita IVA", dls, err)
	}
	if strings.Contains(dls[0].Reason+dls[0].Value, "Mario Rossi") {
		t.Fatalf("the dead letter carries the contact person's name: %+v", dls[0])
	}
}
