#!/usr/bin/env bash
# Deploys a released version of the service's image on this host, written by
# `shipflow init`. The image is pulled by its version tag and run by its
# digest; the container it replaces is kept, stopped, as NAME-previous; then
# `shipflow image watch` polls the health URL, and when the release is
# unhealthy (the watch fails) rollback.sh switches back to NAME-previous.
#
# Usage: ./deploy_docker.sh VERSION   (the image tag shipflow pushed: 1.2.3)
#
# Environment (all optional but IMAGE when no repository is set below):
#   IMAGE           image repository, REGISTRY/OWNER/NAME (default: the one below,
#                   image.repository of .shipflow.yaml when init ran)
#   NAME            container name (default: the repository's last element)
#   PORT            host port (default 8000)
#   CONTAINER_PORT  port the service listens on in the container (default PORT)
#   ENV_FILE        settings and secrets passed to the container (default .env;
#                   .env.template lists them)
#   HEALTH_URL      health check polled by the watch: 200 is healthy (default:
#                   image.watch.health of .shipflow.yaml when init ran, else
#                   http://127.0.0.1:PORT/healthz)
#   SHIPFLOW        shipflow command (default shipflow)
#
# Exit status: 0 deployed and healthy, 1 unhealthy and rolled back to the
# previous container, 2 usage (no version, image or env file; shipflow
# missing), 3 docker or the rollback failed.
set -euo pipefail

say() { printf 'deploy_docker.sh: %s\n' "$*"; }
die() {
	local code=$1
	shift
	printf 'deploy_docker.sh: %s\n' "$*" >&2
	exit "$code"
}

# exists NAME: whether a container of that exact name exists, running or
# not (docker's name filter matches a part of the name: grep keeps the exact
# one).
exists() {
	local names
	names=$(docker ps -a --filter "name=$1" --format '{{.Names}}') || die 3 "docker ps failed"
	grep -qxF -- "$1" <<<"$names"
}

[[ $# -eq 1 ]] || die 2 "usage: $0 VERSION (the image tag to deploy, as 1.2.3)"
version=${1#v}
[[ $version =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]] || die 2 "VERSION \"$1\" is not an image tag (as 1.2.3)"

default_image=<% shell .Deploy.Repository %>
image=${IMAGE:-$default_image}
[[ -n $image ]] || die 2 "no image repository: set IMAGE (as ghcr.io/OWNER/APP) or default_image in $0"
name=${NAME:-${image##*/}}
port=${PORT:-8000}
container_port=${CONTAINER_PORT:-$port}
env_file=${ENV_FILE:-.env}
default_health=<% shell .Deploy.Health %>
health=${HEALTH_URL:-${default_health:-http://127.0.0.1:$port/healthz}}
shipflow=${SHIPFLOW:-shipflow}
here=$(cd "$(dirname "$0")" && pwd)

[[ -f $env_file ]] || die 2 "$env_file not found: copy .env.template to $env_file and fill in the values"
command -v "$shipflow" >/dev/null || die 2 "$shipflow not found: install it (go install github.com/shipflow/shipflow/cmd/shipflow@latest) or set SHIPFLOW"

say "pulling $image:$version"
docker pull "$image:$version" >/dev/null || die 3 "docker pull $image:$version failed"
ref=$(docker image inspect --format '{{index .RepoDigests 0}}' "$image:$version") || die 3 "docker image inspect $image:$version failed"
[[ $ref == *@sha256:* ]] || die 3 "$image:$version has no registry digest (docker image inspect answered \"$ref\")"
digest=${ref#*@}
target="$image@$digest"

if exists "$name"; then
	current=$(docker inspect --format '{{.Config.Image}}' "$name") || die 3 "docker inspect $name failed"
	if [[ $current == "$target" ]]; then
		docker start "$name" >/dev/null || die 3 "docker start $name failed"
		say "$name already runs $image:$version ($digest): nothing to deploy"
		exit 0
	fi
	if exists "$name-previous"; then
		say "removing the older $name-previous"
		docker rm -f "$name-previous" >/dev/null || die 3 "docker rm -f $name-previous failed"
	fi
	say "keeping $name ($current) as $name-previous"
	docker rename "$name" "$name-previous" || die 3 "docker rename $name $name-previous failed"
	docker stop "$name-previous" >/dev/null || die 3 "docker stop $name-previous failed"
fi

say "starting $name from $target on port $port"
if ! docker run -d --name "$name" --env-file "$env_file" -p "$port:$container_port" --restart unless-stopped "$target" >/dev/null; then
	say "docker run failed: switching back to $name-previous"
	rrc=0
	"$here/rollback.sh" || rrc=$? # 0 switched back, 1 nothing to switch back to
	case $rrc in
	0) die 3 "docker run $target failed: rolled back to the previous container" ;;
	1) die 3 "docker run $target failed, and there was no previous container to switch back to" ;;
	*) die 3 "docker run $target failed, and so did rollback.sh (exit $rrc): see above" ;;
	esac
fi

say "watching $health"
rc=0
"$shipflow" image watch --repo "$image" --health "$health" || rc=$?
if ((rc != 0)); then
	say "the watch failed (exit $rc): switching back to $name-previous"
	rrc=0
	"$here/rollback.sh" || rrc=$? # 0 switched back, 1 nothing to switch back to
	case $rrc in
	0) die 1 "$image:$version is unhealthy: rolled back; the failed container is kept as $name-failed" ;;
	1) die 1 "$image:$version is unhealthy, and there is no previous container to switch back to: $name is left running" ;;
	*) die 3 "$image:$version is unhealthy, and rollback.sh failed (exit $rrc): see above" ;;
	esac
fi
say "deployed $image:$version ($digest) as $name; the container it replaced is kept as $name-previous (./rollback.sh switches back)"
