#!/usr/bin/env bash
# scripts/deps.sh: install what building and running Fabbisogni needs on a
# fresh Debian machine: a Go toolchain (the go.mod version is fetched through
# the module proxy when the installed one is older), ClickHouse from Debian's
# packages, and the Go modules.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin:$HOME/go/bin"

if ! command -v go >/dev/null 2>&1; then
	echo "deps.sh: installing Go from Debian (GOTOOLCHAIN fetches the go.mod version)" >&2
	sudo=""
	[ "$(id -u)" = 0 ] || sudo=sudo
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends golang-go ca-certificates git >&2
fi
scripts/clickhouse.sh install
go mod download
