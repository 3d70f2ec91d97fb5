# syntax=docker/dockerfile:1
#
# shipflow for `docker://` users and container jobs:
#
#   - uses: docker://ghcr.io/shipflow/shipflow:1
#     with:
#       args: action next
#
# Published by .github/workflows/release.yml for linux/amd64 and
# linux/arm64. The actions in this repository are composite actions that
# download the release binary; none of them builds this file per run.

# The build stage runs on the build machine's platform and cross-compiles:
# a static binary (CGO_ENABLED=0) needs no emulation.
FROM --platform=$BUILDPLATFORM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG TARGETOS TARGETARCH
ARG VERSION=dev
RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH \
    go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/shipflow ./cmd/shipflow

# The final image needs git (shipflow runs it) and trusts every directory:
# the runner mounts the workspace owned by another user, and git refuses
# such repositories ("dubious ownership") unless safe.directory allows them.
FROM alpine:3.22
RUN apk add --no-cache git ca-certificates \
 && git config --system safe.directory '*'
COPY --from=build /out/shipflow /usr/local/bin/shipflow
ARG VERSION=dev
LABEL org.opencontainers.image.title="shipflow" \
      org.opencontainers.image.description="Release process as code: commit lint, branch rules, versions, changelogs, releases" \
      org.opencontainers.image.source="https://github.com/shipflow/shipflow" \
      org.opencontainers.image.version="${VERSION}"
ENTRYPOINT ["/usr/local/bin/shipflow"]
