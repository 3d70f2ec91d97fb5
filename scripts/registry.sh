#!/usr/bin/env bash
# scripts/registry.sh: a throwaway Docker registry (Debian's docker-registry,
# distribution 2.8) on 127.0.0.1 for tests and benchmarks. It never uses the
# packaged /etc/docker/registry/config.yml, which listens on all interfaces.
#
#   scripts/registry.sh install        # apt-get install docker-registry skopeo; stop the packaged service
#   scripts/registry.sh start [DIR]    # start on 127.0.0.1:$PORT (default 5055), print REGISTRY=host:port
#   scripts/registry.sh stop [DIR]     # stop it and remove DIR
#   scripts/registry.sh status [DIR]
#
# DIR (default ${TMPDIR:-/tmp}/shipflow-registry) holds config.yml, the
# storage and the pid file. The Go tests of release/image start their own
# registries on free ports; they only need the binaries installed.
set -euo pipefail

cmd=${1:-}
DIR=${2:-${TMPDIR:-/tmp}/shipflow-registry}
PORT=${PORT:-5055}

case "$cmd" in
install)
  if ! command -v docker-registry >/dev/null || ! command -v skopeo >/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq docker-registry skopeo >/dev/null
  fi
  # The package starts a service listening on :5000 on every interface.
  if command -v systemctl >/dev/null && systemctl is-active --quiet docker-registry 2>/dev/null; then
    systemctl stop docker-registry
    systemctl disable docker-registry >/dev/null 2>&1 || true
  elif [ -f /run/docker-registry.pid ]; then
    kill "$(cat /run/docker-registry.pid)" 2>/dev/null || true
  fi
  docker-registry --version
  skopeo --version
  ;;
start)
  command -v docker-registry >/dev/null || { echo "docker-registry not installed: run $0 install" >&2; exit 1; }
  if [ -f "$DIR/pid" ] && kill -0 "$(cat "$DIR/pid")" 2>/dev/null; then
    echo "REGISTRY=$(cat "$DIR/addr")"
    exit 0
  fi
  mkdir -p "$DIR/storage"
  cat >"$DIR/config.yml" <<YAML
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $DIR/storage
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$PORT
  relativeurls: true
  secret: shipflow-local
YAML
  docker-registry serve "$DIR/config.yml" >"$DIR/log" 2>&1 &
  echo $! >"$DIR/pid"
  echo "127.0.0.1:$PORT" >"$DIR/addr"
  for _ in $(seq 100); do
    if curl -fsS -o /dev/null "http://127.0.0.1:$PORT/v2/" 2>/dev/null; then
      echo "REGISTRY=127.0.0.1:$PORT"
      exit 0
    fi
    kill -0 "$(cat "$DIR/pid")" 2>/dev/null || break
    sleep 0.1
  done
  echo "docker-registry did not start:" >&2
  cat "$DIR/log" >&2
  exit 1
  ;;
stop)
  if [ -f "$DIR/pid" ]; then
    kill "$(cat "$DIR/pid")" 2>/dev/null || true
  fi
  rm -rf "$DIR"
  ;;
status)
  if [ -f "$DIR/pid" ] && kill -0 "$(cat "$DIR/pid")" 2>/dev/null; then
    echo "running: REGISTRY=$(cat "$DIR/addr") pid $(cat "$DIR/pid")"
  else
    echo "not running"
    exit 1
  fi
  ;;
*)
  sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
  ;;
esac
