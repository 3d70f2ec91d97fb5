package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/shipflow/shipflow/commitlint"
	"github.com/shipflow/shipflow/release"
	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/git"
	"github.com/spf13/cobra"
)

func init() { verbs = append(verbs, newLintCmd) }

// lintMaxMessage bounds what lint reads from a file or stdin; a commit
// message larger than this is not a commit message.
const lintMaxMessage = 64 << 20

type lintFlags struct {
	message     string
	edit        string
	from, to    string
	fromLastTag bool
	format      string
	strict      bool
}

func newLintCmd(e *env) *cobra.Command {
	var f lintFlags
	cmd := &cobra.Command{
		Use:   "lint",
		Short: "Lint commit messages as Conventional Commits with commitlint's rules",
		Long: `Lint commit messages as Conventional Commits 1.0 with commitlint's rules
(.commitlintrc.json|yaml|yml, or @commitlint/config-conventional's defaults).

The message comes from stdin, --message, --edit FILE (the commit-msg hook: the
file is cleaned up as 'git commit --cleanup=strip' does), or a range of
commits (--from/--to, --from-last-tag).

Exit status: 0 clean, 1 errors found (warnings too with --strict),
2 usage or configuration error, 3 git or I/O failure.`,
		Example: `  echo "feat(core): add a thing" | shipflow lint
  shipflow lint --edit .git/COMMIT_EDITMSG
  shipflow lint --from-last-tag --format github
  shipflow lint --from origin/main --format sarif > lint.sarif`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runLint(e, cmd, f) },
	}
	fl := cmd.Flags()
	fl.StringVarP(&f.message, "message", "m", "", "lint this message `TEXT`")
	fl.StringVarP(&f.edit, "edit", "e", "", "lint the message in `FILE` as the commit-msg hook does (comments and scissors stripped)")
	fl.StringVar(&f.from, "from", "", "lint commits after `REF` (exclusive)")
	fl.StringVar(&f.to, "to", "", "lint commits up to `REF` (inclusive; default HEAD)")
	fl.BoolVar(&f.fromLastTag, "from-last-tag", false, "lint commits since the most recent tag (all commits when there is none)")
	fl.StringVar(&f.format, "format", "text", "output `FORMAT`: text, json, github (workflow annotations) or sarif (SARIF 2.1.0 for code scanning)")
	fl.BoolVar(&f.strict, "strict", false, "warnings fail too (exit 1)")
	cmd.MarkFlagsMutuallyExclusive("message", "edit", "from")
	cmd.MarkFlagsMutuallyExclusive("message", "edit", "from-last-tag")
	cmd.MarkFlagsMutuallyExclusive("from", "from-last-tag")
	return cmd
}

