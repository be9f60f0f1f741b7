package survey_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/fabbisogni/fabbisogni"
	"github.com/fabbisogni/fabbisogni/survey"
)

// An export with a preamble, a firm with two needs (the second under blank
// firm cells), a firm that refused, and a bad partita IVA. The contact
// person's name, phone and e-mail do not come out.
func ExampleImporter_Import() {
	// Reference data as the user downloads it from ISTAT (../shared/data in
	// development).
	gaz, err := fabbisogni.LoadGazetteer("../../shared/data/istat/Elenco-comuni-italiani.csv")
	if err != nil {
		fmt.Println(err)
		return
	}
	ateco, err := survey.LoadATECO("../../shared/data/istat/ateco2007-2022.xml")
	if err != nil {
		fmt.Println(err)
		return
	}
	cfg := survey.DefaultConfig()
	cfg.Campaign = "autunno-2026"
	cfg.Gazetteer, cfg.ATECO = gaz, ateco
	cfg.Now = func() time.Time { return time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC) }
	im, err := survey.NewImporter(cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	export := `Campagna fabbisogni autunno 2026
Ragione sociale;Partita IVA;Codice ATECO;Comune / Sede operativa;Esito contatto;Data contatto;Canale;Figura professionale ricercata;N. assunzioni previste;Entro quando / Periodo;Competenze richieste;Referente;Telefono;Email
Rossi Meccanica S.r.l.;12345678903;29.32.09;Moncalieri (TO);Raggiunta;2 settembre 2026;Tel.;Operatore CNC;2;entro 3 mesi;lettura disegno, CNC Fanuc (chiedere a Rodolfo Tubaldo);Rodolfo Tubaldo;011 555 0101;r.tubaldo@example.it
;;;;;;;Saldatore;1;6-12 mesi;saldatura TIG;;;
Lanificio Alfa SpA;01234567897;13.20.00;Biella;Non interessata;03/09/2026;Telefono;;;;;Clelia Nervo;015 555 0202;
Tessitura Beta srl;01234567890;13.20.00;Cossato;Raggiunta;04/09/2026;Email;Tessitore;3;subito;;;;
`
	st, err := im.Import(context.Background(), "esempio.csv", strings.NewReader(export),
		func(_ context.Context, r fabbisogni.SurveyRecord) error {
			fmt.Printf("%s %s %s %s %s\n", r.Firm.ID, r.Firm.Name, r.Firm.MunicipalityCode, r.Firm.District, r.Contact.Outcome)
			for _, n := range r.Needs {
				fmt.Printf("  %d x %s, %s: %s\n", n.Hires, n.OccupationText, n.Horizon, n.SkillsText)
			}
			return nil
		},
		func(e survey.RowError) { fmt.Fprintln(os.Stdout, e) })
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("rows %d, accepted %d, rejected %d, needs %d\n", st.Rows, st.Accepted, st.Rejected, st.Needs)
	// Output:
	// 12345678903 ROSSI MECCANICA SRL 001156 torino-automotive reached
	//   2 x Operatore CNC, within_3m: lettura disegno, CNC Fanuc (chiedere a [nome])
	// 12345678903 ROSSI MECCANICA SRL 001156 torino-automotive reached
	//   1 x Saldatore, 3_12m: saldatura TIG
	// 01234567897 LANIFICIO ALFA SPA 096004 biella-tessile refused
	// survey: esempio.csv row 6 column "Partita IVA" value "01234567890": partita IVA check digit is wrong
	// rows 4, accepted 3, rejected 1, needs 2
}
