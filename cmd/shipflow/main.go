// Command shipflow turns a team's release process into checks and automation:
// commit lint, branch policy, next version, changelog, releases, test reports
// and container images, on a laptop, in a terminal and in GitHub Actions.
package main

import (
	"context"
	"os"
	"syscall"
)

func main() {
	ctx, stop := signalContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := runEnviron(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv, os.Environ())
	stop()
	os.Exit(code)
}