func runLint(e *env, cmd *cobra.Command, f lintFlags) error {
	switch f.format {
	case "text", "json", "github", "sarif":
	default:
		return usageErr("unknown --format %q: use text, json, github or sarif", f.format)
	}
	rangeMode := f.from != "" || f.to != "" || f.fromLastTag
	if rangeMode && (cmd.Flags().Changed("message") || cmd.Flags().Changed("edit")) {
		return usageErr("--message and --edit lint one message; --from, --to and --from-last-tag lint a range: pick one")
	}

	// Configuration comes from the repository's top level when there is
	// one, else from the directory shipflow runs in.
	var repo *git.Repo
	dir := e.dir
	var openOpts []git.Option
	if f.edit != "" {
		// git runs the commit-msg hook in the top level: skip asking it.
		openOpts = append(openOpts, git.AtTopLevel())
	}
	if r, err := git.Open(e.ctx, e.dir, openOpts...); err == nil {
		repo, dir = r, r.Dir()
	} else if rangeMode {
		return usageErr("%v", err)
	}
	sf, _, err := config.Load(dir)
	if err != nil {
		return usageErr("%v", err)
	}
	cfg, err := release.LintConfig(dir, sf.Lint)
	if err != nil {
		return usageErr("%v", err)
	}
	strict := f.strict || sf.Lint.Strict

	if rangeMode {
		return lintRange(e, repo, cfg, f, strict)
	}

	var msg, source string
	switch {
	case cmd.Flags().Changed("message"):
		msg, source = f.message, ""
	case f.edit != "":
		path := f.edit
		if !filepath.IsAbs(path) {
			// Like every other path, --edit is relative to -C.
			path = filepath.Join(e.dir, path)
		}
		b, err := lintReadFile(path)
		if err != nil {
			return usageErr("%v", err)
		}
		comment := ""
		if repo != nil {
			if v, ok, _ := repo.ConfigValue(e.ctx, "core.commentChar"); ok {
				comment = v
			}
		}
		msg, source = commitlint.Strip(string(b), comment), f.edit
	default:
		if f, ok := e.stdin.(*os.File); ok && isTerminal(f) {
			return usageErr("no message to lint: pipe one in, or pass --message TEXT, --edit FILE, or a range (--from/--to, --from-last-tag)")
		}
		b, err := io.ReadAll(io.LimitReader(e.stdin, lintMaxMessage+1))
		if err != nil {
			return failure(fmt.Errorf("reading the message from stdin: %w", err))
		}
		if len(b) > lintMaxMessage {
			return usageErr("stdin: the message is larger than %d MiB; that is not a commit message", lintMaxMessage>>20)
		}
		msg, source = string(b), "<stdin>"
	}
	res := commitlint.Lint(msg, cfg, commitlint.Input{})
	if err := lintPrintOne(e.stdout, f.format, source, res); err != nil {
		return failure(err)
	}
	if res.Errors() > 0 || strict && res.Warnings() > 0 {
		return findings()
	}
	return nil
}

// lintReadFile reads a message file, refusing directories and files too
// large to be a commit message.
func lintReadFile(path string) ([]byte, error) {
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("--edit %s: no such file", path)
	}
	if err != nil {
		return nil, fmt.Errorf("--edit: %w", err)
	}
	if fi.IsDir() {
		return nil, fmt.Errorf("--edit %s: is a directory, not a message file", path)
	}
	if fi.Size() > lintMaxMessage {
		return nil, fmt.Errorf("--edit %s: %d bytes is larger than %d MiB; that is not a commit message", path, fi.Size(), lintMaxMessage>>20)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("--edit: %w", err)
	}
	return b, nil
}

func lintRange(e *env, repo *git.Repo, cfg commitlint.Config, f lintFlags, strict bool) error {
	from := f.from
	if f.fromLastTag {
		tag, err := release.LastTag(e.ctx, repo, f.to)
		if err != nil {
			return lintGitErr(err)
		}
		from = tag
	}
	opts := release.LintRangeOptions{From: from, To: f.to, Config: cfg}
	// Linting allocates a little per commit and keeps almost nothing: the
	// live heap is a few MB whatever the range. Collecting when it has
	// grown 3× instead of 2× saves most of the GC work (10% of the CPU on
	// 100k commits) for 2 MB more memory, still flat as the range grows.
	defer debug.SetGCPercent(debug.SetGCPercent(200))
	// Long ranges print a lot: one write per line would cost a system call
	// each.
	out := bufio.NewWriterSize(e.stdout, 64<<10)
	defer out.Flush()
	var jw *lintJSONWriter
	var sw *lintSARIFWriter
	switch f.format {
	case "json":
		jw = &lintJSONWriter{w: out}
		opts.OnCommit = jw.commit
	case "sarif":
		sw = &lintSARIFWriter{w: out}
		opts.OnCommit = sw.commit
	case "text":
		opts.OnCommit = func(cl release.CommitLint) {
			if len(cl.Findings) > 0 {
				lintPrintText(out, cl.Commit.Short(), cl.Result, "  ")
			}
		}
	case "github":
		opts.OnCommit = func(cl release.CommitLint) {
			lintPrintGitHub(out, "", cl.Commit.Short(), cl.Result)
		}
	}
	rep, err := release.LintRange(e.ctx, repo, opts)
	if err != nil {
		if jw != nil && jw.started {
			// Keep stdout valid JSON even on failure: close the document.
			jw.finish(nil, err)
		}
		if sw != nil && sw.started {
			// Likewise: a valid log whose invocation failed.
			sw.finish(err)
		}
		return lintGitErr(err)
	}
	switch f.format {
	case "json":
		jw.finish(rep, nil)
	case "sarif":
		sw.finish(nil)
	case "text":
		bad := rep.BadCount
		if bad == 0 {
			fmt.Fprintf(out, "✔ %d %s in %s: no problems\n", rep.Count, plural(rep.Count, "commit", "commits"), rep.Range)
		} else {
			fmt.Fprintf(out, "✖ %d of %d %s in %s with problems: %s\n", bad, rep.Count, plural(rep.Count, "commit", "commits"), rep.Range, lintCounts(rep.Errors, rep.Warnings))
		}
	}
	if rep.Errors > 0 || strict && rep.Warnings > 0 {
		return findings()
	}
	return nil
}

