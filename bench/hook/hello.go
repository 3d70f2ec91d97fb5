//go:build ignore

// hello.go is the floor of bench/hook/run.sh: the smallest Go program that
// starts, writes a line and exits, built with the same toolchain as
// shipflow, so its time is what any Go process pays on this machine.
package main

import "os"

func main() {
	os.Stdout.WriteString("hello, world\n")
}
