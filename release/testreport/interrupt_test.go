package testreport

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// hangGuard bounds the waits of these tests; it is never an assertion on
// speed, only a way to fail instead of hanging.
const hangGuard = 3 * time.Minute

// stubGo writes an executable named `go` into a new directory, running
// script with sh, and returns its path: Run reads its output as a
// `go test -json` stream, and no compiler is needed.
func stubGo(t *testing.T, script string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "bin")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	name := filepath.Join(dir, "go")
	if err := os.WriteFile(name, []byte("#!/bin/sh\n"+script), 0o755); err != nil {
		t.Fatal(err)
	}
	return name
}

// resultStream is a `go test -json` stream of package m/p: tests T0..Tn-1,
// every tenth failing, and no package result (the package is still running).
func resultStream(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, `{"Action":"run","Package":"m/p","Test":"T%d"}`+"\n", i)
		if i%10 == 9 {
			fmt.Fprintf(&b, `{"Action":"output","Package":"m/p","Test":"T%d","Output":"    p_test.go:%d: T%d broke\n"}`+"\n", i, i+1, i)
			fmt.Fprintf(&b, `{"Action":"fail","Package":"m/p","Test":"T%d"}`+"\n", i)
		} else {
			fmt.Fprintf(&b, `{"Action":"pass","Package":"m/p","Test":"T%d"}`+"\n", i)
		}
	}
	return b.String()
}

// signalCause is a cancellation cause naming a signal, as the CLI's is.
type signalCause struct{ sig os.Signal }

func (c signalCause) Error() string     { return c.sig.String() + " signal received" }
func (c signalCause) Signal() os.Signal { return c.sig }

// waitFile waits for name to exist, up to the hang guard.
func waitFile(t *testing.T, name string) {
	t.Helper()
	for deadline := time.Now().Add(hangGuard); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if _, err := os.Stat(name); err == nil {
			return
		}
	}
	t.Fatalf("%s did not appear within %v", name, hangGuard)
}

// processGone reports whether pid has ended (a zombie nobody reaped yet
// counts as ended).
func processGone(pid int) bool {
	if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
		return true
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return true
	}
	// pid (comm) S ...: the state follows the last ')'.
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	return i >= 0 && i+2 < len(s) && s[i+2] == 'Z'
}

// waitGone waits for pid to end, up to the hang guard: a killed process
// takes a moment to die. It reports whether it did.
func waitGone(pid int) bool {
	for deadline := time.Now().Add(hangGuard); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if processGone(pid) {
			return true
		}
	}
	return false
}

// readPID reads a pid a stub wrote.
func readPID(t *testing.T, name string) int {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	return pid
}

// interruptStub is a test command that prints 100 results (10 failing),
// then waits forever. It records the signal it gets, and starts a process
// in its group that ignores SIGINT and SIGTERM, which only the group's
// SIGKILL after the grace can end.
const interruptStub = `
trap 'echo TERM > "$STATE/leader-signal"; exit 143' TERM
trap 'echo INT > "$STATE/leader-signal"; exit 130' INT
sh -c 'trap "" TERM INT; echo $$ > "$STATE/stubborn.pid"; exec sleep 600' &
cat "$STATE/stream.json"
while [ ! -s "$STATE/stubborn.pid" ]; do sleep 0.01; done
echo done > "$STATE/printed"
while :; do sleep 1; done
`

