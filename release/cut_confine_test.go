package release

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/git"
	"github.com/shipflow/shipflow/release/github"
	"github.com/shipflow/shipflow/release/github/githubfake"
)

// A release writes its changelog only inside the work tree, never under
// .git/ and never through a committed link out of it (D1, D4); nothing is
// changed, locally or remotely, when it refuses.
func TestCutChangelogStaysInTheRepository(t *testing.T) {
	tests := []struct {
		name  string
		setup func(e *cutEnv, o *CutOptions, outside string)
		// config: the refusal is a *config.Error (exit 2); otherwise
		// ErrCutRefused (exit 1).
		config bool
		want   string
	}{
		{"config file in .git", func(e *cutEnv, o *CutOptions, _ string) {
			o.Changelog.File = ".git/config"
		}, true, `changelog.file: ".git/config" is inside .git/`},
		{"config file absolute", func(e *cutEnv, o *CutOptions, outside string) {
			o.Changelog.File = outside
		}, true, "is absolute"},
		{"config file escapes", func(e *cutEnv, o *CutOptions, _ string) {
			o.Changelog.File = "../outside.txt"
		}, true, "leaves the repository"},
		{"committed link out", func(e *cutEnv, o *CutOptions, outside string) {
			cutCommitLink(e, outside, "CHANGELOG.md")
		}, false, "outside the repository"},
		{"committed link into .git", func(e *cutEnv, o *CutOptions, _ string) {
			cutCommitLink(e, ".git/config", "CHANGELOG.md")
		}, false, "into .git/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newCutEnv(t)
			outside := filepath.Join(filepath.Dir(e.r.Dir), "outside.txt")
			if err := os.WriteFile(outside, []byte("outside\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			o := e.opts()
			tt.setup(e, &o, outside)
			gitConfig, _ := os.ReadFile(filepath.Join(e.r.Dir, ".git", "config"))
			before := e.state()
			_, err := e.cut(o)
			var ce *config.Error
			if tt.config && !errors.As(err, &ce) || !tt.config && !errors.Is(err, ErrCutRefused) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error = %v; want a refusal saying %q (config error: %v)", err, tt.want, tt.config)
			}
			if diff := cmp.Diff(before, e.state()); diff != "" {
				t.Errorf("a refused release changed the state:\n%s", diff)
			}
			if got, _ := os.ReadFile(outside); string(got) != "outside\n" {
				t.Errorf("the file outside the repository changed: %q", got)
			}
			if got, _ := os.ReadFile(filepath.Join(e.r.Dir, ".git", "config")); !bytes.Equal(got, gitConfig) {
				t.Errorf(".git/config changed:\n%s", got)
			}
		})
	}
}

func cutCommitLink(e *cutEnv, target, name string) {
	e.t.Helper()
	if err := os.Symlink(target, filepath.Join(e.r.Dir, name)); err != nil {
		e.t.Fatal(err)
	}
	e.r.Git("add", "--", name)
	e.r.Git("commit", "-q", "-m", "chore: link "+name)
	e.r.Git("push", "-q", "origin", "main")
}

// A run killed in the middle of the changelog's atomic write leaves a
// temporary file beside it. The next run must not refuse it as an
// uncommitted change (D5: "uncommitted changes (.CHANGELOG.md.4242.tmp)"
// until someone deleted it by hand): it removes it, says so, and reaches
// the end state of an uninterrupted run. Other untracked files still
// refuse.
func TestCutRemovesStaleTemporaryFiles(t *testing.T) {
	ref := newCutEnv(t)
	if _, err := ref.cut(ref.opts()); err != nil {
		t.Fatal(err)
	}
	want := ref.state()

	t.Run("planted", func(t *testing.T) {
		e := newCutEnv(t)
		stale := []string{".CHANGELOG.md.4242.tmp", ".CHANGELOG.md.shipflow-0123abcd.tmp"}
		for _, n := range stale {
			e.r.WriteFile(n, "half a changelog")
		}
		// A dry run changes nothing: it only says what the release removes.
		o := e.opts()
		o.DryRun = true
		rep, err := e.cut(o)
		if err != nil {
			t.Fatalf("dry run: %v", err)
		}
		if w := strings.Join(rep.Plan.Warnings, "\n"); !strings.Contains(w, ".CHANGELOG.md.4242.tmp is a temporary file that an interrupted run left") {
			t.Errorf("dry-run warnings = %q", w)
		}
		for _, n := range stale {
			if _, err := os.Stat(filepath.Join(e.r.Dir, n)); err != nil {
				t.Errorf("the dry run removed %s", n)
			}
		}

		rep, err = e.cut(e.opts())
		if err != nil {
			t.Fatalf("release with leftovers: %v", err)
		}
		for _, n := range stale {
			if _, err := os.Stat(filepath.Join(e.r.Dir, n)); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("%s is still there: %v", n, err)
			}
			if w := strings.Join(rep.Plan.Warnings, "\n"); !strings.Contains(w, "removed "+n+", a temporary file that an interrupted run left") {
				t.Errorf("the plan does not say %s was removed: %q", n, w)
			}
		}
		if diff := cmp.Diff(want, e.state(), cmpopts.IgnoreFields(githubfake.Release{}, "ID")); diff != "" {
			t.Errorf("end state differs from an uninterrupted run (-want +got):\n%s", diff)
		}
	})

	t.Run("not ours", func(t *testing.T) {
		e := newCutEnv(t)
		// The old temp-file pattern, but not of the changelog: a user's.
		e.r.WriteFile(".notes.4242.tmp", "mine")
		_, err := e.cut(e.opts())
		if !errors.Is(err, ErrCutRefused) || !strings.Contains(err.Error(), "uncommitted changes (.notes.4242.tmp)") {
			t.Fatalf("error = %v, want the dirty-tree refusal", err)
		}
		if _, err := os.Stat(filepath.Join(e.r.Dir, ".notes.4242.tmp")); err != nil {
			t.Errorf("a user's file was removed: %v", err)
		}
	})
}

