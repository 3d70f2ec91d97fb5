package commitlint

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const stripScissors = "------------------------ >8 ------------------------"

// stripCases are shared by TestStrip (want written by hand) and
// TestStripMatchesGitStripspace (want = git's output).
var stripCases = []struct {
	name        string
	commentChar string
	in          string
	want        string
}{
	{name: "comment lines", in: "feat: x\n# Please enter the commit message\n#\n", want: "feat: x\n"},
	{name: "empty comment char means hash", commentChar: "", in: "feat: x\n# c\n", want: "feat: x\n"},
	{name: "custom comment char", commentChar: ";", in: "feat: x\n# kept\n; dropped\n", want: "feat: x\n# kept\n"},
	{name: "indented comment is kept", in: "feat: x\n\n  # indented\n", want: "feat: x\n\n  # indented\n"},
	{name: "trailing whitespace", in: "feat: x  \t\nbody \r\n", want: "feat: x\nbody\n"},
	{name: "vertical tab and form feed are not whitespace to git", in: "a\v\nb \f \n", want: "a\v\nb \f\n"},
	{name: "runs of blank lines", in: "a\n\n\n\nb\n", want: "a\n\nb\n"},
	{name: "whitespace-only lines are blank", in: "a\n  \n\t\nb", want: "a\n\nb\n"},
	{name: "leading and trailing blank lines", in: "\n\n  a\n\n\n", want: "  a\n"},
	{name: "comment between paragraphs", in: "a\n\n# c\n\nb", want: "a\n\nb\n"},
	{name: "comment joins paragraphs", in: "a\n# c\nb\n", want: "a\nb\n"},
	{name: "only comments", in: "# a\n# b\n", want: ""},
	{name: "empty", in: "", want: ""},
	{name: "no final newline", in: "feat: x", want: "feat: x\n"},
	{name: "crlf", in: "feat: x\r\n\r\nbody\r\n", want: "feat: x\n\nbody\n"},
	{name: "multi-byte text", in: "feat: ünï 🎉  \n", want: "feat: ünï 🎉\n"},
	{name: "scissors", in: "feat: x\n# " + stripScissors + "\ndiff --git a/x b/x\n+feat: not me\n", want: "feat: x\n"},
	{name: "scissors with custom char", commentChar: ";", in: "feat: x\n; " + stripScissors + "\n+kept? no\n", want: "feat: x\n"},
	{name: "scissors at the start", in: "# " + stripScissors + "\nfeat: x\n", want: ""},
	{name: "scissors inside a line is text", in: "feat: x\nsee # " + stripScissors + "\nbody\n", want: "feat: x\nsee # " + stripScissors + "\nbody\n"},
	{name: "scissors of another char is text", in: "feat: x\n; " + stripScissors + "\nbody\n", want: "feat: x\n; " + stripScissors + "\nbody\n"},
	{name: "scissors with trailing text is a comment only", in: "feat: x\n# " + stripScissors + " x\nbody\n", want: "feat: x\nbody\n"},
	// Without git's help text, "auto" picks a character that starts no
	// line, so nothing is a comment (see TestStripAutoChar for the choice).
	{name: "auto keeps every line", commentChar: "auto", in: "#123 is fixed  \n; kept\n\n\n@ kept\n", want: "#123 is fixed\n; kept\n\n@ kept\n"},
	{name: "auto hook help text names the char", commentChar: "auto", in: "#123 is fixed\n\n; Please enter the commit message for your changes. Lines starting\n; with ';' will be ignored.\n", want: "#123 is fixed\n"},
	{name: "auto last help text wins", commentChar: "auto", in: "# Please enter the commit message\n#1\n@ Please enter the commit message\n", want: "# Please enter the commit message\n#1\n"},
	{name: "auto scissors names the char", commentChar: "auto", in: "#1 fix\n; " + stripScissors + "\n+x\n", want: "#1 fix\n"},
}