// lintGitErr maps a git-layer error to its exit code: an unknown revision or
// branch is the user's mistake (2), a shallow clone or a broken git is a
// failure (3).
func lintGitErr(err error) error {
	if errors.Is(err, git.ErrShallow) {
		return failure(err)
	}
	msg := err.Error()
	if strings.Contains(msg, "unknown revision") || strings.Contains(msg, "not a revision") || strings.Contains(msg, "not found locally nor") {
		return usageErr("%v", err)
	}
	return failure(err)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func lintCounts(errs, warns int) string {
	return fmt.Sprintf("%d %s, %d %s", errs, plural(errs, "error", "errors"), warns, plural(warns, "warning", "warnings"))
}

func lintPrintOne(w io.Writer, format, source string, res commitlint.Result) error {
	switch format {
	case "sarif":
		file := source
		if strings.HasPrefix(file, "<") {
			file = ""
		}
		s := &lintSARIFWriter{w: w}
		s.one(file, res)
		s.finish(nil)
	case "json":
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		return enc.Encode(lintJSON(res))
	case "github":
		file := source
		if strings.HasPrefix(file, "<") {
			file = ""
		}
		lintPrintGitHub(w, file, "", res)
	default:
		prefix := ""
		if source != "" && !strings.HasPrefix(source, "<") {
			prefix = filepath.ToSlash(source) + ":"
		}
		lintPrintTextPrefixed(w, prefix, res, "")
		if len(res.Findings) > 0 {
			fmt.Fprintf(w, "✖ %s\n", lintCounts(res.Errors(), res.Warnings()))
		}
	}
	return nil
}

// lintPrintText prints a commit's findings under a line naming it.
func lintPrintText(w io.Writer, short string, res commitlint.Result, indent string) {
	fmt.Fprintf(w, "%s: %s\n", short, lintVisible(res.Commit.Header))
	lintPrintTextPrefixed(w, indent, res, indent)
}

// lintPrintTextPrefixed prints `line:col: message [rule]`, the line with a
// caret under the column, the fix and the help URL.
func lintPrintTextPrefixed(w io.Writer, prefix string, res commitlint.Result, indent string) {
	lines := strings.Split(res.Commit.Raw, "\n")
	for _, f := range res.Findings {
		level := ""
		if f.Level == commitlint.Warning {
			level = "warning: "
		}
		fmt.Fprintf(w, "%s%d:%d: %s%s [%s]\n", prefix, f.Line, f.Column, level, lintVisible(f.Message), f.Rule)
		if f.Line >= 1 && f.Line <= len(lines) {
			src := lines[f.Line-1]
			if utf8.RuneCountInString(src) > 200 {
				src = string([]rune(src)[:200]) + "…"
			}
			fmt.Fprintf(w, "%s    %s\n", indent, lintVisible(src))
			if f.Column >= 1 {
				fmt.Fprintf(w, "%s    %s^\n", indent, lintPad(lines[f.Line-1], f.Column-1))
			}
		}
		if f.Fix != "" {
			fmt.Fprintf(w, "%s    fix: %s\n", indent, lintVisible(f.Fix))
		}
		if f.URL != "" {
			fmt.Fprintf(w, "%s    help: %s\n", indent, f.URL)
		}
	}
}

// lintVisible replaces control characters (other than tab and newline) with
// a visible stand-in of the same width: U+2400..U+241F and U+2421 for C0
// and DEL, U+FFFD for C1. Commit messages come from anyone; an escape
// sequence in one must not drive the terminal that lints it.
func lintVisible(s string) string {
	clean := true
	for _, r := range s {
		if r < 0x20 && r != '\t' && r != '\n' || r >= 0x7f && r <= 0x9f {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n':
			return r
		case r < 0x20:
			return 0x2400 + r
		case r == 0x7f:
			return 0x2421
		case r >= 0x80 && r <= 0x9f:
			return utf8.RuneError
		}
		return r
	}, s)
}