// The same with a real SIGKILL: a child process cuts the release and is
// killed while its changelog write has the data in the temporary file but
// has not renamed it; then a re-run reaches the end state of an
// uninterrupted run.
func TestCutKilledMidChangelogWrite(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	ref := newCutEnv(t)
	if _, err := ref.cut(ref.opts()); err != nil {
		t.Fatal(err)
	}
	want := ref.state()

	e := newCutEnv(t)
	// A hang guard, not a speed check.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestCutKilledMidChangelogWriteHelper$", "-test.count=1")
	cmd.Env = append(os.Environ(), "SHIPFLOW_TEST_CUT_DIR="+e.r.Dir, "SHIPFLOW_TEST_CUT_API="+e.fake.URL)
	stdin, err := cmd.StdinPipe() // the helper blocks reading it
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	tmp := ""
	for sc := bufio.NewScanner(stdout); tmp == "" && sc.Scan(); {
		out.WriteString(sc.Text() + "\n")
		if name, ok := strings.CutPrefix(sc.Text(), "SHIPFLOW-BLOCKED-IN "); ok {
			tmp = name
			if !filepath.IsAbs(tmp) {
				tmp = filepath.Join(e.r.Dir, name)
			}
		}
	}
	if tmp == "" {
		cmd.Wait()
		t.Fatalf("the helper ended before its changelog write:\n%s%s", out.String(), stderr.String())
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	stdin.Close()
	go io.Copy(io.Discard, stdout)
	if err := cmd.Wait(); err == nil || !strings.Contains(err.Error(), "killed") {
		t.Fatalf("helper: %v, want killed", err)
	}

	// What the kill left: the temporary file with the new data, no
	// changelog, nothing committed or published.
	if data, err := os.ReadFile(tmp); err != nil || !strings.Contains(string(data), "## [1.1.0]") {
		t.Fatalf("the killed write left no temporary file %s: %v", tmp, err)
	}
	if _, err := os.Stat(filepath.Join(e.r.Dir, "CHANGELOG.md")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("CHANGELOG.md exists after the kill: %v", err)
	}

	e.gh = e.newClient()
	rep, err := e.cut(e.opts())
	if err != nil {
		t.Fatalf("re-run after the kill: %v", err)
	}
	if _, err := os.Stat(tmp); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the temporary file survived the re-run: %v", err)
	}
	if w := strings.Join(rep.Plan.Warnings, "\n"); !strings.Contains(w, "removed "+filepath.Base(tmp)) {
		t.Errorf("the plan does not say the leftover was removed: %q", w)
	}
	if diff := cmp.Diff(want, e.state(), cmpopts.IgnoreFields(githubfake.Release{}, "ID")); diff != "" {
		t.Errorf("end state differs from an uninterrupted run (-want +got):\n%s", diff)
	}
}

// TestCutKilledMidChangelogWriteHelper is the process that
// TestCutKilledMidChangelogWrite kills: it cuts the release of
// $SHIPFLOW_TEST_CUT_DIR against the fake GitHub at $SHIPFLOW_TEST_CUT_API
// and blocks inside the changelog's atomic write, after printing the
// temporary file's name, until its stdin closes.
func TestCutKilledMidChangelogWriteHelper(t *testing.T) {
	dir := os.Getenv("SHIPFLOW_TEST_CUT_DIR")
	if dir == "" {
		t.Skip("run by TestCutKilledMidChangelogWrite")
	}
	cutWriteHook = func(f *os.File) error {
		fmt.Printf("SHIPFLOW-BLOCKED-IN %s\n", f.Name())
		io.Copy(io.Discard, os.Stdin)
		return errors.New("the parent went away")
	}
	gh, err := github.New(cutTestToken, github.WithBaseURL(os.Getenv("SHIPFLOW_TEST_CUT_API")), github.WithWebURL("https://github.com"))
	if err != nil {
		t.Fatal(err)
	}
	repo, err := git.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	e := &cutEnv{t: t, gh: gh}
	_, err = Cut(context.Background(), repo, e.opts())
	t.Fatalf("the release was not killed: %v", err)
}

// The release commit message is a template from the repository: data only,
// no function that reads the machine, and a capped output.
func TestCutMessageTemplateIsData(t *testing.T) {
	t.Setenv("GITHUB_TOKEN", "ghp_SENTINELcutMessageT0ken0123456789ab")
	p := &CutPlan{Version: "1.2.0", Tag: "v1.2.0"}
	for _, tmpl := range []string{
		`{{env "GITHUB_TOKEN"}} {{.Tag}}`,
		`{{readFile "/proc/self/environ"}} {{.Tag}}`,
		`{{call .Tag}}`,
		`{{.Tag.String}}`,
		`{{range 100000000}}{{$.Tag}}{{end}}`,
	} {
		msg, err := cutMessage(tmpl, p)
		if err == nil {
			t.Errorf("template %s rendered %d bytes", tmpl, len(msg))
		}
		if strings.Contains(msg+fmt.Sprint(err), "SENTINEL") {
			t.Errorf("template %s reached the environment", tmpl)
		}
	}
	if msg, err := cutMessage(`{{range 3}}{{$.Tag}} {{end}}`, p); err != nil || msg != "v1.2.0 v1.2.0 v1.2.0 " {
		t.Errorf("cutMessage = %q, %v", msg, err)
	}
}
