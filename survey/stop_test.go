package survey_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/fabbisogni/fabbisogni"
	"github.com/fabbisogni/fabbisogni/internal/testenv"
	"github.com/fabbisogni/fabbisogni/survey"
)

// An emit failure (Kafka down) stops the import with an error naming the
// row; the stats count what went before.
func TestImportEmitError(t *testing.T) {
	path := testenv.Corpus(t, "survey", "campagna-autunno-2026.csv")
	boom := errors.New("broker unavailable")
	n := 0
	st, err := MustImporter(t).ImportFile(context.Background(), path, func(context.Context, fabbisogni.SurveyRecord) error {
		if n++; n == 10 {
			return boom
		}
		return nil
	}, nil)
	if !errors.Is(err, boom) || !strings.Contains(err.Error(), "campagna-autunno-2026.csv") || !strings.Contains(err.Error(), "row ") {
		t.Errorf("err = %v", err)
	}
	if st.Accepted != 9 {
		t.Errorf("accepted %d before the failure, want 9", st.Accepted)
	}
}

func TestImportCancel(t *testing.T) {
	path := testenv.Corpus(t, "survey", "corpus", "campagna-2026-tre-distretti.xlsx")
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	_, err := MustImporter(t).ImportFile(ctx, path, func(context.Context, fabbisogni.SurveyRecord) error {
		if n++; n == 5 {
			cancel()
		}
		return nil
	}, nil)
	if !errors.Is(err, context.Canceled) || n != 5 {
		t.Errorf("err = %v after %d records", err, n)
	}
}

func TestImportProgress(t *testing.T) {
	gaz, at := reference(t)
	cfg := survey.DefaultConfig()
	cfg.Gazetteer, cfg.ATECO = gaz, at
	cfg.Now = func() time.Time { return fixedNow }
	var got []survey.Progress
	cfg.Progress = func(p survey.Progress) { got = append(got, p) }
	im, err := survey.NewImporter(cfg)
	if err != nil {
		t.Fatal(err)
	}
	_, _, st := importAll(t, im, testenv.Corpus(t, "survey", "corpus", "campagna-2026-tre-distretti.csv"))
	if len(got) == 0 {
		t.Fatal("no progress")
	}
	last := got[len(got)-1]
	if !last.Done || last.Rows != st.Rows || last.Size == 0 || last.Read != last.Size {
		t.Errorf("last progress %+v, stats %+v", last, st)
	}
}

// A partita IVA that a spreadsheet wrote in scientific notation is read
// back as digits; one that lost its leading zero gets a hint.
func TestImportSpreadsheetNumbers(t *testing.T) {
	body := "Ragione sociale;Partita IVA;Comune;Esito contatto;Data contatto\n" +
		"Alfa srl;1.2345678903E+10;Torino;Raggiunta;2026-09-02\n" +
		"Beta srl;1234567897;Biella;Raggiunta;2026-09-02\n"
	var recs []fabbisogni.SurveyRecord
	var rejects []survey.RowError
	_, err := MustImporter(t).Import(context.Background(), "numeri.csv", strings.NewReader(body), func(_ context.Context, r fabbisogni.SurveyRecord) error {
		recs = append(recs, r)
		return nil
	}, func(e survey.RowError) { rejects = append(rejects, e) })
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 || recs[0].Firm.ID != "12345678903" {
		t.Errorf("records %+v", recs)
	}
	if len(rejects) != 1 || !strings.Contains(rejects[0].Reason, "leading zeros") {
		t.Errorf("rejects %v", rejects)
	}
}
