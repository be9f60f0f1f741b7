// Package nlp is the NLP stage of Fabbisogni: it loads the ESCO taxonomy
// and an Italian lexicon, and turns the text of a job posting into an
// fabbisogni.Extraction: language, ranked ESCO occupations with ISCO-08
// codes (or an ISCO group when unsure), ESCO skill mentions with byte spans,
// and structured attributes (contract, education, experience, licences,
// languages, certificates).
//
// # Taxonomy
//
// LoadTaxonomy reads the publisher's ESCO CSV bundles (zips, extracted
// folders, any language), merged by concept URI, plus the embedded Italian
// and English lexicons (lexicon/it.tsv, lexicon/en.tsv, see
// lexicon/README.md). Taxonomy.Version, stored on every extraction, names the
// ESCO version of each language and the two lexicon versions.
//
// # Extraction
//
// Extractor.Extract(id, title, text) reads title + "\n" + text (text alone
// when the title is empty): the same string as fabbisogni.Vacancy.Text().
// Every SkillMention.Start/End is a byte offset into that string, on UTF-8
// rune boundaries, and SkillMention.Text is exactly that substring.
//
// The pipeline, per document:
//
//  1. tokenize with byte offsets: case and accent folding (so decomposed and
//     composed accents match), elisions split ("dell'", "l'"), gender
//     variants after a slash dropped ("operaio/a", "operatore/trice"), dotted
//     abbreviations joined ("O.S.S."), clause / sentence / line boundaries
//     kept;
//  2. detect the language (it, en, other) from function words;
//  3. stem with Snowball (Italian: blevesearch/snowballstem, English:
//     kljensen/snowball; an English agent noun whose stem lost its suffix,
//     "manager", "operator", "engineer", keeps a stem of its own so that a
//     person never matches the activity), leave out stop words, and correct
//     one-letter typos of long words written in capitals against the
//     Italian label words;
//  4. match labels leftmost-longest over the stems with a token trie (one
//     hash map of (node, stem) edges), never across a boundary; single words
//     match on their exact form (and Italian plural) to avoid stem collisions;
//     also read: a label starting inside a match and reaching past its end
//     ("manutenzione di [impianti idrico-sanitari]"), in Italian a label
//     across a coordinated noun of action ("installazione e manutenzione di
//     caldaie" is also "installazione di caldaie") or a coordinated object
//     ("installazione di prese e interruttori" is also "installazione di
//     interruttori", and so is each item of a comma list: "installazione di
//     prese, interruttori e punti luce") and a lexicon label over one word inside it ("gestione
//     quotidiana della cassa"); a one-word form holding a stop word
//     ("check-in") is read as the pair; an Italian verb in the future
//     ("preparerà", "PREPARERA'") is stemmed as the verb its folded form
//     hides; an Italian lexicon form with one word replaced by its
//     derivation ("emissione fatture" in "emettere le fatture", and
//     -ificazione / -ificare, which Snowball stems apart; variants.go) is a
//     label too, below the lexicon's own lines; a mention overlapping a
//     longer one of the same concept is dropped;
//  5. code the occupation from occupation labels in the title (or the first
//     short line when there is no title) and body, plus English labels of
//     two or more words in an Italian posting's title ("Store manager"),
//     reinforced by the
//     essential skills found; when the best candidate is not confident, return
//     the most specific ISCO group holding most of the evidence instead;
//  6. drop skill matches that are not skills asked of the worker: a label
//     inside the title's occupation match or starting with a one-word
//     occupation noun ("cerca casaro", "un SALDATORE a filo"; a task phrase
//     ending with one, "assegnazione dei carichi agli autisti", stays), a
//     single word qualifying a place or job noun ("reparto tintoria", "punto
//     vendita"), a subject after a degree word ("laurea in ingegneria
//     meccanica"), the sector of the collective agreement ("CCNL
//     PANIFICAZIONE"), a mention before the sentence's
//     hiring verb ("Tintoria conto terzi ... cerca": the firm, not the job)
//     or that is the verb itself ("is recruiting"), a label inside an
//     equal-opportunity or privacy clause ("without regard to ...
//     pregnancy", "informativa privacy ... (GDPR)") or naming the hiring
//     process ("recruitment process"), the subject of a unit's name ("the
//     Department of Biotechnology"), a skill in an English sentence about
//     the firm ("We specialise in urogynaecology") that ESCO does not relate
//     to the coded job, a language to apply in ("send your CV in
//     English"), a language name
//     qualifying an English noun ("Italian fine dining"), and the skills
//     reported as
//     attributes instead (work in shifts: Attributes.Shifts), and a skill
//     whose name is also its season where ESCO does not relate it to the
//     best occupation's unit group ("per la vendemmia" in a cellar hand's
//     posting: the season, not harvesting grapes); resolve labels
//     shared by several skills by the sector the posting shows (a textile,
//     food, hospitality or logistics concept only in a posting of that
//     sector or of one it serves, a hotel serving food, or when ESCO relates
//     it to the best occupation's unit group ("colorazioni" for a
//     hairdresser), the sector shown by a word other than a one-word
//     mention itself (word
//     prefixes, or whole words where a prefix would catch others: "moda",
//     not "modalità"), and
//     there before the general one when the job works in the sector:
//     "controllo qualità" in a lanificio, but "lavorare in team" in a
//     clothing shop stays the general team), then the best occupations'
//     essential skills, then the skills ESCO relates to the best
//     occupation's ISCO unit group ("somministrazione della terapia" for an
//     OSS or a nurse), then the more general concept, reporting the others
//     in SkillMention.Ambiguous; a lexicon line naming several concepts
//     ("carico e scarico merci") gives them all; then drop an English
//     mention found only through a broad ESCO label (alternative, hidden,
//     verbless) unless ESCO relates the skill to the best occupation's unit
//     group or the skill is transversal (Config.WeakLabelsInContext), and a
//     mention whose form and concept the read gold batches saw coded
//     less than 0.6 of the time, smoothed (lexicon/reliability.tsv,
//     Config.MinReliability);
//     a kept mention scores its pair's smoothed reliability in that table
//     (UnseenFormReliability for a pair it lacks), so the score estimates
//     how often a careful coder codes such a mention;
//  7. mark each mention required, preferred or negated from cues in its
//     clause, sentence or section ("Requisiti", "titolo preferenziale",
//     "nice to have", "non è richiesta");
//  8. read the attributes with patterns that run only on windows around
//     trigger words.
//
// The tokenizer is the package's own rather than prose's: prose's tokenizer
// gives no byte offsets and alone costs more than the 5 MB/s per core the
// stage must sustain, and sentence boundaries here only scope cues.
//
// # Sentences
//
// Sentence boundaries (which scope the required / preferred / negation cues)
// come by default from the tokenizer's punctuation and line breaks.
// Config.ProseSentences takes them from prose v3's Punkt segmenter instead
// (github.com/jdkato/prose/v3/segment, its model loaded once per process):
// prose's sentences carry byte offsets, so a token where one starts gets a
// sentence boundary and a full stop prose does not split at ("Dr. Rossi")
// becomes a clause boundary; line breaks stay. It is off by default because
// it costs more than the 5 MB/s per core budget allows. Measured on this
// 2-core shared machine, three runs each, MB per CPU-second
// (go test -run XXX -bench 'BenchmarkExtract|BenchmarkProseSegment' -benchtime 3s ./nlp/):
//
//	                      Lazio       SkillSpan
//	Extract               5.46, 4.63, 5.69  5.68, 5.37, 5.44
//	Extract + prose       4.65, 4.07, 4.63  4.71, 4.70, 4.58
//	prose Segment alone   45          57
//
// and the Lazio and job-board postings are terse lists whose boundaries are
// line breaks, bullets and semicolons that Punkt (an English model) adds
// nothing to.
//
// # Occupation fallback
//
// When no occupation label is confident, the coder returns the most specific
// ISCO group holding at least MinGroupShare of the evidence (or a 2-digit
// group with a clear plurality, Config.PluralityRatio): the candidate
// occupations' scores, the ISCO unit groups of the ESCO and lexicon Italian
// occupation labels that share the title's head noun ("elettricista ...",
// "ingegnere ...", or "addetto/operaio/tecnico X" with its next word), and
// Italian task phrases mapped to ISCO groups in lexicon/isco-it.tsv
// ("carico e scarico" 933, "servizio ai tavoli" 513, "prima nota" 431).
// A head noun that names an action ("Preparazione ...", "Montaggio ...")
// or a task list ("Mansioni ...") is not read as the job's name.
//
// When that evidence names no group either, the last resort is the occupation
// whose ESCO description and labels (Italian, or English for English
// postings) are nearest to the posting's words (tf-idf cosine over stems,
// chosen among the ten nearest by the skills found, describe.go; job-posting
// boilerplate such as "mansioni proprie della qualifica" is not indexed, and
// at least two words must be shared): its ISCO minor group (3 digits at
// most), scored no higher than the similarity, so a user can tell these
// answers from the confident ones.
//
// An Extractor is safe for concurrent use and deterministic: the same text
// and taxonomy always give the same Extraction.
package nlp