func TestStripAutoChar(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"empty", "", "#"},
		{"no hash anywhere", "feat: x\n;y\n", "#"},
		{"hash only mid-line", "fix: #1\n;y\n", "#"},
		{"hash at the start", "#1\n", ";"},
		{"hash after a line feed", "x\n#1\n", ";"},
		{"hash after a carriage return", "x\r#1", ";"},
		{"skips used candidates", "#1\n;2\n@3\n!4\n$5\n%6\n", "^"},
		{"all used falls back to hash", "#\n;\n@\n!\n$\n%\n^\n&\n|\n:\n", "#"},
		{"help text", "#1\n\n% Please enter the commit message for your changes.\n", "%"},
		{"scissors line", "#1\n\n| " + stripScissors + "\n", "|"},
		{"scissors with text after is no scissors", "#1\n\n| " + stripScissors + " x\n", ";"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := stripAutoChar(tc.in); got != tc.want {
				t.Errorf("stripAutoChar(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestStrip(t *testing.T) {
	for _, tc := range stripCases {
		t.Run(tc.name, func(t *testing.T) {
			if got := Strip(tc.in, tc.commentChar); got != tc.want {
				t.Errorf("Strip(%q, %q) = %q, want %q", tc.in, tc.commentChar, got, tc.want)
			}
		})
	}
}

// TestStripHookHelpText: in hook mode with core.commentChar=auto, the file
// holds git's help text, which names the character git chose; applying
// git's choice rule to the edited file would pick another one.
func TestStripHookHelpText(t *testing.T) {
	in := "#123 is fixed\n\n; Please enter the commit message for your changes. Lines starting\n; with ';' will be ignored.\n"
	if got, want := Strip(in, "auto"), "#123 is fixed\n"; got != want {
		t.Errorf("Strip = %q, want %q", got, want)
	}
	in = "#123 is fixed\n\n# Please enter the commit message for your changes. Lines starting\n"
	if got, want := Strip(in, "auto"), ""; got != want {
		t.Errorf("Strip = %q, want %q", got, want)
	}
}

// TestStripMatchesGitStripspace runs `git stripspace --strip-comments` on
// the table's inputs and on generated ones. stripspace does not cut at the
// scissors line and does not resolve "auto" (it uses "#"), so those
// inputs are cut first and auto cases are left to TestStripMatchesGitCommit.
func TestStripMatchesGitStripspace(t *testing.T) {
	stripNeedGit(t)
	check := func(name, in, c string) {
		t.Helper()
		if c == "" {
			c = "#"
		}
		cut := in[:stripLocateEnd(in, c)]
		want, err := stripGit(t, "", cut, nil, "-c", "core.commentChar="+c, "stripspace", "--strip-comments")
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got := Strip(in, c); got != want {
			t.Errorf("%s: Strip(%q, %q) = %q, git stripspace = %q", name, in, c, got, want)
		}
	}
	for _, tc := range stripCases {
		if tc.commentChar != "auto" {
			check(tc.name, tc.in, tc.commentChar)
		}
	}
	rng := rand.New(rand.NewPCG(2, 3))
	for i := range 150 {
		c := string(stripAutoCandidates[rng.IntN(len(stripAutoCandidates))])
		check("generated "+string(rune('a'+i%26)), stripRandomMessage(rng, c), c)
	}
}

// stripRandomMessage builds an editor-like message from pieces that
// matter to Strip.
func stripRandomMessage(rng *rand.Rand, c string) string {
	pieces := []string{"feat: x", "", " ", "\t", "body text", "  indented", c + " comment", c, "#", ";x", "a \t", "trail\r", "\r", "ünï", c + " " + stripScissors, "x " + c + " " + stripScissors, "\v", "BREAKING CHANGE: y"}
	var b strings.Builder
	for range rng.IntN(12) {
		b.WriteString(pieces[rng.IntN(len(pieces))])
		if rng.IntN(8) > 0 {
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// TestStripMatchesGitCommit records real commits with `git commit
// --cleanup=strip -v -F FILE` (scissors cut and "auto" included) and
// compares the stored message with Strip of the same file.
func TestStripMatchesGitCommit(t *testing.T) {
	stripNeedGit(t)
	dir := stripGitRepo(t)
	cases := []struct{ name, commentChar, in string }{
		{"plain", "#", "feat: x\n\n# comment\nbody  \n\n\n"},
		{"scissors", "#", "feat: x\n# " + stripScissors + "\n+feat: fake\n"},
		{"custom char scissors", ";", "feat: x\n#kept\n; " + stripScissors + "\n+feat: fake\n"},
		{"auto without hash", "auto", "feat: x\n\n; kept\n"},
		{"auto hash at line start", "auto", "#123 is fixed\n; dropped\n"},
		{"auto many used", "auto", "#1\n;2\n@3\n!4\n$ kept\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "msg")
			if err := os.WriteFile(file, []byte(tc.in), 0o644); err != nil {
				t.Fatal(err)
			}
			got := Strip(tc.in, tc.commentChar)
			_, err := stripGit(t, dir, "", nil, "-c", "core.commentChar="+tc.commentChar, "commit", "--allow-empty", "--cleanup=strip", "-v", "-F", file)
			if got == "" {
				if err == nil {
					t.Fatalf("Strip gave an empty message but git committed %q", tc.in)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if want := stripHeadMessage(t, dir); got != want {
				t.Errorf("Strip(%q, %q) = %q, git stored %q", tc.in, tc.commentChar, got, want)
			}
		})
	}
}

// TestStripHookMode is the commit-msg hook's real situation: git writes
// its template (help text, and with -v the scissors line and the diff),
// the editor adds the user's text, the hook gets the file. Strip of the
// hook's file must be the message git stores.
func TestStripHookMode(t *testing.T) {
	stripNeedGit(t)
	dir := stripGitRepo(t)
	tmp := t.TempDir()
	seen := filepath.Join(tmp, "seen")
	hook := filepath.Join(dir, ".git", "hooks", "commit-msg")
	if err := os.WriteFile(hook, []byte("#!/bin/sh\ncp \"$1\" '"+seen+"'\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	editor := filepath.Join(tmp, "editor")
	user := filepath.Join(tmp, "user")
	// The editor puts the user's text above git's template.
	if err := os.WriteFile(editor, []byte("#!/bin/sh\ncat '"+user+"' \"$1\" > \"$1.new\" && mv \"$1.new\" \"$1\"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, commentChar, user string
		args                    []string
	}{
		{"default", "#", "feat: x\n\nbody\n", nil},
		{"verbose diff below scissors", "#", "feat: x\n", []string{"-v"}},
		{"custom char", ";", "feat: x\n# kept\n", []string{"-v"}},
		// git picked "#" for an empty template, so "#123" is a comment.
		{"auto picks from the template", "auto", "feat: x\n#123 dropped\n", []string{"-v"}},
		// With -F the template holds "#123", so git picks ";".
		{"auto with a message file", "auto", "", []string{"-F", "MSGFILE", "-e"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if err := os.WriteFile(user, []byte(tc.user), 0o644); err != nil {
				t.Fatal(err)
			}
			msgFile := filepath.Join(tmp, "msgfile")
			if err := os.WriteFile(msgFile, []byte("#123 kept\n\nfeat: y\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			// A staged change makes -v show a diff with comment-like lines.
			if err := os.WriteFile(filepath.Join(dir, "f.txt"), []byte("# not a comment\nfeat: fake "+tc.name+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			if _, err := stripGit(t, dir, "", nil, "add", "f.txt"); err != nil {
				t.Fatal(err)
			}
			args := []string{"-c", "core.commentChar=" + tc.commentChar, "-c", "core.editor=" + editor, "commit"}
			for _, a := range tc.args {
				args = append(args, strings.ReplaceAll(a, "MSGFILE", msgFile))
			}
			if _, err := stripGit(t, dir, "", nil, args...); err != nil {
				t.Fatal(err)
			}
			hookFile, err := os.ReadFile(seen)
			if err != nil {
				t.Fatal(err)
			}
			want := stripHeadMessage(t, dir)
			if got := Strip(string(hookFile), tc.commentChar); got != want {
				t.Errorf("Strip(hook file %q, %q) = %q, git stored %q", hookFile, tc.commentChar, got, want)
			}
		})
	}
}

func stripNeedGit(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Fatalf("these tests compare with real git, which is not installed (apt-get install git): %v", err)
	}
}

// stripGitRepo makes an empty repository with one commit.
func stripGitRepo(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if _, err := stripGit(t, dir, "", nil, "init", "-q", "-b", "main"); err != nil {
		t.Fatal(err)
	}
	if _, err := stripGit(t, dir, "", nil, "commit", "-q", "--allow-empty", "-m", "chore: init"); err != nil {
		t.Fatal(err)
	}
	return dir
}

// stripHeadMessage returns HEAD's message exactly as stored.
func stripHeadMessage(t *testing.T, dir string) string {
	t.Helper()
	out, err := stripGit(t, dir, "", nil, "cat-file", "commit", "HEAD")
	if err != nil {
		t.Fatal(err)
	}
	_, msg, _ := strings.Cut(out, "\n\n")
	return msg
}

// stripGit runs git hermetically in dir (no repository when dir is "")
// with stdin, returning stdout, or an error with stderr.
func stripGit(t *testing.T, dir, stdin string, env []string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command("git", args...)
	if dir != "" {
		cmd.Dir = dir
	} else {
		cmd.Dir = t.TempDir()
	}
	cmd.Env = append([]string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + cmd.Dir,
		"GIT_CONFIG_GLOBAL=/dev/null",
		"GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME=A U Thor", "GIT_AUTHOR_EMAIL=author@example.com",
		"GIT_COMMITTER_NAME=C O Mitter", "GIT_COMMITTER_EMAIL=committer@example.com",
		"GIT_AUTHOR_DATE=2026-01-02T03:04:05Z", "GIT_COMMITTER_DATE=2026-01-02T03:04:05Z",
		"GIT_CEILING_DIRECTORIES=" + filepath.Dir(cmd.Dir),
	}, env...)
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return stdout.String(), errors.Join(err, errors.New(strings.Join(args, " ")+": "+stderr.String()))
	}
	return stdout.String(), nil
}

func BenchmarkStrip(b *testing.B) {
	msg := "feat(api): add the thing\n\nA body.\n\n# Please enter the commit message for your changes. Lines starting\n# with '#' will be ignored.\n#\n# On branch main\n# " + stripScissors + "\n" + strings.Repeat("+diff line\n", 2000)
	b.ReportAllocs()
	for b.Loop() {
		Strip(msg, "auto")
	}
}
