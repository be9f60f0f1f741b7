#!/usr/bin/env bash
# scripts/clickhouse.sh: a ClickHouse server of the project's own, on loopback.
#
#   scripts/clickhouse.sh install          install Debian's clickhouse-server and clickhouse-client if missing
#   scripts/clickhouse.sh start [DIR]      start a server with its config and data in DIR (default ./var/clickhouse),
#                                          wait for /ping; prints the native address (host:port)
#   scripts/clickhouse.sh stop [DIR]       stop the server of DIR by its PID (waits for it to exit)
#   scripts/clickhouse.sh status [DIR]     exit 0 and print the address if the server of DIR answers /ping
#
# Ports: CLICKHOUSE_TCP_PORT (native, default 19000) and CLICKHOUSE_HTTP_PORT (default 18123).
# The server listens on 127.0.0.1 only. Debian's package (18.16) needs <logger>
# and <mark_cache_size> in config.xml and a users.xml with a default profile,
# user and quota; both are written here, into DIR.
set -euo pipefail

cmd=${1:-}
dir=${2:-${CLICKHOUSE_DIR:-var/clickhouse}}
tcp_port=${CLICKHOUSE_TCP_PORT:-19000}
http_port=${CLICKHOUSE_HTTP_PORT:-18123}

die() { echo "clickhouse.sh: $*" >&2; exit 1; }

server_bin() {
	if command -v clickhouse-server >/dev/null 2>&1; then echo clickhouse-server; return; fi
	if command -v clickhouse >/dev/null 2>&1; then echo "clickhouse server"; return; fi
	return 1
}

install() {
	if server_bin >/dev/null && command -v clickhouse-client >/dev/null 2>&1 && command -v curl >/dev/null 2>&1; then
		return 0
	fi
	echo "clickhouse.sh: installing clickhouse-server and clickhouse-client from Debian" >&2
	local sudo=""
	[ "$(id -u)" = 0 ] || sudo=sudo
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends clickhouse-server clickhouse-client curl ca-certificates >&2
	# The package starts a system server on the default ports; ours runs on its own.
	if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet clickhouse-server 2>/dev/null; then
		$sudo systemctl stop clickhouse-server || true
	fi
	server_bin >/dev/null || die "clickhouse-server not found after install"
}

write_config() {
	local abs=$1
	mkdir -p "$abs/data" "$abs/tmp" "$abs/log" "$abs/user_files" "$abs/format_schemas"
	cat >"$abs/config.xml" <<XML
<?xml version="1.0"?>
<yandex>
    <logger>
        <level>warning</level>
        <log>$abs/log/clickhouse-server.log</log>
        <errorlog>$abs/log/clickhouse-server.err.log</errorlog>
        <size>100M</size>
        <count>3</count>
    </logger>
    <listen_host>127.0.0.1</listen_host>
    <tcp_port>$tcp_port</tcp_port>
    <http_port>$http_port</http_port>
    <max_connections>1024</max_connections>
    <keep_alive_timeout>3</keep_alive_timeout>
    <max_concurrent_queries>200</max_concurrent_queries>
    <uncompressed_cache_size>1073741824</uncompressed_cache_size>
    <mark_cache_size>1073741824</mark_cache_size>
    <path>$abs/data/</path>
    <tmp_path>$abs/tmp/</tmp_path>
    <user_files_path>$abs/user_files/</user_files_path>
    <format_schema_path>$abs/format_schemas/</format_schema_path>
    <users_config>$abs/users.xml</users_config>
    <default_profile>default</default_profile>
    <default_database>default</default_database>
    <timezone>UTC</timezone>
    <builtin_dictionaries_reload_interval>3600</builtin_dictionaries_reload_interval>
    <max_session_timeout>3600</max_session_timeout>
    <default_session_timeout>60</default_session_timeout>
    <kafka>
        <auto_offset_reset>smallest</auto_offset_reset>
    </kafka>
</yandex>
XML
	cat >"$abs/users.xml" <<XML
<?xml version="1.0"?>
<yandex>
    <profiles>
        <default>
            <max_memory_usage>8000000000</max_memory_usage>
            <use_uncompressed_cache>0</use_uncompressed_cache>
            <load_balancing>random</load_balancing>
        </default>
    </profiles>
    <users>
        <default>
            <password></password>
            <networks>
                <ip>::1</ip>
                <ip>127.0.0.1</ip>
            </networks>
            <profile>default</profile>
            <quota>default</quota>
        </default>
    </users>
    <quotas>
        <default>
            <interval>
                <duration>3600</duration>
                <queries>0</queries>
                <errors>0</errors>
                <result_rows>0</result_rows>
                <read_rows>0</read_rows>
                <execution_time>0</execution_time>
            </interval>
        </default>
    </quotas>
</yandex>
XML
}