// TestRunInterruptForwardsSignal: when ctx is cancelled by a signal, Run
// forwards that signal to the test command's whole process group, kills
// what ignores it after the grace, and returns the results read so far,
// marked as interrupted.
func TestRunInterruptForwardsSignal(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			state := t.TempDir()
			if err := os.WriteFile(filepath.Join(state, "stream.json"), []byte(resultStream(100)), 0o644); err != nil {
				t.Fatal(err)
			}
			goBin := stubGo(t, interruptStub)
			ctx, cancel := context.WithCancelCause(context.Background())
			defer cancel(nil)
			go func() {
				waitFile(t, filepath.Join(state, "printed"))
				cancel(signalCause{sig})
			}()
			type result struct {
				rep *Report
				err error
			}
			done := make(chan result, 1)
			go func() {
				rep, err := Run(ctx, RunOptions{
					Command: []string{goBin, "test", "./..."},
					Dir:     state,
					Env:     append(os.Environ(), "STATE="+state),
				})
				done <- result{rep, err}
			}()
			var r result
			select {
			case r = <-done:
			case <-time.After(hangGuard):
				t.Fatalf("Run did not return within %v of the interruption", hangGuard)
			}
			if r.err != nil {
				t.Fatal(r.err)
			}
			rep := r.rep
			if want := sig.String() + " signal received"; rep.Interrupted != want {
				t.Errorf("Interrupted = %q, want %q", rep.Interrupted, want)
			}
			if rep.Passed() {
				t.Error("an interrupted run passed")
			}
			if n := rep.Counts(); n.Passed != 90 || n.Failed < 10 {
				t.Errorf("counts %+v, want the 90 passed and 10 failed read before the signal", n)
			}
			got, _ := os.ReadFile(filepath.Join(state, "leader-signal"))
			if want := map[syscall.Signal]string{syscall.SIGTERM: "TERM", syscall.SIGINT: "INT"}[sig]; strings.TrimSpace(string(got)) != want {
				t.Errorf("the command got %q, want %s forwarded", got, want)
			}
			if pid := readPID(t, filepath.Join(state, "stubborn.pid")); !waitGone(pid) {
				syscall.Kill(pid, syscall.SIGKILL)
				t.Errorf("process %d of the command's group, which ignores %v, is still running", pid, sig)
			}
			var text bytes.Buffer
			if err := WriteText(&text, rep, TextOptions{}); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(text.String(), "INTERRUPTED: 90 passed") || !strings.Contains(text.String(), "m/p.T99") {
				t.Errorf("text report:\n%s", text.String())
			}
		})
	}
}

// TestRunNoResultsWarns: a command that exits 0 without a single test
// result read passes, with a warning that every format shows.
func TestRunNoResultsWarns(t *testing.T) {
	tests := []struct {
		name    string
		script  string // of a stub `go`; "" runs `true`
		warning string // "" for none
	}{
		{"empty go test stream", "exit 0\n", "no test ran, or the output was not a `go test -json` stream"},
		{"garbage go test stream", "echo 'not json'; echo '{\"broken'\n", "no test ran"},
		{"other runner without JUnit", "", "have the runner write JUnit XML"},
		{"a result", `echo '{"Action":"pass","Package":"m/p","Test":"T"}'` + "\n", ""},
		{"exit 1, nothing read", "exit 1\n", ""}, // a failure already
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := []string{"true"}
			if tt.script != "" {
				cmd = []string{stubGo(t, tt.script), "test", "./..."}
			}
			rep, err := Run(context.Background(), RunOptions{Command: cmd, Dir: t.TempDir()})
			if err != nil {
				t.Fatal(err)
			}
			if tt.warning == "" {
				if len(rep.Warnings) > 0 {
					t.Errorf("warnings %q, want none", rep.Warnings)
				}
				return
			}
			if !rep.Passed() {
				t.Error("a warning failed the run")
			}
			if len(rep.Warnings) != 1 || !strings.Contains(rep.Warnings[0], tt.warning) {
				t.Fatalf("warnings %q, want one with %q", rep.Warnings, tt.warning)
			}
			var text, summary, js bytes.Buffer
			WriteText(&text, rep, TextOptions{})
			WriteSummary(&summary, rep, SummaryOptions{})
			WriteJSON(&js, rep)
			var decoded struct{ Warnings []string }
			json.Unmarshal(js.Bytes(), &decoded)
			anns := Annotations(rep)
			for _, c := range []struct {
				format string
				ok     bool
			}{
				{"text", strings.Contains(text.String(), "warning: ")},
				{"summary", strings.Contains(summary.String(), "[!WARNING]")},
				{"json", len(decoded.Warnings) == 1},
				{"annotations", len(anns) == 1 && anns[0].Level == "warning"},
			} {
				if !c.ok {
					t.Errorf("the %s output does not show the warning:\n%s%s%s%+v", c.format, text.String(), summary.String(), js.String(), anns)
				}
			}
		})
	}
}
