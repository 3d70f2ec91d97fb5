#!/usr/bin/env bash
# Runs a workflow of a repository under act v0.2.89 in host mode, with
# shipflow's actions taken from a local source tree.
#
#   run.sh REPO EVENT EVENT_FILE SHIPFLOW_SRC OUT_FILE [ACT_ARGS...]
#
# REPO          a git repository with .github/workflows
# EVENT         the event name (push, pull_request)
# EVENT_FILE    the event payload
# SHIPFLOW_SRC  a copy of shipflow's source: `uses: shipflow/shipflow@v0`
#               and `shipflow/shipflow/actions/<name>@v0` resolve to it
# OUT_FILE      passed to the workflow as E2E_OUT
# ACT_ARGS      more act arguments, e.g. --env GITHUB_API_URL=... -s GITHUB_TOKEN=...
#
# act comes from $ACT, else PATH, else it is built once with
# `go install github.com/nektos/act@v0.2.89` into the user cache.
# Host mode (-P ubuntu-latest=-self-hosted) runs steps on this machine, no
# Docker; actions/setup-go is replaced by a stand-in that uses the host's Go,
# actions/setup-python by one that uses the host's python3 with pytest and
# flake8 (no PyPI),
# actions/upload-artifact and download-artifact by ones that copy the files
# (testdata/).
set -euo pipefail

if [[ $# -lt 5 ]]; then
	echo "usage: $0 REPO EVENT EVENT_FILE SHIPFLOW_SRC OUT_FILE [ACT_ARGS...]" >&2
	exit 2
fi
repo=$1 event=$2 payload=$3 src=$4 out=$5
shift 5
here=$(cd "$(dirname "$0")" && pwd)

act_version=v0.2.89
act=${ACT:-}
if [[ -z "$act" ]] && command -v act >/dev/null && act --version | grep -q "${act_version#v}"; then
	act=$(command -v act)
fi
if [[ -z "$act" ]]; then
	cache=${XDG_CACHE_HOME:-$HOME/.cache}/shipflow-test/act-$act_version
	if [[ ! -x "$cache/act" ]]; then
		echo "building act $act_version into $cache" >&2
		GOBIN=$cache GOFLAGS='' go install "github.com/nektos/act@$act_version"
	fi
	act=$cache/act
fi

cd "$repo"
exec "$act" "$event" \
	--eventpath "$payload" \
	-P ubuntu-latest=-self-hosted \
	--no-cache-server \
	--container-daemon-socket - \
	--local-repository "shipflow/shipflow@v0=$src" \
	--local-repository "actions/setup-go@v5=$here/testdata/setup-go" \
	--local-repository "actions/setup-python@v5=$here/testdata/setup-python" \
	--local-repository "actions/upload-artifact@v4=$here/testdata/upload-artifact" \
	--local-repository "actions/download-artifact@v4=$here/testdata/download-artifact" \
	--env "E2E_OUT=$out" \
	"$@"
