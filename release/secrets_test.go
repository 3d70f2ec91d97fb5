package release

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/shipflow/shipflow/commitlint"
	"github.com/shipflow/shipflow/release/git"
	"github.com/shipflow/shipflow/release/report"
	"github.com/shipflow/shipflow/release/secrets"
)

// secretsAWSKey is an AWS access key id that gitleaks' aws-access-token
// rule reports; no output may ever contain it.
const secretsAWSKey = "AKIAZ52HGXYRN4WBTEST"

// secretsRepo is a repository with one commit, opened.
func secretsRepo(t *testing.T) (string, *git.Repo) {
	t.Helper()
	dir := t.TempDir()
	secretsGit(t, dir, "init", "-q", "-b", "main")
	secretsWrite(t, dir, "README.md", "hello\n")
	secretsGit(t, dir, "add", ".")
	secretsGit(t, dir, "commit", "-qm", "init")
	repo, err := git.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	return dir, repo
}

func secretsGit(t testing.TB, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-C", dir, "-c", "user.email=t@example.com", "-c", "user.name=t", "-c", "commit.gpgsign=false"}, args...)...)
	cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

func secretsWrite(t *testing.T, dir, name, text string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestScanSecretsStaged(t *testing.T) {
	dir, repo := secretsRepo(t)
	secretsWrite(t, dir, ".env", "TOKEN=x\n")
	secretsWrite(t, dir, "cfg/aws.txt", "region = eu\nkey = "+secretsAWSKey+"\n")
	secretsWrite(t, dir, "unstaged.txt", "key = "+secretsAWSKey+"\n")
	secretsGit(t, dir, "add", ".env", "cfg")
	rep, err := ScanSecrets(context.Background(), repo, SecretsOptions{Staged: true})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Scope != "staged changes" || !rep.Staged {
		t.Errorf("scope = %q", rep.Scope)
	}
	var got []string
	for _, f := range rep.Findings {
		got = append(got, f.File+":"+strconv.Itoa(f.Line)+":"+f.Rule)
	}
	want := ".env:1:env-file cfg/aws.txt:2:aws-access-token"
	if strings.Join(got, " ") != want {
		t.Errorf("findings %v, want %s", got, want)
	}
}

func TestScanSecretsStagedInEmptyRepository(t *testing.T) {
	dir := t.TempDir()
	secretsGit(t, dir, "init", "-q")
	secretsWrite(t, dir, ".env.local", "A=1\n")
	secretsGit(t, dir, "add", ".")
	repo, err := git.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := ScanSecrets(context.Background(), repo, SecretsOptions{Staged: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Findings) != 1 || rep.Findings[0].File != ".env.local" {
		t.Errorf("findings %+v, want .env.local", rep.Findings)
	}
}

func TestScanSecretsRangeAndAll(t *testing.T) {
	dir, repo := secretsRepo(t)
	base := secretsGit(t, dir, "rev-parse", "HEAD")
	secretsWrite(t, dir, "a.txt", "one\nkey = "+secretsAWSKey+"\n")
	secretsGit(t, dir, "add", ".")
	secretsGit(t, dir, "commit", "-qm", "add key")
	bad := secretsGit(t, dir, "rev-parse", "HEAD")
	secretsGit(t, dir, "rm", "-q", "a.txt")
	secretsGit(t, dir, "commit", "-qm", "remove key")
	// A branch not merged: only --all sees it.
	secretsGit(t, dir, "checkout", "-q", "-b", "side", base)
	secretsWrite(t, dir, "svc/.env", "X=1\n")
	secretsGit(t, dir, "add", ".")
	secretsGit(t, dir, "commit", "-qm", "side")
	side := secretsGit(t, dir, "rev-parse", "HEAD")
	secretsGit(t, dir, "checkout", "-q", "main")

	rep, err := ScanSecrets(context.Background(), repo, SecretsOptions{From: base})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Findings) != 1 || rep.Findings[0].Commit != bad || rep.Findings[0].File != "a.txt" || rep.Findings[0].Line != 2 {
		t.Fatalf("range findings %+v, want a.txt:2 in %s (the removal does not hide it)", rep.Findings, bad)
	}
	if rep.Scope != base+"..HEAD" {
		t.Errorf("scope %q", rep.Scope)
	}
	rep, err = ScanSecrets(context.Background(), repo, SecretsOptions{All: true})
	if err != nil {
		t.Fatal(err)
	}
	commits := map[string]string{}
	for _, f := range rep.Findings {
		commits[f.Commit] = f.File
	}
	if len(commits) != 2 || commits[bad] != "a.txt" || commits[side] != "svc/.env" {
		t.Errorf("--all findings %+v, want a.txt in %s and svc/.env in %s", rep.Findings, bad, side)
	}
}

func TestScanSecretsErrors(t *testing.T) {
	dir, repo := secretsRepo(t)
	ctx := context.Background()
	if _, err := ScanSecrets(ctx, repo, SecretsOptions{From: "no-such-rev"}); !errors.Is(err, git.ErrUnknownRevision) {
		t.Errorf("unknown revision: %v, want ErrUnknownRevision", err)
	}
	if _, err := ScanSecrets(ctx, repo, SecretsOptions{From: "--output=/tmp/x"}); !errors.Is(err, git.ErrUnknownRevision) {
		t.Errorf("option as revision: %v, want ErrUnknownRevision", err)
	}
	var ie *InputError
	if _, err := ScanSecrets(ctx, repo, SecretsOptions{}); !errors.As(err, &ie) {
		t.Errorf("no scope: %v, want *InputError", err)
	}
	if _, err := ScanSecrets(ctx, repo, SecretsOptions{Staged: true, All: true}); !errors.As(err, &ie) {
		t.Errorf("two scopes: %v, want *InputError", err)
	}
	secretsWrite(t, dir, secrets.ConfigFile, "[extend]\nurl = \"https://example.com/x.toml\"\n")
	if _, err := ScanSecrets(ctx, repo, SecretsOptions{Staged: true}); !secrets.IsConfigError(err) {
		t.Errorf("extend.url: %v, want a *secrets.ConfigError", err)
	}
}

// TestSecretsNeverPrinted renders a scan that found an AWS key, a key in
// a template and a .env in every format and looks for the key.
func TestSecretsNeverPrinted(t *testing.T) {
	dir, repo := secretsRepo(t)
	secretsWrite(t, dir, "a.txt", "key = "+secretsAWSKey+"\n")
	secretsWrite(t, dir, ".env.template", "AWS_ACCESS_KEY_ID="+secretsAWSKey+"\n")
	secretsWrite(t, dir, ".env", "AWS_ACCESS_KEY_ID="+secretsAWSKey+"\n")
	secretsGit(t, dir, "add", ".")
	base := secretsGit(t, dir, "rev-parse", "HEAD")
	for _, staged := range []bool{true, false} {
		opts := SecretsOptions{Staged: true}
		if !staged {
			secretsGit(t, dir, "commit", "-qm", "leak")
			opts = SecretsOptions{From: base}
		}
		rep, err := ScanSecrets(context.Background(), repo, opts)
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Findings) < 3 {
			t.Fatalf("staged=%v: %d findings, want at least 3: %+v", staged, len(rep.Findings), rep.Findings)
		}
		outs := map[string]*bytes.Buffer{}
		for _, format := range []string{"text", "json", "github", "sarif", "markdown", "junit", "report-text", "report-json"} {
			var b bytes.Buffer
			outs[format] = &b
			var err error
			switch format {
			case "text":
				err = rep.WriteText(&b)
			case "json":
				err = rep.WriteJSON(&b)
			case "github":
				err = rep.WriteFindings(report.NewGitHub(&b))
			case "sarif":
				err = rep.WriteFindings(report.NewSARIF(&b, "test"))
			case "markdown":
				err = rep.WriteFindings(report.NewMarkdown(&b))
			case "junit":
				err = rep.WriteFindings(report.NewJUnit(&b, "shipflow secrets"))
			case "report-text":
				err = rep.WriteFindings(report.NewText(&b))
			case "report-json":
				err = rep.WriteFindings(report.NewJSON(&b))
			}
			if err != nil {
				t.Fatal(err)
			}
			for _, leak := range []string{secretsAWSKey, secretsAWSKey[4:], "AWS_ACCESS_KEY_ID="} {
				if strings.Contains(b.String(), leak) {
					t.Errorf("staged=%v: %s output holds %q:\n%s", staged, format, leak, b.String())
				}
			}
		}
		text := outs["text"].String()
		for _, want := range []string{"a.txt:1:7:", "[aws-access-token]", ".env:1:1:", "[env-file]", ".env.template:1:", "rotate"} {
			if !strings.Contains(text, want) {
				t.Errorf("staged=%v: text lacks %q:\n%s", staged, want, text)
			}
		}
		if !strings.Contains(outs["github"].String(), "::error file=a.txt,line=1") {
			t.Errorf("github output lacks the annotation on a.txt:1:\n%s", outs["github"])
		}
		if staged && !strings.Contains(text, "git rm --cached -- .env") {
			t.Errorf("staged fix does not unstage:\n%s", text)
		}
		if !staged && !strings.Contains(text, "git filter-repo") {
			t.Errorf("range fix does not rewrite history:\n%s", text)
		}
	}
}

// TestPRReportsSecrets: the pr check reports the secrets its commits add,
// each an error, in every format, never printing them.
func TestPRReportsSecrets(t *testing.T) {
	dir, repo := secretsRepo(t)
	base := secretsGit(t, dir, "rev-parse", "HEAD")
	secretsWrite(t, dir, "deploy/aws.txt", "region = eu\nkey = "+secretsAWSKey+"\n")
	secretsGit(t, dir, "add", ".")
	secretsGit(t, dir, "commit", "-qm", "feat: add deploy config")
	head := secretsGit(t, dir, "rev-parse", "HEAD")
	rep, err := PR(context.Background(), repo, PROptions{BaseSHA: base, HeadSHA: head, Title: "feat: add deploy config", Number: 3, Lint: commitlint.ConventionalConfig()})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Secrets) != 1 || rep.Secrets[0].File != "deploy/aws.txt" || rep.Secrets[0].Line != 2 || rep.Secrets[0].Commit != head {
		t.Fatalf("secrets %+v, want deploy/aws.txt:2 in %s", rep.Secrets, head)
	}
	if rep.OK() || rep.Errors != 1 {
		t.Errorf("OK() = %v with %d errors, want a failed check with 1 error", rep.OK(), rep.Errors)
	}
	var text, js, gh, md bytes.Buffer
	if err := rep.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	if err := rep.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	if err := rep.WriteFindings(report.NewGitHub(&gh)); err != nil {
		t.Fatal(err)
	}
	if err := rep.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	for name, out := range map[string]string{"text": text.String(), "json": js.String(), "github": gh.String(), "markdown": md.String()} {
		if strings.Contains(out, secretsAWSKey) || strings.Contains(out, secretsAWSKey[4:]) {
			t.Errorf("%s output holds the key:\n%s", name, out)
		}
		if !strings.Contains(out, "deploy/aws.txt") || !strings.Contains(out, "aws-access-token") {
			t.Errorf("%s output does not name deploy/aws.txt and the rule:\n%s", name, out)
		}
	}
	if !strings.Contains(gh.String(), "::error file=deploy/aws.txt,line=2") {
		t.Errorf("github output lacks the annotation:\n%s", gh.String())
	}

	// A bad gitleaks config does not break the check: a note says the
	// secrets were not checked.
	secretsWrite(t, dir, secrets.ConfigFile, "[extend]\nurl = \"https://example.com/x.toml\"\n")
	rep, err = PR(context.Background(), repo, PROptions{BaseSHA: base, HeadSHA: head, Title: "feat: add deploy config", Number: 3, Lint: commitlint.ConventionalConfig()})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Notes) == 0 || !strings.Contains(strings.Join(rep.Notes, "\n"), "secrets not checked") {
		t.Errorf("notes %q, want one saying secrets were not checked", rep.Notes)
	}
}
