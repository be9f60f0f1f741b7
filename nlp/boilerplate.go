package nlp

import (
	"regexp"
	"strings"
)

// Job-board postings end in clauses that are about the law or the hiring,
// not the job: the equal-opportunity statement ("without regard to race,
// religion, pregnancy, age", "rivolto ad entrambi i sessi ai sensi della L.
// 903/77") and the privacy notice ("informativa privacy ai sensi del
// Regolamento UE 2016/679 (GDPR)"). A skill label inside one ("pregnancy",
// "GDPR") is not asked of the worker. SkillSpan's postings have them; the
// gold set's invented ones and the job-centre notices do not.

// boilerTriggers are the words without which a sentence cannot match
// boilerplateClause; the regexp reads only sentences holding one.
var boilerTriggers = setOf(`regard regardless equal discriminate discriminates discrimination discriminazione discriminazioni affirmative veteran veterans sessi ambosessi 903 125 198 215 216 opportunita distinzione distinzioni informativa trattamento consenso privacy personal 679`)

// boilerplateClause matches a sentence's token norms joined by spaces
// ("903/77" is "903 77").
var boilerplateClause = regexp.MustCompile(`without regard to|regardless of (?:their |his or her )?(?:race|age|gender|sex|religion|colou?r|disability|national|ethnic|sexual|marital|pregnancy|creed)|equal (?:employment )?opportunit|(?:not|never) discriminate|discrimination|affirmative action|protected veteran|entrambi i sessi|ambo i sessi|ambosessi|\b903 77\b|\b125 91\b|\b198 2006\b|\b21[56] 2?0?03\b|pari opportunita|senza distinzion[ei] di|discriminazion|informativa (?:sulla |della )?privacy|informativa ai sensi|consenso al trattamento|trattamento dei (?:suoi |propri |vostri |tuoi )?dati|\b2016 679\b|privacy (?:policy|notice|statement)|personal data`)

// sentenceMemo remembers a yes-or-no answer about the sentence of tokens
// [from, to) read last: mentions come in text order, so one is enough.
type sentenceMemo struct {
	from, to int // none yet: both 0
	is       bool
}

// answer returns the answer for the sentence of token k, computing it with
// f over the sentence's tokens when k is outside the one remembered.
func (m *sentenceMemo) answer(d *document, k int, f func(from, to int) bool) bool {
	if k < m.to && k >= m.from {
		return m.is
	}
	m.from, m.to = d.sentenceOf(k)
	m.is = f(m.from, m.to)
	return m.is
}

// inBoilerplate reports whether a mention lies in an equal-opportunity or
// privacy clause: its sentence holds a trigger word and matches
// boilerplateClause.
func (d *document) inBoilerplate(mn mention) bool {
	return d.boilerMemo.answer(d, mn.tokFrom, d.boilerplateSentence)
}

func (d *document) boilerplateSentence(from, to int) bool {
	trigger := false
	for k := from; k < to; k++ {
		if lw := d.toks[k].lw; lw != nil && lw.boiler {
			trigger = true
			break
		}
	}
	if !trigger {
		return false
	}
	var b strings.Builder
	for k := from; k < to; k++ {
		if k > from {
			b.WriteByte(' ')
		}
		b.WriteString(d.toks[k].norm)
	}
	return boilerplateClause.MatchString(b.String())
}

// sentenceOf returns the tokens [from, to) of the sentence holding token k.
func (d *document) sentenceOf(k int) (from, to int) {
	from = k
	for from > 0 && d.toks[from].lvl < 2 {
		from--
	}
	to = k + 1
	for to < len(d.toks) && d.toks[to].lvl < 2 {
		to++
	}
	return from, to
}

// applicationWords name the application in a sentence telling how to apply
// ("send your CV in English", "inviare il curriculum in inglese").
var applicationWords = setOf(`apply application applications cv cvs curriculum resume candidatura candidature`)

