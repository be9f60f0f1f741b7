package pipelines

import (
	"context"
	"fmt"
	"time"
)

// WaitDrained waits until the extract and sink groups have committed every
// record of their input topics: everything produced before the call is
// enriched and stored (or dead-lettered). The extract group is checked
// first, because it produces what the sink reads.
func WaitDrained(ctx context.Context, brokers []string, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	for _, g := range stageGroups {
		for {
			lag, err := Lag(ctx, brokers, g.group, g.topics...)
			if err == nil && lag == 0 {
				break
			}
			select {
			case <-ctx.Done():
				return fmt.Errorf("pipelines: group %s not drained (lag %d, err %v): %w", g.group, lag, err, ctx.Err())
			case <-time.After(100 * time.Millisecond):
			}
		}
	}
	return nil
}
