#!/usr/bin/env bash
# Runs every shipflow test on a fresh machine: installs what the tests need
# (Debian packages as root, Go tools through the module proxy), then gofmt,
# go vet, the whole test suite with the race-free default build, and
# shipflow's lint of its own history. CI (.ci/run) calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\n==> %s\n' "$*"; }

# Debian packages the integration tests use: a real OCI registry and an
# independent reader for the image tests, pytest for the test-report tests,
# shellcheck for actionlint's checks of workflow scripts.
need_pkgs=()
command -v git >/dev/null || need_pkgs+=(git)
command -v docker-registry >/dev/null || need_pkgs+=(docker-registry)
command -v skopeo >/dev/null || need_pkgs+=(skopeo)
/usr/bin/python3 -c 'import pytest' 2>/dev/null || need_pkgs+=(python3-pytest)
command -v shellcheck >/dev/null || need_pkgs+=(shellcheck)
if ((${#need_pkgs[@]})); then
	log "installing ${need_pkgs[*]}"
	sudo=()
	if [[ $(id -u) -ne 0 ]]; then
		if ! command -v sudo >/dev/null; then
			echo "scripts/test.sh: need root to apt-get install ${need_pkgs[*]} (or install them yourself)" >&2
			exit 2
		fi
		sudo=(sudo)
	fi
	"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
	"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >/dev/null
fi
# docker-registry's package starts a system service listening on every
# interface; the tests start their own on 127.0.0.1 with a temporary config.
if command -v systemctl >/dev/null && systemctl is-active --quiet docker-registry 2>/dev/null; then
	systemctl stop docker-registry 2>/dev/null || sudo systemctl stop docker-registry || true
fi
# Without systemd the package's init script starts it with the packaged
# config; stop that one only (the tests' registries use temporary configs).
pkill -f 'docker-registry serve /etc/docker/registry/config.yml' 2>/dev/null || true

# Go tools the end-to-end tests run, installed at pinned versions.
export GOBIN="${GOBIN:-$(go env GOPATH)/bin}"
export PATH="$GOBIN:$PATH"
if ! act --version 2>/dev/null | grep -q '0.2.89'; then
	log "installing act v0.2.89"
	go install github.com/nektos/act@v0.2.89
fi

log "gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [[ -n $unformatted ]]; then
	echo "gofmt needed on:" >&2
	echo "$unformatted" >&2
	exit 1
fi

log "go vet"
go vet ./...

log "go test"
go test -count=1 -timeout 15m ./...

# The packages with goroutines of their own (the lint pipeline, the git
# reader, the image watcher and pushes, test runs) once more under the race
# detector.
log "go test -race (concurrent packages)"
go test -race -count=1 -timeout 10m ./release/ ./release/git/ ./release/image/ ./release/testreport/

log "shipflow lints its own history"
go run ./cmd/shipflow lint --to HEAD
