package testenv

import (
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// ClickHouseServer is a private ClickHouse server a test can stop and
// start, run by scripts/clickhouse.sh on free loopback ports with a data
// directory in the test's temporary folder.
type ClickHouseServer struct {
	Addr    string // native host:port
	dir     string
	env     []string
	script  string
	tb      testing.TB
	stopped bool
}

// StartClickHouse starts a private server and stops it when the test ends.
func StartClickHouse(tb testing.TB) *ClickHouseServer {
	tb.Helper()
	tcp, http := freePort(tb), freePort(tb)
	s := &ClickHouseServer{
		dir:    tb.TempDir(),
		script: filepath.Join(ModuleRoot(tb), "scripts", "clickhouse.sh"),
		env:    append(os.Environ(), "CLICKHOUSE_TCP_PORT="+strconv.Itoa(tcp), "CLICKHOUSE_HTTP_PORT="+strconv.Itoa(http)),
		tb:     tb,
	}
	s.Start()
	tb.Cleanup(func() {
		if !s.stopped {
			s.Stop()
		}
	})
	return s
}

// Start starts (or restarts) the server and waits until it answers.
func (s *ClickHouseServer) Start() {
	s.tb.Helper()
	out := s.run("start")
	s.Addr = strings.TrimSpace(out)
	s.stopped = false
}

// Stop stops the server and waits until it has exited.
func (s *ClickHouseServer) Stop() {
	s.tb.Helper()
	s.run("stop")
	s.stopped = true
}

func (s *ClickHouseServer) run(verb string) string {
	s.tb.Helper()
	cmd := exec.Command("bash", s.script, verb, s.dir)
	cmd.Env = s.env
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		s.tb.Fatalf("clickhouse.sh %s %s: %v\n%s", verb, s.dir, err, stderr.String())
	}
	return string(out)
}

func freePort(tb testing.TB) int {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