// lintPad returns whitespace as wide as the first n characters of s, keeping
// tabs so the caret lines up.
func lintPad(s string, n int) string {
	var b strings.Builder
	for _, r := range s {
		if n == 0 {
			break
		}
		if r == '\t' {
			b.WriteByte('\t')
		} else {
			b.WriteByte(' ')
		}
		n--
	}
	for ; n > 0; n-- {
		b.WriteByte(' ')
	}
	return b.String()
}

// lintPrintGitHub prints workflow commands (`::error ...::`) for findings.
func lintPrintGitHub(w io.Writer, file, short string, res commitlint.Result) {
	for _, f := range res.Findings {
		kind := "error"
		if f.Level == commitlint.Warning {
			kind = "warning"
		}
		title := "commitlint " + f.Rule
		if short != "" {
			title = "commit " + short + ": " + f.Rule
		}
		props := []string{}
		if file != "" {
			props = append(props, "file="+ghEscapeProperty(file))
		}
		if f.Line > 0 {
			props = append(props, fmt.Sprintf("line=%d", f.Line))
		}
		if f.Column > 0 {
			props = append(props, fmt.Sprintf("col=%d", f.Column))
		}
		props = append(props, "title="+ghEscapeProperty(title))
		msg := f.Message
		if short != "" {
			msg = short + " " + res.Commit.Header + ": " + msg
		}
		if f.Fix != "" {
			msg += "\n" + f.Fix
		}
		fmt.Fprintf(w, "::%s %s::%s\n", kind, strings.Join(props, ","), ghEscapeData(lintVisible(msg)))
	}
}

// ghEscapeData escapes a workflow command's message as the runner expects
// (toolkit/packages/core/src/command.ts escapeData).
func ghEscapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// ghEscapeProperty escapes a workflow command property (escapeProperty).
func ghEscapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

