package branch

import (
	"bufio"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// refNameCases are names around every rule of git-check-ref-format(1).
var refNameCases = []string{
	"", "a", "@", "-", "-x", "x-", "HEAD", "head", "HEAD/x", "x/HEAD", "refs/heads/x",
	"a/b", "a//b", "/a", "a/", "a/b/",
	".a", "a.", "a/.b", "a./b", "a..b", "a.b", "a/..", "a/.", ".",
	"x.lock", "x.lock/y", "x/y.lock", "x.lockx", ".lock", "a.lock.", "lock",
	"a@{b", "a@b", "a{b", "@{-1}", "a@", "@a", "a@/{b",
	"a b", "a~b", "a^b", "a:b", "a?b", "a*b", "a[b", "a]b", "a\\b", "a\tb", "a\x7fb", "a\x01b",
	"é", "feature/café", "a\xffb", "日本/語",
	"feature/add-login", "hotfix/CVE-2024.1_x", "gh-readonly-queue/main/pr-1-abc",
	"dependabot/npm_and_yarn/@types/node-20.1.0", "a!b", "a#b", "a%b", "a'b", "a\"b", "a,b", "a;b", "a<b>", "a=b", "a|b",
}

// gitCheckRefFormat runs the real `git check-ref-format --branch` outside any
// repository and reports whether it accepted name.
func gitCheckRefFormat(t testing.TB, dir, name string) bool {
	t.Helper()
	cmd := exec.Command("git", "check-ref-format", "--branch", name)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(),
		"GIT_CEILING_DIRECTORIES="+filepath.Dir(dir),
		"GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1", "LC_ALL=C")
	out, err := cmd.Output()
	var ee *exec.ExitError
	switch {
	case err == nil:
		if got := strings.TrimSuffix(string(out), "\n"); got != name {
			t.Fatalf("git check-ref-format --branch %q printed %q", name, got)
		}
		return true
	case errors.As(err, &ee):
		return false
	default:
		t.Fatalf("running git check-ref-format: %v", err)
		return false
	}
}

// TestCheckRefNameMatchesGit compares CheckRefName with the git binary over
// a table and the fuzz seed corpus.
func TestCheckRefNameMatchesGit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Fatal("git is required: apt-get install git")
	}
	dir := t.TempDir()
	names := append([]string(nil), refNameCases...)
	names = append(names, corpusNames(t)...)
	for _, name := range names {
		if strings.ContainsRune(name, 0) {
			continue // cannot be passed as an argument
		}
		want := gitCheckRefFormat(t, dir, name)
		err := CheckRefName(name)
		if got := err == nil; got != want {
			t.Errorf("CheckRefName(%q) = %v, git says valid=%v", name, err, want)
		}
		if err != nil && (err.Column < 0 || err.Column > utf8.RuneCountInString(name)) {
			t.Errorf("CheckRefName(%q): column %d outside the name", name, err.Column)
		}
	}
}

// corpusNames reads the seed corpus of FuzzCheckRefName.
func corpusNames(t *testing.T) []string {
	files, err := filepath.Glob(filepath.Join("testdata", "fuzz", "FuzzCheckRefName", "*"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(fh)
		for sc.Scan() {
			line := sc.Text()
			if s, ok := strings.CutPrefix(line, "string("); ok {
				v, err := strconv.Unquote(strings.TrimSuffix(s, ")"))
				if err != nil {
					t.Fatalf("%s: %v", f, err)
				}
				names = append(names, v)
			}
		}
		fh.Close()
	}
	return names
}

// FuzzCheckRefName checks CheckRefName against git. Run with
// `go test -fuzz FuzzCheckRefName ./release/branch`; interesting inputs land
// in testdata/fuzz and TestCheckRefNameMatchesGit replays them.
func FuzzCheckRefName(f *testing.F) {
	for _, c := range refNameCases {
		f.Add(c)
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, name string) {
		err := CheckRefName(name)
		if err != nil && (err.Column < 0 || err.Column > utf8.RuneCountInString(name)) {
			t.Fatalf("CheckRefName(%q): column %d outside the name", name, err.Column)
		}
		// Check must never panic whatever the name.
		Check(name, name, DefaultPolicy())
		if strings.ContainsRune(name, 0) || len(name) > 4096 {
			return
		}
		if want := gitCheckRefFormat(t, dir, name); (err == nil) != want {
			t.Fatalf("CheckRefName(%q) = %v, git says valid=%v", name, err, want)
		}
	})
}

func TestCheckRefNameMessages(t *testing.T) {
	cases := []struct {
		name string
		want string
	}{
		{"a..b", `"a..b": character 2: ".." is not allowed`},
		{"a/.b", `"a/.b": character 3: a part cannot start with '.'`},
		{"x.lock", `"x.lock": character 2: a part cannot end with ".lock"`},
		{"é x", `"é x": character 2: ' ' is not allowed`},
		{"HEAD", `"HEAD": "HEAD" is not a valid branch name`},
		{"a/", `"a/": character 2: a branch name cannot end with '/'`},
		{"a.", `"a.": character 2: a branch name cannot end with '.'`},
		{"a@{", `"a@{": character 2: "@{" is not allowed`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := CheckRefName(c.name)
			if err == nil {
				t.Fatalf("CheckRefName(%q) = nil", c.name)
			}
			if err.Error() != c.want {
				t.Errorf("CheckRefName(%q) = %s, want %s", c.name, err, c.want)
			}
		})
	}
}

func BenchmarkCheck(b *testing.B) {
	p := DefaultPolicy()
	for b.Loop() {
		Check("refs/heads/feature/tts/speech-cache", "dev", p)
	}
}
