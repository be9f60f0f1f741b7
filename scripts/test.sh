#!/usr/bin/env bash
# scripts/test.sh: what `make test` runs. Installs what is missing, starts a
# throwaway ClickHouse on free loopback ports with a temporary data
# directory, runs go vet and every test (race detector on, integration tests
# included), and stops the server however the tests end.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin:$HOME/go/bin"
scripts/deps.sh

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
pick_port() {
	local p=$1
	while ! port_free "$p"; do p=$((p + 1)); done
	echo "$p"
}
export CLICKHOUSE_TCP_PORT=${CLICKHOUSE_TCP_PORT:-$(pick_port 29000)}
export CLICKHOUSE_HTTP_PORT=${CLICKHOUSE_HTTP_PORT:-$(pick_port 28123)}
chdir=$(mktemp -d "${TMPDIR:-/tmp}/fabbisogni-test-ch.XXXXXX")
cleanup() {
	scripts/clickhouse.sh stop "$chdir" || true
	rm -rf "$chdir"
}
trap cleanup EXIT
addr=$(scripts/clickhouse.sh start "$chdir")
echo "test ClickHouse at $addr (data in $chdir)"
export FABBISOGNI_TEST_CLICKHOUSE=$addr

go vet ./...
go test -race -timeout 30m -count=1 ${GOTESTFLAGS:-} ./...
