// Package scaffold holds the files `shipflow init` writes into a repository
// to set up the seed's release process: .shipflow.yaml with commented
// defaults, the project's test command (see Detect) and the release mode,
// the CI workflow and the release workflow of that mode, CHANGELOG.md with
// its insert marker, .env.template, and `.env` and the test report
// directory in .gitignore. ci.yml lints with the linter Detect finds. In a
// monorepo, .shipflow.yaml also lists the packages DetectPackages finds. It never overwrites a file unless asked to, and appending
// to .gitignore is idempotent. It also writes the seed's deploy scripts,
// deploy_docker.sh and rollback.sh (executable), and adds their section,
// with the /healthz expectation, to README.md.
//
// It is for `shipflow init`; the commit-msg hook is written by the release
// package's InstallHook, not here.
package scaffold

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"text/template"

	"github.com/shipflow/shipflow/internal/atomicfile"
	"github.com/shipflow/shipflow/internal/repofs"
	"github.com/shipflow/shipflow/release/git"
)

//go:embed templates
var templates embed.FS

// File is one file of the scaffold.
type File struct {
	// Path is slash-separated and relative to the repository root.
	Path string
	// Data is the file's content.
	Data []byte
	// Mode is the permission the file is created with.
	Mode fs.FileMode
}

// GitignorePath is the file `.env` (and the report directory) is appended to.
const GitignorePath = ".gitignore"

// GitignoreLine is the line appended to .gitignore so secrets stay out of git.
const GitignoreLine = ".env"

// sources maps each scaffold path to its embedded template (embed skips
// dot-files, so the templates have plain names); "%s" in a template's name
// is the release mode. Templates are text/templates of a templateData with
// the delimiters <% %>, since workflows use ${{ }} themselves.
var sources = []struct {
	path, template string
	mode           fs.FileMode
}{
	{".shipflow.yaml", "shipflow.yaml", 0o644},
	{".github/workflows/ci.yml", "ci.yml", 0o644},
	{".github/workflows/release.yml", "release-%s.yml", 0o644},
	{".github/workflows/ci-report.yml", "ci-report.yml", 0o644},
	{"CHANGELOG.md", "CHANGELOG.md", 0o644},
	{EnvTemplatePath, "env.template", 0o644},
	{DeployScriptPath, "deploy_docker.sh", 0o755},
	{RollbackScriptPath, "rollback.sh", 0o755},
}

// The seed's files the scaffold writes that other packages name too
// (shipflow doctor looks for them).
const (
	// EnvTemplatePath lists the variables of .env, without their values.
	EnvTemplatePath = ".env.template"
	// DeployScriptPath deploys a version's image by digest and watches it.
	DeployScriptPath = "deploy_docker.sh"
	// RollbackScriptPath switches back to the container deploy replaced.
	RollbackScriptPath = "rollback.sh"
	// ReadmePath gets the deploy section (see ReadmeMarker).
	ReadmePath = "README.md"
)

// Release modes, as in Options.ReleaseMode: release.mode's values in
// .shipflow.yaml (package config's ReleaseModePR and ReleaseModeDirect).
const (
	// ReleaseModePR keeps a release pull request on every push to main;
	// merging it is the release. The default: it works on a protected main.
	ReleaseModePR = "pr"
	// ReleaseModeDirect pushes the release commit and tag to main.
	ReleaseModeDirect = "direct"
)

// ReleaseModes lists the release modes, the default first.
var ReleaseModes = []string{ReleaseModePR, ReleaseModeDirect}

// ModeError is a release mode that is not one of ReleaseModes.
type ModeError struct{ Mode string }

func (e *ModeError) Error() string {
	return fmt.Sprintf("release mode %q: use %q (a release pull request) or %q (push the release commit to main)", e.Mode, ReleaseModePR, ReleaseModeDirect)
}

// templateData is what the templates see: the project, the release mode
// and the deploy settings.
type templateData struct {
	Project
	ReleaseMode string
	Deploy      Deploy
}

// Deploy are the settings the deploy scripts start from, as
// .shipflow.yaml has them when init runs; the scripts' environment
// (IMAGE, HEALTH_URL) overrides them.
type Deploy struct {
	// Repository is image.repository, REGISTRY/OWNER/NAME. Default none:
	// the scripts need IMAGE. A value that is not a plain image
	// repository name is left out.
	Repository string
	// Health is image.watch.health, an absolute http(s) URL. Default
	// none: http://127.0.0.1:PORT/healthz. A value that is not such a URL
	// is left out.
	Health string
}