type lintJSONProblem struct {
	Rule    string `json:"rule"`
	Level   string `json:"level"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Message string `json:"message"`
	Fix     string `json:"fix,omitempty"`
	URL     string `json:"url,omitempty"`
}

type lintJSONResult struct {
	Commit   string            `json:"commit,omitempty"`
	Valid    bool              `json:"valid"`
	Ignored  bool              `json:"ignored"`
	Type     string            `json:"type"`
	Scope    string            `json:"scope"`
	Breaking bool              `json:"breaking"`
	Problems []lintJSONProblem `json:"problems"`
}

func lintJSON(res commitlint.Result) lintJSONResult {
	out := lintJSONResult{Valid: res.Valid(), Ignored: res.Ignored, Problems: []lintJSONProblem{}}
	if c := res.Commit; c != nil {
		out.Type, out.Scope, out.Breaking = c.Type, c.Scope, c.Breaking
	}
	for _, f := range res.Findings {
		out.Problems = append(out.Problems, lintJSONProblem{Rule: f.Rule, Level: f.Level.String(), Line: f.Line, Column: f.Column, Message: f.Message, Fix: f.Fix, URL: f.URL})
	}
	return out
}

// lintJSONWriter streams `{"commits":[...],"errors":N,"warnings":N}` so
// memory stays flat over long ranges.
type lintJSONWriter struct {
	w       io.Writer
	started bool
	n       int
	buf     []byte
}

func (j *lintJSONWriter) commit(cl release.CommitLint) {
	if !j.started {
		io.WriteString(j.w, `{"commits":[`)
		j.started = true
	}
	if j.n > 0 {
		io.WriteString(j.w, ",")
	}
	j.n++
	r := lintJSON(cl.Result)
	r.Commit = cl.Commit.Hash
	j.buf = lintAppendJSON(j.buf[:0], r)
	j.w.Write(j.buf)
}

// lintAppendJSON appends json.Marshal(r). A commit without problems, the
// usual case in a long range, is written by hand: reflection would cost
// more than linting it.
func lintAppendJSON(buf []byte, r lintJSONResult) []byte {
	if len(r.Problems) > 0 || !lintJSONPlain(r.Commit) || !lintJSONPlain(r.Type) || !lintJSONPlain(r.Scope) {
		b, _ := json.Marshal(r)
		return append(buf, b...)
	}
	buf = append(buf, '{')
	if r.Commit != "" {
		buf = append(buf, `"commit":"`...)
		buf = append(buf, r.Commit...)
		buf = append(buf, `",`...)
	}
	buf = append(buf, `"valid":`...)
	buf = strconv.AppendBool(buf, r.Valid)
	buf = append(buf, `,"ignored":`...)
	buf = strconv.AppendBool(buf, r.Ignored)
	buf = append(buf, `,"type":"`...)
	buf = append(buf, r.Type...)
	buf = append(buf, `","scope":"`...)
	buf = append(buf, r.Scope...)
	buf = append(buf, `","breaking":`...)
	buf = strconv.AppendBool(buf, r.Breaking)
	return append(buf, `,"problems":[]}`...)
}

// lintJSONPlain reports whether json.Marshal writes s as is: printable
// ASCII without quotes, backslashes or the characters it escapes for HTML.
func lintJSONPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			return false
		}
	}
	return true
}

func (j *lintJSONWriter) finish(rep *release.LintRangeReport, err error) {
	if !j.started {
		io.WriteString(j.w, `{"commits":[`)
		j.started = true
	}
	io.WriteString(j.w, "]")
	if rep != nil {
		rng, _ := json.Marshal(rep.Range)
		fmt.Fprintf(j.w, `,"range":%s,"count":%d,"errors":%d,"warnings":%d`, rng, rep.Count, rep.Errors, rep.Warnings)
	}
	if err != nil {
		b, _ := json.Marshal(err.Error())
		fmt.Fprintf(j.w, `,"error":%s`, b)
	}
	io.WriteString(j.w, "}\n")
}

// SARIF 2.1.0 (https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html),
// the format code-scanning tools read.
const (
	sarifSchema  = "https://json.schemastore.org/sarif-2.1.0.json"
	sarifVersion = "2.1.0"
	sarifInfoURI = "https://github.com/shipflow/shipflow"
)

type sarifMessage struct {
	Text string `json:"text"`
}