ping() { curl -fsS --max-time 2 "http://127.0.0.1:$http_port/ping" >/dev/null 2>&1; }

pid_of() {
	local pidfile=$1/clickhouse.pid
	[ -s "$pidfile" ] || return 1
	local pid
	pid=$(cat "$pidfile")
	kill -0 "$pid" 2>/dev/null || return 1
	echo "$pid"
}

start() {
	install
	mkdir -p "$dir"
	local abs
	abs=$(cd "$dir" && pwd)
	if pid_of "$abs" >/dev/null && ping; then
		echo "127.0.0.1:$tcp_port"
		return 0
	fi
	if ping; then
		die "port $http_port already answers /ping but not from $abs; set CLICKHOUSE_HTTP_PORT/CLICKHOUSE_TCP_PORT or stop that server"
	fi
	local pid
	write_config "$abs"
	rm -f "$abs/clickhouse.pid"
	# The server gets no descriptor of ours: a caller capturing our output
	# with $(...) must see it close when we exit.
	# shellcheck disable=SC2046
	# 18.16 writes --pid-file only in --daemon mode, so the PID is recorded
	# here: thanks to exec, $! is the server itself.
	(cd "$abs" && exec $(server_bin) --config-file="$abs/config.xml") </dev/null >"$abs/log/stdout.log" 2>&1 &
	echo $! >"$abs/clickhouse.pid"
	pid=$(cat "$abs/clickhouse.pid")
	for _ in $(seq 1 300); do
		if ! kill -0 "$pid" 2>/dev/null; then
			tail -n 30 "$abs/log/clickhouse-server.err.log" "$abs/log/stdout.log" >&2 2>/dev/null || true
			die "server in $abs exited during start-up (logs above)"
		fi
		if ping; then
			echo "127.0.0.1:$tcp_port"
			return 0
		fi
		sleep 0.2
	done
	tail -n 30 "$abs/log/clickhouse-server.err.log" "$abs/log/stdout.log" >&2 2>/dev/null || true
	die "server in $abs did not answer /ping on port $http_port within 60 s"
}

stop() {
	[ -d "$dir" ] || return 0
	local abs pid
	abs=$(cd "$dir" && pwd)
	pid=$(pid_of "$abs") || return 0
	kill "$pid" 2>/dev/null || true
	for _ in $(seq 1 150); do
		kill -0 "$pid" 2>/dev/null || { rm -f "$abs/clickhouse.pid"; return 0; }
		sleep 0.2
	done
	echo "clickhouse.sh: server $pid did not stop in 30 s; killing it" >&2
	kill -9 "$pid" 2>/dev/null || true
	rm -f "$abs/clickhouse.pid"
}

status() {
	if ping; then
		echo "127.0.0.1:$tcp_port"
		return 0
	fi
	echo "clickhouse.sh: no server answers on 127.0.0.1:$http_port" >&2
	return 1
}

case "$cmd" in
install) install ;;
start) start ;;
stop) stop ;;
status) status ;;
*) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
