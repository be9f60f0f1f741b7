package nlp

import (
	"sync"

	"github.com/jdkato/prose/v3/segment"
)

// proseSegmenter is prose v3's Punkt sentence segmenter, its model loaded
// once per process on first use and shared (it is safe for concurrent use).
var proseSegmenter = sync.OnceValues(segment.New)

// proseSentences re-levels the sentence boundaries of toks (tokens of full)
// with prose v3's segmenter: a token where a prose sentence starts gets a
// sentence boundary; a sentence boundary the tokenizer found from
// punctuation where prose sees none becomes a clause boundary. Line breaks
// stay as they are. Offsets map directly: prose's sentences carry their byte
// offsets into full.
func proseSentences(full string, toks []token) error {
	seg, err := proseSegmenter()
	if err != nil {
		return err
	}
	sents := seg.Segment(full)
	k := 0 // next prose sentence
	for i := range toks {
		t := &toks[i]
		for k < len(sents) && sents[k].Start < t.start {
			k++
		}
		starts := k < len(sents) && sents[k].Start == t.start
		switch {
		case i == 0 || t.lvl >= 3:
		case starts:
			t.lvl, t.brk = 2, true
		case t.lvl == 2:
			t.lvl = 1
		}
	}
	return nil
}