type sarifRule struct {
	ID               string       `json:"id"`
	ShortDescription sarifMessage `json:"shortDescription"`
	HelpURI          string       `json:"helpUri,omitempty"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
}

type sarifArtifactLocation struct {
	URI string `json:"uri"`
}

type sarifPhysicalLocation struct {
	ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
	Region           *sarifRegion          `json:"region,omitempty"`
}

type sarifLogicalLocation struct {
	Name string `json:"name"`
	Kind string `json:"kind"`
}

type sarifLocation struct {
	PhysicalLocation *sarifPhysicalLocation `json:"physicalLocation,omitempty"`
	LogicalLocations []sarifLogicalLocation `json:"logicalLocations,omitempty"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifMessage      `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	PartialFingerprints map[string]string `json:"partialFingerprints,omitempty"`
}

// sarifRuleDescriptions are the rules' short descriptions, worded so that
// they hold whatever the rule's configuration ("always" or "never").
var sarifRuleDescriptions = map[string]string{
	"header-format":                    "The header must read `type(scope)!: subject` (Conventional Commits)",
	"encoding":                         "The message must be valid UTF-8 without NUL bytes",
	"body-case":                        "Case of the body",
	"body-empty":                       "Whether the body is empty",
	"body-full-stop":                   "Full stop at the end of the body",
	"body-leading-blank":               "Blank line between the header and the body",
	"body-max-length":                  "Maximum length of the body",
	"body-max-line-length":             "Maximum length of a body line",
	"body-min-length":                  "Minimum length of the body",
	"breaking-change-exclamation-mark": "A `!` in the header and a BREAKING CHANGE footer go together",
	"footer-empty":                     "Whether the footer is empty",
	"footer-leading-blank":             "Blank line before the footer",
	"footer-max-length":                "Maximum length of the footer",
	"footer-max-line-length":           "Maximum length of a footer line",
	"footer-min-length":                "Minimum length of the footer",
	"header-case":                      "Case of the header",
	"header-full-stop":                 "Full stop at the end of the header",
	"header-max-length":                "Maximum length of the header",
	"header-min-length":                "Minimum length of the header",
	"header-trim":                      "The header has no leading or trailing whitespace",
	"references-empty":                 "Whether the message references an issue",
	"scope-case":                       "Case of the scope",
	"scope-delimiter-style":            "Delimiters between multiple scopes",
	"scope-empty":                      "Whether the scope is empty",
	"scope-enum":                       "The scope is one of the allowed scopes",
	"scope-max-length":                 "Maximum length of the scope",
	"scope-min-length":                 "Minimum length of the scope",
	"signed-off-by":                    "A Signed-off-by trailer",
	"subject-case":                     "Case of the subject",
	"subject-empty":                    "Whether the subject is empty",
	"subject-exclamation-mark":         "A `!` before the colon of the header",
	"subject-full-stop":                "Full stop at the end of the subject",
	"subject-max-length":               "Maximum length of the subject",
	"subject-min-length":               "Minimum length of the subject",
	"trailer-exists":                   "A given trailer is present",
	"type-case":                        "Case of the type",
	"type-empty":                       "Whether the type is empty",
	"type-enum":                        "The type is one of the allowed types",
	"type-max-length":                  "Maximum length of the type",
	"type-min-length":                  "Minimum length of the type",
}

// lintSARIFWriter streams a SARIF log with one run. Results are written as
// they come; tool.driver, which lists the rules that occurred, is written
// after them (JSON members have no order), so memory holds at most one
// entry per rule whatever the length of the range.
type lintSARIFWriter struct {
	w       io.Writer
	started bool
	n       int
	rules   []sarifRule
	index   map[string]int
	buf     bytes.Buffer
}

func (s *lintSARIFWriter) start() {
	if s.started {
		return
	}
	s.started = true
	fmt.Fprintf(s.w, `{"$schema":%q,"version":%q,"runs":[{"columnKind":"unicodeCodePoints","results":[`, sarifSchema, sarifVersion)
}

// ruleIndex returns the index of f's rule in the rules array, adding it.
func (s *lintSARIFWriter) ruleIndex(f commitlint.Finding) int {
	if i, ok := s.index[f.Rule]; ok {
		return i
	}
	if s.index == nil {
		s.index = map[string]int{}
	}
	desc, ok := sarifRuleDescriptions[f.Rule]
	if !ok {
		desc = "commitlint rule " + f.Rule
	}
	s.index[f.Rule] = len(s.rules)
	s.rules = append(s.rules, sarifRule{ID: f.Rule, ShortDescription: sarifMessage{desc}, HelpURI: f.URL})
	return len(s.rules) - 1
}

func (s *lintSARIFWriter) result(r sarifResult) {
	s.start()
	if s.n > 0 {
		io.WriteString(s.w, ",")
	}
	s.n++
	s.buf.Reset()
	enc := json.NewEncoder(&s.buf)
	enc.SetEscapeHTML(false)
	enc.Encode(r) // cannot fail: plain structs of strings and ints
	s.w.Write(bytes.TrimRight(s.buf.Bytes(), "\n"))
}

// one writes the findings of a single message: in the file at path (hook
// mode, with a region), or in a message with no file (path "").
func (s *lintSARIFWriter) one(path string, res commitlint.Result) {
	for _, f := range res.Findings {
		prefix := ""
		if path == "" && f.Line > 0 {
			// No region to carry the place: say it in the text.
			prefix = fmt.Sprintf("%d:%d: ", f.Line, f.Column)
		}
		r := sarifResult{RuleID: f.Rule, RuleIndex: s.ruleIndex(f), Level: f.Level.String(), Message: sarifMessage{sarifText(f, prefix)}}
		if path != "" {
			loc := &sarifPhysicalLocation{ArtifactLocation: sarifArtifactLocation{sarifURI(path)}}
			if f.Line > 0 {
				loc.Region = &sarifRegion{StartLine: f.Line, StartColumn: f.Column}
			}
			r.Locations = []sarifLocation{{PhysicalLocation: loc}}
		} else {
			r.Locations = []sarifLocation{{LogicalLocations: []sarifLogicalLocation{{Name: "message", Kind: "message"}}}}
		}
		s.result(r)
	}
}

// commit writes the findings of one commit of a range. A commit is no file:
// it is named by a logical location and a fingerprint, and the message text
// carries its short sha, header and the line and column.
func (s *lintSARIFWriter) commit(cl release.CommitLint) {
	for _, f := range cl.Findings {
		prefix := cl.Commit.Short() + " " + cl.Result.Commit.Header + ": "
		if f.Line > 0 {
			prefix += fmt.Sprintf("%d:%d: ", f.Line, f.Column)
		}
		s.result(sarifResult{
			RuleID: f.Rule, RuleIndex: s.ruleIndex(f), Level: f.Level.String(),
			Message:             sarifMessage{sarifText(f, prefix)},
			Locations:           []sarifLocation{{LogicalLocations: []sarifLogicalLocation{{Name: cl.Commit.Hash, Kind: "commit"}}}},
			PartialFingerprints: map[string]string{"commitSha": cl.Commit.Hash},
		})
	}
}

// finish closes the results, writes the tool and the invocation (failed,
// with err, when the range could not be read to the end) and ends the log.
func (s *lintSARIFWriter) finish(err error) {
	s.start()
	type driver struct {
		Name           string      `json:"name"`
		Version        string      `json:"version"`
		InformationURI string      `json:"informationUri"`
		Rules          []sarifRule `json:"rules"`
	}
	type notification struct {
		Level   string       `json:"level"`
		Message sarifMessage `json:"message"`
	}
	type invocation struct {
		ExecutionSuccessful        bool           `json:"executionSuccessful"`
		ToolExecutionNotifications []notification `json:"toolExecutionNotifications,omitempty"`
	}
	tool := struct {
		Driver driver `json:"driver"`
	}{driver{Name: "shipflow", Version: buildVersion(), InformationURI: sarifInfoURI, Rules: s.rules}}
	if tool.Driver.Rules == nil {
		tool.Driver.Rules = []sarifRule{}
	}
	inv := invocation{ExecutionSuccessful: err == nil}
	if err != nil {
		inv.ToolExecutionNotifications = []notification{{Level: "error", Message: sarifMessage{err.Error()}}}
	}
	tb, _ := json.Marshal(tool)
	ib, _ := json.Marshal([]invocation{inv})
	fmt.Fprintf(s.w, `],"tool":%s,"invocations":%s}]}`+"\n", tb, ib)
}

// sarifText is a finding's message text with its fix, control characters
// made visible as in the other formats.
func sarifText(f commitlint.Finding, prefix string) string {
	text := prefix + f.Message
	if f.Fix != "" {
		text += "\nfix: " + f.Fix
	}
	return lintVisible(text)
}

// sarifURI turns a file path into an artifact URI: a relative reference
// with forward slashes, or a file: URI for an absolute path.
func sarifURI(path string) string {
	p := filepath.ToSlash(path)
	if filepath.IsAbs(path) {
		if !strings.HasPrefix(p, "/") {
			p = "/" + p // C:/x → /C:/x
		}
		return (&url.URL{Scheme: "file", Path: p}).String()
	}
	return (&url.URL{Path: p}).String()
}
