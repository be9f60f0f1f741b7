package nlp

import "testing"

// Clauses of a posting that are not about the job: a skill label inside one
// is not asked of the worker, and the same label asked in the job's own
// sentences is kept.
func TestClausesNotAboutTheJob(t *testing.T) {
	e := MustExtractor(t)
	eeo := "We are looking for a warehouse operative to pick and pack orders. We are an equal opportunity employer and " +
		"all qualified applicants will receive consideration without regard to race, religion, pregnancy, age or disability."
	privacy := "Per azienda cliente ricerchiamo impiegata amministrativa. La ricerca è rivolta a candidati di entrambi i " +
		"sessi ai sensi delle leggi 903/77 e 125/91. Leggere l'informativa privacy ai sensi del Regolamento UE 2016/679 (GDPR)."
	for _, c := range []struct {
		title, text, label string
		want               bool
	}{
		// equal-opportunity and privacy clauses
		{"Warehouse operative", eeo, "pregnancy", false},
		{"Warehouse operative", eeo, "pick orders for dispatching", true},
		{"Impiegata amministrativa", privacy, "GDPR", false},
		{"Addetta contabilità", "Registrazione fatture. Si valutano candidature senza distinzioni di sesso e di età, nel rispetto del GDPR.", "GDPR", false},
		// a job-centre notice asking for the regulation, and "informativa"
		// as a task, are not notices
		{"Impiegata", "ATTIVITA' DI AMMINISTRAZIONE - ATTIVITA' IN AMBITO GDPR E DATA ENTRY", "GDPR", true},
		{"Impiegata", "Conoscenza del GDPR e della normativa privacy. Informativa al pubblico sui servizi.", "GDPR", true},
		// how the firm hires, against recruitment as a duty
		{"Clerk", "Office clerk for our Torino site. The recruitment process includes two interviews.", "recruit employees", false},
		{"HR assistant", "You will handle recruitment of seasonal staff and keep personnel files.", "recruit employees", true},
		// the language to apply in, against the language asked
		{"Warehouse operative", "Pick and pack orders. Send your CV in English to the site manager.", "English", false},
		{"Warehouse operative", "Pick and pack orders. Good spoken English. Apply online.", "English", true},
		{"Receptionist", "Accoglienza clienti. Richiesta conoscenza dell'inglese. Inviare il curriculum in inglese.", "English", true},
		// the subject of a department's name, against the subject known
		{"Laboratory technician", "The group belongs to the Department of Biotechnology and Biomedicine. You will prepare samples.", "biotechnology", false},
		{"Laboratory technician", "You hold a degree and know biotechnology well. You will prepare samples.", "biotechnology", true},
		// what the firm is or does, unless ESCO relates it to the coded job
		// (the care a home-care firm gives is its carers' task)
		{"Warehouse operative", "Our company is the leading maker of electronic lock systems. You will pick and pack orders.", "electronic locks", false},
		{"Warehouse operative", "You will pick and pack orders of electronic lock systems.", "electronic locks", true},
		{"Home care assistant", "We support older people to live independently in their own homes. Shifts across Bolton.", "tend to elderly people", true},
	} {
		wantSkill(t, e, c.title, c.text, c.label, c.want)
	}
}
