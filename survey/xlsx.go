package survey

import (
	"context"
	"errors"
	"io"
)

// xlsx reads every sheet of a workbook. (Phase 2: streaming rows.)
func (run *fileRun) xlsx(ctx context.Context, r io.Reader) error {
	return errors.New("xlsx not supported yet")
}