// applicationLanguage reports whether a language name after "in" lies in a
// sentence about the application: the language to apply in, not a skill
// of the job ("English proficiency is a must" stays).
func (d *document) applicationLanguage(mn mention) bool {
	if mn.tokFrom == 0 || d.toks[mn.tokFrom].brk || d.toks[mn.tokFrom-1].norm != "in" {
		return false
	}
	from, to := d.sentenceOf(mn.tokFrom)
	for k := from; k < to; k++ {
		if applicationWords[d.toks[k].norm] {
			return true
		}
	}
	return false
}

// unitNouns head the name of a department, school or institute ("the
// Department of Biotechnology", "Section for Protein Research",
// "Dipartimento di Scienze Agrarie"): a subject in the name is not a skill
// asked.
var unitNouns = setOf(`department dept centre center institute school faculty section division laboratory dipartimento istituto facolta`)

// unitLinks join a unit noun to its subject and the words of a subject.
var unitLinks = setOf(`of for and di e per`)

// inUnitName reports whether a mention, all of it in title case, is the
// subject of a unit's name: title-case words and links back to a unit noun
// followed by a link, in one clause.
func (d *document) inUnitName(mn mention) bool {
	for k := mn.tokFrom; k < mn.tokTo; k++ {
		if t := d.toks[k]; !t.initial && !(unitLinks[t.norm] && k > mn.tokFrom) {
			return false
		}
	}
	for k := mn.tokFrom - 1; k >= 0 && k >= mn.tokFrom-8; k-- {
		if d.toks[k+1].brk {
			return false
		}
		t := d.toks[k]
		switch {
		case unitNouns[t.norm] && t.initial:
			return unitLinks[d.toks[k+1].norm]
		case t.initial, unitLinks[t.norm]:
			continue
		}
		return false
	}
	return false
}

// firmSubjects open an English sentence about the firm ("We specialise in
// urogynaecology", "Our solutions serve the protein industry", "The
// company produces electronic lock systems").
var firmSubjects = setOf(`we our`)

// firmSecond follow "the" in a sentence about the firm or its unit.
var firmSecond = setOf(`company firm group department hospital university centre center business organisation organization`)

// jobWords mark a sentence about the job or the worker, not the firm.
var jobWords = setOf(`you your candidate candidates applicant applicants role position job looking look seeking seek search searching hiring recruiting need needs require requires required want wants join expect ideal successful person someone value values use uses`)

// inFirmSentence reports whether a mention lies in an English sentence
// about the firm: it opens with "we", "our" or "the company" (or another
// of firmSecond) and names neither the job nor the worker.
func (d *document) inFirmSentence(mn mention) bool {
	return d.lang != "it" && d.firmMemo.answer(d, mn.tokFrom, d.firmSentence)
}

func (d *document) firmSentence(from, to int) bool {
	first := d.toks[from].norm
	if !firmSubjects[first] && !(first == "the" && from+1 < to && firmSecond[d.toks[from+1].norm]) {
		return false
	}
	for k := from; k < to; k++ {
		if jobWords[d.toks[k].norm] {
			return false
		}
	}
	return true
}

// hiringProcessNouns follow a word of hiring that names the process or
// who runs it ("recruitment process", "recruitment partner"), not a task
// of the job.
var hiringProcessNouns = setOf(`process processes procedure partner partners consultant consultants agency team system systems portal package office meeting committee`)

// namesHiringProcess reports whether a one-word English mention is
// "recruitment" or "recruiting" before one of hiringProcessNouns.
func (d *document) namesHiringProcess(mn mention) bool {
	if !mn.single || !mn.matcherEN {
		return false
	}
	if w := d.toks[mn.tokFrom].norm; w != "recruitment" && w != "recruiting" {
		return false
	}
	k := mn.tokFrom + 1
	return k < len(d.toks) && !d.toks[k].brk && hiringProcessNouns[d.toks[k].norm]
}