// repositoryName is what Deploy.Repository may hold: a registry host
// (with a port) and lowercase path elements, nothing a shell would read.
// Compiled on first use: package init stays cheap.
var repositoryName = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(/[a-z0-9]+([._-]+[a-z0-9]+)*)+$`)
})

// clean drops the settings that are not what they should be, so nothing
// from .shipflow.yaml but a repository name or a URL reaches a script
// (where it is single-quoted all the same).
func (d Deploy) clean() Deploy {
	if !repositoryName().MatchString(d.Repository) {
		d.Repository = ""
	}
	if u, err := url.Parse(d.Health); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || strings.ContainsAny(d.Health, "\n\r") {
		d.Health = ""
	}
	return d
}

// shellQuote quotes s as one word for a POSIX shell.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// Project kinds, as in Project.Kind.
const (
	KindGo     = "go"
	KindPython = "python"
	KindNPM    = "npm"
	KindNone   = "" // no test setup found
)

// Project is what the scaffold adapts to: the project's test setup.
type Project struct {
	// Kind is the test setup found: KindGo, KindPython, KindNPM or KindNone.
	Kind string
	// Why names the file the kind was found from ("go.mod"), or is empty.
	Why string
	// Lint is the linter found for the kind (LintRuff, LintFlake8,
	// LintGolangci, LintGoVet, LintESLint), or "" for none: ci.yml then
	// has no Lint step.
	Lint string
	// LintWhy names what the linter was found from ("ruff.toml",
	// "setup.cfg [flake8]"), or is empty.
	LintWhy string
}

// Linters, as in Project.Lint: the name shown in the step's title.
const (
	LintRuff     = "ruff"
	LintFlake8   = "flake8"
	LintGolangci = "golangci-lint"
	LintGoVet    = "go vet"
	LintESLint   = "eslint"
)

// Kinds lists every project kind, KindNone included (for tests).
var Kinds = []string{KindGo, KindPython, KindNPM, KindNone}

// Detect looks at dir's top level for the project's test setup: go.mod is
// Go (`go test ./...`); pyproject.toml, setup.cfg, pytest.ini or
// requirements*.txt is Python (pytest with a JUnit report); a package.json
// with a test script other than npm init's placeholder is npm (`npm test`).
// The first that matches wins; nothing is KindNone. It also finds the
// linter of the kind (Project.Lint): for Go golangci-lint when
// .golangci.yml or .golangci.yaml exists, else go vet; for Python ruff,
// else flake8, when configured or required (see pythonLinter); for npm
// eslint, when configured or a dependency. Configuration files are read
// through repofs: one that leads out of the repository is not read.
func Detect(dir string) Project {
	exists := func(name string) bool {
		_, err := os.Stat(filepath.Join(dir, name))
		return err == nil
	}
	if exists("go.mod") {
		p := Project{Kind: KindGo, Why: "go.mod", Lint: LintGoVet, LintWhy: "go.mod"}
		for _, name := range []string{".golangci.yml", ".golangci.yaml"} {
			if exists(name) {
				p.Lint, p.LintWhy = LintGolangci, name
				break
			}
		}
		return p
	}
	for _, name := range []string{"pyproject.toml", "setup.cfg", "pytest.ini"} {
		if exists(name) {
			p := Project{Kind: KindPython, Why: name}
			p.Lint, p.LintWhy = pythonLinter(dir)
			return p
		}
	}
	if m, _ := filepath.Glob(filepath.Join(dir, "requirements*.txt")); len(m) > 0 {
		p := Project{Kind: KindPython, Why: filepath.Base(m[0])}
		p.Lint, p.LintWhy = pythonLinter(dir)
		return p
	}
	if data, err := os.ReadFile(filepath.Join(dir, "package.json")); err == nil {
		var pkg struct {
			Scripts map[string]string `json:"scripts"`
		}
		// npm init writes a test script that only fails: not a test setup.
		if json.Unmarshal(data, &pkg) == nil && pkg.Scripts["test"] != "" && !strings.Contains(pkg.Scripts["test"], "no test specified") {
			p := Project{Kind: KindNPM, Why: "package.json"}
			p.Lint, p.LintWhy = eslint(dir, data)
			return p
		}
	}
	return Project{Kind: KindNone}
}

// ReportDir is the directory the test: section has the project's test
// reports written to (pytest's JUnit file), which .gitignore gets, or "".
func (p Project) ReportDir() string {
	if p.Kind == KindPython {
		return "reports/"
	}
	return ""
}

// TestSection is the body of the test: section of .shipflow.yaml for p:
// the command, and the JUnit files for pytest. Without a test setup it is
// a command that fails and says what to do, so CI cannot pass without
// tests.
func (p Project) TestSection() string {
	switch p.Kind {
	case KindGo:
		return "  # Found go.mod: `shipflow test` adds -json and reports failures at file:line.\n" +
			"  command: [go, test, ./...]"
	case KindPython:
		return fmt.Sprintf("  # Found %s: pytest writes a JUnit report that shipflow reads. python3\n", p.Why) +
			"  # is on every runner and host (python only after setup-python); -m lets\n" +
			"  # the tests import the project from the repository's root.\n" +
			"  command: [python3, -m, pytest, --junitxml=reports/junit.xml]\n" +
			"  junit: [reports/junit.xml]"
	case KindNPM:
		return "  # Found package.json with a test script.\n" +
			"  command: [npm, test]"
	}
	return "  # No test setup was found (go.mod, pyproject.toml, setup.cfg, pytest.ini,\n" +
		"  # requirements*.txt, or package.json with a test script). Replace this\n" +
		"  # command, which fails on purpose, with the project's test command.\n" +
		"  command: [sh, -c, 'echo \"no test command: set test.command in .shipflow.yaml\" >&2; exit 1']"
}

// Files returns the files Write creates for a project without a test setup
// in the default release mode (see FilesFor), in the order it writes them.
func Files() []File {
	out, err := FilesFor(Project{}, "")
	if err != nil {
		panic(err) // the default mode is known
	}
	return out
}

// FilesFor returns the files Write creates for p in release mode mode
// (one of ReleaseModes; "" is ReleaseModePR), in the order it writes them
// (.gitignore and README.md, which are appended to, are not among them). Another mode is a
// *ModeError.
func FilesFor(p Project, mode string) ([]File, error) {
	return FilesForPackages(p, mode, nil)
}

// FilesForPackages is FilesFor for a repository with the packages
// DetectPackages found: .shipflow.yaml ends with their packages: section
// (see PackagesBlock; nothing for a repository of one package).
func FilesForPackages(p Project, mode string, pkgs []Detected) ([]File, error) {
	return render(p, mode, pkgs, Deploy{})
}

// render returns the files for p in mode, with the packages pkgs and the
// deploy settings d.
func render(p Project, mode string, pkgs []Detected, d Deploy) ([]File, error) {
	if mode == "" {
		mode = ReleaseModePR
	}
	if mode != ReleaseModePR && mode != ReleaseModeDirect {
		return nil, &ModeError{Mode: mode}
	}
	data := templateData{Project: p, ReleaseMode: mode, Deploy: d.clean()}
	out := make([]File, 0, len(sources))
	for _, s := range sources {
		name := s.template
		if strings.Contains(name, "%s") {
			name = fmt.Sprintf(name, mode)
		}
		b, err := templates.ReadFile("templates/" + name)
		if err != nil {
			panic(fmt.Sprintf("scaffold template %q missing: %v", name, err)) // a build mistake, caught by tests
		}
		t, err := template.New(name).Delims("<%", "%>").Option("missingkey=error").Funcs(template.FuncMap{"shell": shellQuote}).Parse(string(b))
		if err != nil {
			panic(fmt.Sprintf("scaffold template %q: %v", name, err)) // a build mistake, caught by tests
		}
		var buf bytes.Buffer
		if err := t.Execute(&buf, data); err != nil {
			panic(fmt.Sprintf("scaffold template %q: %v", name, err))
		}
		if s.template == "shipflow.yaml" {
			buf.WriteString(PackagesBlock(pkgs))
		}
		out = append(out, File{Path: s.path, Data: buf.Bytes(), Mode: s.mode})
	}
	return out, nil
}

// Action says what Write did with one path.
type Action string

// Actions in a Report.
const (
	Written     Action = "written"     // the file did not exist
	Overwritten Action = "overwritten" // it existed, differed, and Force was set
	Skipped     Action = "skipped"     // it existed and differed; Reason says how to overwrite
	Unchanged   Action = "unchanged"   // it already had the scaffold's content
	Appended    Action = "appended"    // a line was added (.gitignore)
)

// Entry is what happened to one path.
type Entry struct {
	Path   string
	Action Action
	// Reason explains a skip or an unchanged .gitignore, or is empty.
	Reason string
	// Lines are the lines appended to .gitignore (.env, the report
	// directory), or empty.
	Lines []string
}

// Report lists what Write did, one entry per path, in order.
type Report struct {
	Entries []Entry
	// Project is the test setup and linter Write found.
	Project Project
	// Packages are the packages DetectPackages found; .shipflow.yaml got a
	// packages: section for them when PackagesBlock made one.
	Packages []Detected
}

// Count returns the number of entries with action a.
func (r *Report) Count(a Action) int {
	n := 0
	for _, e := range r.Entries {
		if e.Action == a {
			n++
		}
	}
	return n
}

// Options are the knobs of Write.
type Options struct {
	// Force overwrites files that exist with other content. Default false:
	// they are skipped. .gitignore is only ever appended to.
	Force bool
	// ReleaseMode is the release mode the release workflow and
	// release.mode are written for: ReleaseModePR or ReleaseModeDirect.
	// Default "" is ReleaseModePR; another value is a *ModeError, before
	// anything is written.
	ReleaseMode string
	// Repo is the repository dir is the top level of. When set, git
	// decides whether .gitignore already ignores .env (negations, globs);
	// default nil: outside a repository, the lines of .gitignore decide.
	Repo *git.Repo
	// Deploy are the settings deploy_docker.sh and rollback.sh start
	// from (image.repository and image.watch.health of .shipflow.yaml).
	// Default none: the scripts read IMAGE and HEALTH_URL.
	Deploy Deploy
}

// Write writes the scaffold into dir (the repository's top level), with
// the test setup Detect finds there and opt.ReleaseMode's release
// workflow, adds the deploy section to README.md unless it has it
// (ReadmeMarker), and appends `.env` to .gitignore unless it already
// ignores it. Files that exist are skipped unless opt.Force is set. It stops at the
// first error, returning the report so far.
func Write(ctx context.Context, dir string, opt Options) (*Report, error) {
	rep := &Report{Project: Detect(dir), Packages: DetectPackages(dir)}
	files, err := render(rep.Project, opt.ReleaseMode, rep.Packages, opt.Deploy)
	if err != nil {
		return rep, err
	}
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		e, err := writeFile(dir, f, opt.Force)
		if err != nil {
			return rep, fmt.Errorf("writing %s: %w", f.Path, err)
		}
		rep.Entries = append(rep.Entries, e)
	}
	e, err := appendReadme(dir)
	if err != nil {
		return rep, fmt.Errorf("updating %s: %w", ReadmePath, err)
	}
	rep.Entries = append(rep.Entries, e)
	lines := []string{GitignoreLine}
	if d := rep.Project.ReportDir(); d != "" {
		lines = append(lines, d)
	}
	if e, err = appendGitignore(ctx, dir, opt.Repo, lines); err != nil {
		return rep, fmt.Errorf("updating %s: %w", GitignorePath, err)
	}
	rep.Entries = append(rep.Entries, e)
	return rep, nil
}

// ReadmeMarker opens the deploy section init adds to README.md: a
// README.md that has it is left alone.
const ReadmeMarker = "<!-- shipflow: deploy -->"

// ReadmeSection is the section init adds to README.md (or writes as
// README.md when there is none): how to deploy and roll back with the
// scripts, and what the health watch expects of /healthz.
func ReadmeSection() []byte {
	b, err := templates.ReadFile("templates/README-deploy.md")
	if err != nil {
		panic(fmt.Sprintf("scaffold template README-deploy.md missing: %v", err)) // a build mistake, caught by tests
	}
	return b
}

// appendReadme adds ReadmeSection to README.md unless it has
// ReadmeMarker; a README.md that does not exist is written with it, under
// the directory's name as its title. The
// file is read and written through repofs: a README.md that is a link out
// of the repository is skipped, with the reason.
func appendReadme(dir string) (Entry, error) {
	e := Entry{Path: ReadmePath, Action: Appended}
	old, err := repofs.ReadFile(dir, ReadmePath, repofs.DefaultMaxRead)
	switch {
	case err == nil && bytes.Contains(old, []byte(ReadmeMarker)):
		e.Action, e.Reason = Unchanged, "already has the deploy section"
		return e, nil
	case errors.Is(err, fs.ErrNotExist):
		e.Action, old = Written, nil
	case repofs.IsRefused(err):
		e.Action, e.Reason = Skipped, "not read: "+err.Error()
		return e, nil
	case err != nil:
		return e, err
	}
	data := old
	if len(data) > 0 {
		if data[len(data)-1] != '\n' {
			data = append(data, '\n')
		}
		data = append(data, '\n')
	} else {
		// A new README.md is headed by the project's name: the directory's.
		data = fmt.Appendf(nil, "# %s\n\n", filepath.Base(dir))
	}
	data = append(data, ReadmeSection()...)
	return e, repofs.WriteFile(dir, ReadmePath, data, 0o644)
}

func writeFile(dir string, f File, force bool) (Entry, error) {
	path := filepath.Join(dir, filepath.FromSlash(f.Path))
	e := Entry{Path: f.Path, Action: Written}
	old, err := os.ReadFile(path)
	switch {
	case err == nil && bytes.Equal(old, f.Data):
		e.Action = Unchanged
		return e, nil
	case err == nil && f.Path == "CHANGELOG.md":
		// A changelog is history: never replace it, not even with --force.
		e.Action, e.Reason = Skipped, "exists: a changelog's history is never replaced (shipflow changelog adds to it)"
		return e, nil
	case err == nil && !force:
		e.Action, e.Reason = Skipped, "exists with other content; --force overwrites it"
		return e, nil
	case err == nil:
		e.Action = Overwritten
	case !errors.Is(err, fs.ErrNotExist):
		return e, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return e, err
	}
	if err := atomicfile.Write(path, f.Data, f.Mode); err != nil {
		return e, err
	}
	if e.Action == Overwritten && f.Mode&0o111 != 0 {
		// An overwritten file keeps its mode: a script must run.
		return e, os.Chmod(path, f.Mode)
	}
	return e, nil
}

// appendGitignore adds the lines (.env, a report directory) that
// .gitignore does not already ignore for everyone.
func appendGitignore(ctx context.Context, dir string, repo *git.Repo, lines []string) (Entry, error) {
	path := filepath.Join(dir, GitignorePath)
	e := Entry{Path: GitignorePath, Action: Appended}
	old, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return e, err
	}
	for _, line := range lines {
		ignored := linesIgnore(old, line)
		if repo != nil {
			if ignored, err = gitIgnores(ctx, repo, line); err != nil {
				return e, err
			}
		}
		if !ignored {
			e.Lines = append(e.Lines, line)
		}
	}
	if len(e.Lines) == 0 {
		e.Action, e.Reason = Unchanged, "already ignores "+strings.Join(lines, " and ")
		return e, nil
	}
	if old == nil {
		e.Action = Written
	}
	data := old
	if len(data) > 0 && data[len(data)-1] != '\n' {
		data = append(data, '\n')
	}
	for _, line := range e.Lines {
		data = append(data, line+"\n"...)
	}
	mode := fs.FileMode(0o644)
	if fi, err := os.Stat(path); err == nil {
		mode = fi.Mode().Perm()
	}
	return e, atomicfile.Write(path, data, mode)
}

// linesIgnore reads .gitignore without git: for want (".env", or a
// directory "reports/"), the last of the lines that name it exactly, with
// or without a leading "/" or "!" (and for a directory, without its
// trailing "/"), decides, as in git (other patterns that may match, such
// as `*.env`, are not evaluated).
func linesIgnore(data []byte, want string) bool {
	ignored := false
	for line := range strings.SplitSeq(string(data), "\n") {
		line = strings.TrimSpace(line)
		neg := strings.HasPrefix(line, "!")
		name := strings.TrimPrefix(strings.TrimPrefix(line, "!"), "/")
		if name == want || strings.HasSuffix(want, "/") && name == strings.TrimSuffix(want, "/") {
			ignored = !neg
		}
	}
	return ignored
}

// IgnoredByGitignore reports whether a .gitignore of repo's work tree
// ignores line (".env") for everyone, as Write decides whether to append
// it: git's own ignore rules, negations included, but not
// .git/info/exclude or the user's global excludes file.
func IgnoredByGitignore(ctx context.Context, repo *git.Repo, line string) (bool, error) {
	return gitIgnores(ctx, repo, line)
}

// gitIgnores asks git which pattern decides about line (`git check-ignore
// -v --no-index`, so a tracked .env is judged by the patterns too; a
// directory is asked about as a file in it). It is ignored for everyone
// only when that pattern is not a negation and comes from a .gitignore in
// the work tree: .git/info/exclude and the global excludes file are the
// user's own, not the team's.
func gitIgnores(ctx context.Context, repo *git.Repo, line string) (bool, error) {
	probe := line
	if strings.HasSuffix(probe, "/") {
		probe += "shipflow-probe"
	}
	out, err := repo.Run(ctx, "check-ignore", "-v", "--no-index", "--", probe)
	var ge *git.Error
	if errors.As(err, &ge) && ge.ExitCode == 1 {
		return false, nil // no pattern matches
	}
	if err != nil {
		return false, fmt.Errorf("asking git whether %s is ignored: %w", line, err)
	}
	// source:line:pattern<TAB>path
	where, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\t")
	source, rest, _ := strings.Cut(where, ":")
	_, pattern, _ := strings.Cut(rest, ":")
	inTree := filepath.Base(source) == ".gitignore" && !filepath.IsAbs(source) && !strings.HasPrefix(source, ".git/")
	return inTree && !strings.HasPrefix(pattern, "!"), nil
}
