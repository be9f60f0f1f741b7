package warehouse

import (
	"net"
	"testing"
	"time"
)

// A server that stops reading fails a write after WriteTimeout with a
// retryable error, instead of blocking the flush of a batch chunk forever.
func TestWriteTimeoutConn(t *testing.T) {
	client, server := net.Pipe() // nobody reads server: every write blocks
	t.Cleanup(func() { client.Close(); server.Close() })
	c := &writeTimeoutConn{Conn: client, timeout: 50 * time.Millisecond}
	_, err := c.Write([]byte("block"))
	if err == nil {
		t.Fatal("write to a server that does not read succeeded")
	}
	if !IsRetryable(err) {
		t.Errorf("write timeout %v is not retryable", err)
	}
	// An earlier deadline set by the caller (clickhouse-go, from a context) wins.
	if err := c.SetDeadline(time.Now().Add(-time.Second)); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Write([]byte("block")); err == nil {
		t.Fatal("write past the caller's deadline succeeded")
	}
}
