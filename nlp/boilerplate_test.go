package nlp

import "testing"

// A skill label inside an equal-opportunity or privacy clause is not asked
// of the worker; the same label asked in the job's own sentences is kept.
func TestBoilerplateClauses(t *testing.T) {
	e := MustExtractor(t)
	eeo := "We are looking for a warehouse operative to pick and pack orders. We are an equal opportunity employer and " +
		"all qualified applicants will receive consideration without regard to race, religion, pregnancy, age or disability."
	wantSkill(t, e, "Warehouse operative", eeo, "pregnancy", false)
	wantSkill(t, e, "Warehouse operative", eeo, "pack goods", true)
	privacy := "Per azienda cliente ricerchiamo impiegata amministrativa. La ricerca è rivolta a candidati di entrambi i " +
		"sessi ai sensi delle leggi 903/77 e 125/91. Leggere l'informativa privacy ai sensi del Regolamento UE 2016/679 (GDPR)."
	wantSkill(t, e, "Impiegata amministrativa", privacy, "GDPR", false)
	// a job-centre notice asking for the regulation, and "informativa" as
	// a task, are not notices
	wantSkill(t, e, "Impiegata", "ATTIVITA' DI AMMINISTRAZIONE - ATTIVITA' IN AMBITO GDPR E DATA ENTRY", "GDPR", true)
	wantSkill(t, e, "Impiegata", "Conoscenza del GDPR e della normativa privacy. Informativa al pubblico sui servizi.", "GDPR", true)
}

// "recruitment process" and "recruitment partner" name how the firm hires;
// recruitment as a duty of the job is the skill.
func TestHiringProcessNotASkill(t *testing.T) {
	e := MustExtractor(t)
	wantSkill(t, e, "Clerk", "Office clerk for our Torino site. The recruitment process includes two interviews.", "recruit employees", false)
	wantSkill(t, e, "HR assistant", "You will handle recruitment of seasonal staff and keep personnel files.", "recruit employees", true)
}

// A language after "in" in a sentence about the application is the
// language to apply in; asked in the job's own sentences it is a skill.
func TestApplicationLanguage(t *testing.T) {
	e := MustExtractor(t)
	wantSkill(t, e, "Warehouse operative", "Pick and pack orders. Send your CV in English to the site manager.", "English", false)
	wantSkill(t, e, "Warehouse operative", "Pick and pack orders. Good spoken English. Apply online.", "English", true)
	wantSkill(t, e, "Receptionist", "Accoglienza clienti. Richiesta conoscenza dell'inglese. Inviare il curriculum in inglese.", "English", true)
}

// The subject in a department's or institute's name is not a skill asked;
// the same subject asked of the candidate is.
func TestUnitNameNotASkill(t *testing.T) {
	e := MustExtractor(t)
	wantSkill(t, e, "Laboratory technician", "The group belongs to the Department of Biotechnology and Biomedicine. You will prepare samples.", "biotechnology", false)
	wantSkill(t, e, "Laboratory technician", "You hold a degree and know biotechnology well. You will prepare samples.", "biotechnology", true)
}

// An English sentence about the firm ("We specialise in ...", "Our
// solutions serve the protein industry") names what the firm is or does; a
// skill there is kept only when ESCO relates it to the coded job, as the
// care a home-care firm gives is its carers' task.
func TestFirmSentence(t *testing.T) {
	e := MustExtractor(t)
	wantSkill(t, e, "Warehouse operative", "Our company is the leading maker of electronic lock systems. You will pick and pack orders.", "electronic locks", false)
	wantSkill(t, e, "Warehouse operative", "You will pick and pack orders of electronic lock systems.", "electronic locks", true)
	wantSkill(t, e, "Home care assistant", "We support older people to live independently in their own homes. Shifts across Bolton.", "tend to elderly people", true)
}
