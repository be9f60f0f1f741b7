// Package testservers gives tests the real servers they need: an embedded
// Kafka-protocol broker of their own, and a fresh database on the test
// ClickHouse server. Both are cleaned up when the test ends.
package testservers

import (
	"context"
	"testing"

	"github.com/fabbisogni/fabbisogni/internal/testenv"
	"github.com/fabbisogni/fabbisogni/pipelines"
	"github.com/fabbisogni/fabbisogni/warehouse"
)

// Broker starts an embedded broker persisted in a temporary directory and
// returns its addresses.
func Broker(tb testing.TB) []string {
	tb.Helper()
	cfg := pipelines.DefaultEmbeddedConfig()
	cfg.DataDir = tb.TempDir()
	e, err := pipelines.StartEmbedded(context.Background(), cfg)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(e.Close)
	return e.Addrs()
}

// Warehouse opens a fresh, migrated database on the test ClickHouse server
// (testenv.ClickHouseAddr), dropped when the test ends.
func Warehouse(tb testing.TB) *warehouse.Warehouse {
	tb.Helper()
	return WarehouseAt(tb, testenv.ClickHouseAddr(tb))
}

// WarehouseAt is Warehouse on the server at addr.
func WarehouseAt(tb testing.TB, addr string) *warehouse.Warehouse {
	tb.Helper()
	cfg := warehouse.DefaultConfig()
	cfg.Addr = addr
	cfg.Database = testenv.UniqueName(tb, "t")
	w, err := warehouse.Open(context.Background(), cfg)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := w.DropDatabase(context.Background()); err != nil {
			tb.Error(err)
		}
		w.Close()
	})
	if _, err := w.Migrate(context.Background()); err != nil {
		tb.Fatal(err)
	}
	return w
}
