#!/usr/bin/env bash
# bench/sink.sh: the sink benchmark of issue 6, in one run on this machine.
#
#   bench/sink.sh [sinkbench flags]        e.g. bench/sink.sh -n 200000 -fresh-duration 10s
#
# Starts a private ClickHouse (scripts/clickhouse.sh, free ports, a temporary
# directory; stopped on exit), builds bench/sinkbench and runs it: the
# embedded broker, 2,000,000 enriched vacancies produced once, our SinkStage
# (in a child process) and ClickHouse's own Kafka engine loading the same
# records into the warehouse's tables, then the sink's freshness at a steady
# 10,000 records/s. Prints a table of the figures.
#
# Environment: BENCH_DIR (work directory; default a new one under /tmp, kept
# for the CPU profile and ClickHouse's logs), BENCH_PPROF=1 to write the sink's
# CPU profile of the bulk load to $BENCH_DIR/sink.cpu.pprof.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
work=${BENCH_DIR:-$(mktemp -d /tmp/fabbisogni-sinkbench.XXXXXX)}
mkdir -p "$work"

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() {
	local p
	for _ in $(seq 1 200); do
		p=$((20000 + RANDOM % 20000))
		if port_free "$p"; then
			echo "$p"
			return 0
		fi
	done
	echo "sink.sh: no free port found" >&2
	return 1
}

CLICKHOUSE_TCP_PORT=$(free_port)
CLICKHOUSE_HTTP_PORT=$(free_port)
while [ "$CLICKHOUSE_HTTP_PORT" = "$CLICKHOUSE_TCP_PORT" ]; do CLICKHOUSE_HTTP_PORT=$(free_port); done
export CLICKHOUSE_TCP_PORT CLICKHOUSE_HTTP_PORT

chdir="$work/clickhouse"
cleanup() { "$root/scripts/clickhouse.sh" stop "$chdir" || true; }
trap cleanup EXIT INT TERM

echo "sink.sh: work directory $work" >&2
addr=$("$root/scripts/clickhouse.sh" start "$chdir")
chpid=$(cat "$chdir/clickhouse.pid")
echo "sink.sh: ClickHouse $addr (pid $chpid, http $CLICKHOUSE_HTTP_PORT)" >&2

(cd "$root" && go build -o "$work/sinkbench" ./bench/sinkbench)

extra=()
if [ "${BENCH_PPROF:-0}" = 1 ]; then
	extra+=(-cpuprofile "$work/sink.cpu.pprof")
fi
"$work/sinkbench" -ch-tcp "$addr" -ch-http "http://127.0.0.1:$CLICKHOUSE_HTTP_PORT" -ch-pid "$chpid" "${extra[@]}" "$@"
if [ "${BENCH_PPROF:-0}" = 1 ]; then
	echo "sink.sh: CPU profile of the sink: go tool pprof -top $work/sinkbench $work/sink.cpu.pprof" >&2
fi
