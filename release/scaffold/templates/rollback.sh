#!/usr/bin/env bash
# Switches the service back to the release it ran before, written by
# `shipflow init`. deploy_docker.sh keeps the container it replaces, stopped,
# as NAME-previous; this starts it again as NAME and keeps the failed one,
# stopped, as NAME-failed for inspection (docker logs NAME-failed). Running it
# again changes nothing. deploy_docker.sh runs it when the health watch fails.
#
# Usage: ./rollback.sh [VERSION [DIGEST]]
#   With no arguments, switch back to NAME-previous. With a DIGEST
#   (sha256:...), as image.on-rollback passes them (./rollback.sh
#   {{.Version}} {{.Digest}}), switch to that image: NAME-previous when it
#   runs it, else IMAGE@DIGEST, pulled and started.
#
# Environment (as for deploy_docker.sh):
#   IMAGE           image repository (default: the one below)
#   NAME            container name (default: the repository's last element)
#   PORT, CONTAINER_PORT, ENV_FILE
#                   how a container started from a DIGEST runs (default 8000,
#                   PORT, .env)
#
# Exit status: 0 switched back (or already switched), 1 nothing to switch
# back to (no NAME-previous), 2 usage, 3 docker failed.
set -euo pipefail

say() { printf 'rollback.sh: %s\n' "$*"; }
die() {
	local code=$1
	shift
	printf 'rollback.sh: %s\n' "$*" >&2
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

# image_of NAME: the image a container runs (REPOSITORY@sha256:...).
image_of() {
	docker inspect --format '{{.Config.Image}}' "$1" || die 3 "docker inspect $1 failed"
}

[[ $# -le 2 ]] || die 2 "usage: $0 [VERSION [DIGEST]]"
version=${1:-}
digest=${2:-}
[[ -z $digest || $digest =~ ^sha256:[0-9a-f]{64}$ ]] || die 2 "DIGEST \"$digest\" is not sha256: and 64 hex digits"

default_image=<% shell .Deploy.Repository %>
image=${IMAGE:-$default_image}
name=${NAME:-${image##*/}}
[[ -n $name ]] || die 2 "no container name: set NAME, or IMAGE (as ghcr.io/OWNER/APP) or default_image in $0"
port=${PORT:-8000}
container_port=${CONTAINER_PORT:-$port}
env_file=${ENV_FILE:-.env}

target=previous
if [[ -n $digest ]]; then
	running=
	if exists "$name"; then running=$(image_of "$name"); fi
	if [[ $running == *"@$digest" ]]; then
		docker start "$name" >/dev/null || die 3 "docker start $name failed"
		say "$name already runs $digest${version:+ ($version)}: nothing to switch"
		exit 0
	fi
	previous=
	if exists "$name-previous"; then previous=$(image_of "$name-previous"); fi
	if [[ $previous != *"@$digest" ]]; then
		target=digest
		[[ -n $image ]] || die 2 "no image repository to pull $digest from: set IMAGE or default_image in $0"
		[[ -f $env_file ]] || die 2 "$env_file not found: copy .env.template to $env_file and fill in the values"
		# Pulled before anything stops: a failed pull changes nothing.
		say "pulling $image@$digest${version:+ ($version)}"
		docker pull "$image@$digest" >/dev/null || die 3 "docker pull $image@$digest failed"
	fi
elif ! exists "$name-previous"; then
	if exists "$name-failed" && exists "$name"; then
		docker start "$name" >/dev/null || die 3 "docker start $name failed"
		running=$(image_of "$name")
		say "already rolled back: $name runs $running; the failed container is kept as $name-failed"
		exit 0
	fi
	die 1 "nothing to roll back to: there is no container $name-previous (deploy_docker.sh keeps the one it replaces under that name)"
fi

if exists "$name"; then
	if exists "$name-failed"; then
		docker rm -f "$name-failed" >/dev/null || die 3 "docker rm -f $name-failed failed"
	fi
	say "stopping $name and keeping it as $name-failed"
	docker stop "$name" >/dev/null || die 3 "docker stop $name failed"
	docker rename "$name" "$name-failed" || die 3 "docker rename $name $name-failed failed"
fi

if [[ $target == previous ]]; then
	say "starting $name-previous as $name"
	docker rename "$name-previous" "$name" || die 3 "docker rename $name-previous $name failed"
	docker start "$name" >/dev/null || die 3 "docker start $name failed"
else
	say "starting $name from $image@$digest${version:+ ($version)}"
	docker run -d --name "$name" --env-file "$env_file" -p "$port:$container_port" --restart unless-stopped "$image@$digest" >/dev/null ||
		die 3 "docker run $image@$digest failed"
fi
running=$(image_of "$name")
say "rolled back: $name runs $running${version:+ ($version)}; the failed container, if any, is kept as $name-failed (docker logs $name-failed)"
