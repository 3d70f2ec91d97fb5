#!/usr/bin/env bash
# Runs every shipflow test on a fresh machine: installs what the tests need
# (Debian packages as root, Go tools through the module proxy), then gofmt,
# go vet, `goreleaser check`, the whole test suite (e2e/goreleaser builds a
# --snapshot of the host's platform and installs it with actions/install.sh)
# with the race-free default build, and
# shipflow's lint of its own history. CI (.ci/run) calls exactly this.
# Each stage's elapsed seconds and the total are printed at the end (also
# when a stage fails; the exit status is kept), to compare with the README.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\n==> %s\n' "$*"; }

# Stage timing: stage NAME [MESSAGE] ends the running stage and starts NAME.
# EPOCHREALTIME is seconds.microseconds (the decimal point follows the locale).
now_us() { local t=$EPOCHREALTIME; echo "${t/[.,]/}"; }
secs() { local d=$((($1 + 50000) / 100000)); printf '%d.%d' $((d / 10)) $((d % 10)); }
stage_names=()
stage_us=()
stage_name=
stage_start=
run_start=$(now_us)
end_stage() {
	[[ -n $stage_name ]] || return 0
	stage_names+=("$stage_name")
	stage_us+=($(($(now_us) - stage_start)))
	stage_name=
}
stage() {
	end_stage
	log "${2:-$1}"
	stage_name=$1
	stage_start=$(now_us)
}
print_times() {
	local rc=$1 failed=$stage_name i
	end_stage
	printf '\n==> elapsed time per stage (seconds)\n'
	for i in "${!stage_names[@]}"; do
		printf '%-18s %8s' "${stage_names[i]}" "$(secs "${stage_us[i]}")"
		if [[ ${stage_names[i]} == "$failed" ]] && ((rc != 0)); then
			printf '  (failed, exit %d)' "$rc"
		fi
		printf '\n'
	done
	printf '%-18s %8s\n' total "$(secs $(($(now_us) - run_start)))"
}
trap 'rc=$?; trap - EXIT; print_times "$rc"; exit "$rc"' EXIT

stage install "install what the tests need (skipped when present)"

# Debian packages the integration tests use: a real OCI registry and an
# independent reader for the image tests, pytest for the test-report tests,
# ShellCheck for actionlint's checks of workflow scripts and for the deploy
# scripts init writes (release/scaffold fails without it), ssh-keygen for
# SSH-signed tags.
need_pkgs=()
command -v git >/dev/null || need_pkgs+=(git)
command -v docker-registry >/dev/null || need_pkgs+=(docker-registry)
command -v skopeo >/dev/null || need_pkgs+=(skopeo)
/usr/bin/python3 -c 'import pytest' 2>/dev/null || need_pkgs+=(python3-pytest)
/usr/bin/python3 -c 'import flake8' 2>/dev/null || need_pkgs+=(python3-flake8) # the scaffolded Python CI's lint step (e2e/act)
command -v shellcheck >/dev/null || need_pkgs+=(shellcheck)
command -v ssh-keygen >/dev/null || need_pkgs+=(openssh-client) # signed release tags
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
	# docker-registry's package would start a service listening on every
	# interface with the packaged config; the tests start their own on
	# 127.0.0.1. Debian's policy-rc.d convention (exit 101: "action not
	# allowed") keeps the install from starting any service, so there is
	# nothing to stop afterwards. An existing policy-rc.d is left alone.
	policy=/usr/sbin/policy-rc.d
	own_policy=
	if [[ ! -e $policy ]]; then
		printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee "$policy" >/dev/null
		"${sudo[@]}" chmod 755 "$policy"
		own_policy=1
	fi
	install_rc=0
	"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >/dev/null || install_rc=$?
	[[ -n $own_policy ]] && "${sudo[@]}" rm -f "$policy"
	((install_rc == 0)) || exit "$install_rc"
fi
# A registry service started by an earlier install (before this script kept
# apt from starting it) is stopped through its own service manager, which
# knows its PID; this script never kills processes by name.
if command -v systemctl >/dev/null && systemctl is-active --quiet docker-registry 2>/dev/null; then
	systemctl stop docker-registry 2>/dev/null || sudo systemctl stop docker-registry || true
elif [[ -x /etc/init.d/docker-registry ]] && /etc/init.d/docker-registry status >/dev/null 2>&1; then
	/etc/init.d/docker-registry stop >/dev/null 2>&1 || sudo /etc/init.d/docker-registry stop >/dev/null 2>&1 || true
fi

# Go tools the end-to-end tests run, installed at pinned versions.
export GOBIN="${GOBIN:-$(go env GOPATH)/bin}"
export PATH="$GOBIN:$PATH"
if ! act --version 2>/dev/null | grep -q '0.2.89'; then
	log "installing act v0.2.89"
	go install github.com/nektos/act@v0.2.89
fi

# GoReleaser (.goreleaser.yaml's check and e2e/goreleaser's snapshot build)
# and cyclonedx-gomod (its SBOMs), built once into the user cache at pinned
# versions: goreleaser takes minutes to build, so later runs reuse it.
tools=${XDG_CACHE_HOME:-$HOME/.cache}/shipflow-test
goreleaser_dir=$tools/goreleaser-v2.15.1
cyclonedx_dir=$tools/cyclonedx-gomod-v1.10.0
if [[ ! -x $goreleaser_dir/goreleaser ]]; then
	log "building goreleaser v2.15.1 into $goreleaser_dir (once)"
	GOBIN=$goreleaser_dir GOFLAGS='' go install github.com/goreleaser/goreleaser/v2@v2.15.1
fi
if [[ ! -x $cyclonedx_dir/cyclonedx-gomod ]]; then
	log "building cyclonedx-gomod v1.10.0 into $cyclonedx_dir (once)"
	GOBIN=$cyclonedx_dir GOFLAGS='' go install github.com/CycloneDX/cyclonedx-gomod/cmd/cyclonedx-gomod@v1.10.0
fi
export SHIPFLOW_GORELEASER=$goreleaser_dir/goreleaser
export PATH="$cyclonedx_dir:$PATH"
# actions/install.sh builds shipflow's source with caches of its own under
# RUNNER_TEMP, which act makes afresh for every job: the jobs of e2e/act
# (which inherit this environment) share the host's caches instead.
SHIPFLOW_GOCACHE=$(go env GOCACHE)
SHIPFLOW_GOMODCACHE=$(go env GOMODCACHE)
export SHIPFLOW_GOCACHE SHIPFLOW_GOMODCACHE

stage "goreleaser check"
"$SHIPFLOW_GORELEASER" check

stage gofmt
# Tracked and new Go files that exist (a file deleted in the work tree is
# still listed by git until the deletion is committed).
go_files=()
while IFS= read -r -d '' f; do
	[[ -e $f ]] && go_files+=("$f")
done < <(git ls-files -z --cached --others --exclude-standard '*.go')
unformatted=$(gofmt -l "${go_files[@]}")
if [[ -n $unformatted ]]; then
	echo "gofmt needed on:" >&2
	echo "$unformatted" >&2
	exit 1
fi

stage "go vet"
go vet ./...

stage "go test"
go test -count=1 -timeout 15m ./...

# The packages with goroutines of their own (the lint pipeline, the git
# reader, the image watcher and pushes, test runs) once more under the race
# detector.
stage "go test -race" "go test -race (concurrent packages)"
go test -race -count=1 -timeout 10m ./release/ ./release/git/ ./release/image/ ./release/testreport/

stage self-lint "shipflow lints its own history"
go run ./cmd/shipflow lint --to HEAD
