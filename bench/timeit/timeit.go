//go:build ignore

// timeit runs one command and prints, on one line, its wall time, user and
// system CPU time (seconds) and peak resident set size (KiB), then its exit
// status: what GNU time prints with -f '%e %U %S %M', read from the same
// wait4 rusage, but in microseconds where GNU time rounds to 10 ms (too
// coarse for the hook's 8 ms or a 40 ms tag listing). Like GNU time, the
// peak RSS is that of the largest single process of the command's tree
// (the command or a child it waited for, such as git), not their sum.
// A sixth field is the command's own peak RSS (KiB), without its children:
// its VmHWM, polled from /proc every millisecond while it runs (0 when it
// ended before the first poll). The bench/*/run.sh scripts build it once
// (bench/lib.sh).
//
//	timeit [-dir DIR] [-out FILE] [-err FILE] -- CMD [ARG...]
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"syscall"
	"time"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("timeit: ")
	dir := flag.String("dir", "", "working `DIR`ectory of the command (default: this one)")
	out := flag.String("out", os.DevNull, "`FILE` the command's standard output goes to")
	errOut := flag.String("err", os.DevNull, "`FILE` the command's standard error is appended to")
	flag.Parse()
	if flag.NArg() == 0 {
		log.Fatal("no command given: timeit [-dir DIR] [-out FILE] [-err FILE] -- CMD [ARG...]")
	}
	stdout, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	defer stdout.Close()
	stderr, err := os.OpenFile(*errOut, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		log.Fatal(err)
	}
	defer stderr.Close()

	cmd := exec.Command(flag.Arg(0), flag.Args()[1:]...)
	cmd.Dir, cmd.Stdout, cmd.Stderr = *dir, stdout, stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		log.Fatalf("running %s: %v", flag.Arg(0), err)
	}
	done, own := make(chan struct{}), make(chan int64)
	go pollHWM(cmd.Process.Pid, done, own)
	err = cmd.Wait()
	wall := time.Since(start)
	close(done)
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		log.Fatalf("running %s: %v", flag.Arg(0), err)
	}
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		log.Fatal("no rusage for the command on this system")
	}
	secs := func(tv syscall.Timeval) float64 { return float64(tv.Sec) + float64(tv.Usec)/1e6 }
	fmt.Printf("%.6f %.6f %.6f %d %d %d\n", wall.Seconds(), secs(ru.Utime), secs(ru.Stime), ru.Maxrss, cmd.ProcessState.ExitCode(), <-own)
}

// pollHWM reads the VmHWM (peak RSS, KiB) of process pid every millisecond
// until done is closed, then sends the highest value it read.
func pollHWM(pid int, done <-chan struct{}, own chan<- int64) {
	path := fmt.Sprintf("/proc/%d/status", pid)
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	var peak int64
	for {
		if b, err := os.ReadFile(path); err == nil {
			if i := bytes.Index(b, []byte("\nVmHWM:")); i >= 0 {
				var kib int64
				if _, err := fmt.Sscan(string(b[i+len("\nVmHWM:"):]), &kib); err == nil && kib > peak {
					peak = kib
				}
			}
		}
		select {
		case <-done:
			own <- peak
			return
		case <-tick.C:
		}
	}
}
