package changelog

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"text/template"

	"github.com/shipflow/shipflow/commitlint"
	"github.com/shipflow/shipflow/internal/tmplexec"
)

// Preset names a changelog layout.
type Preset string

// The presets.
const (
	// PresetConventionalCommits is release-please's layout
	// (conventional-changelog-conventionalcommits): breaking changes first,
	// then Features, Bug Fixes, Performance Improvements and Reverts.
	PresetConventionalCommits Preset = "conventionalcommits"
	// PresetAngular is conventional-changelog's angular layout.
	PresetAngular Preset = "angular"
	// PresetKeepAChangelog is the https://keepachangelog.com layout.
	PresetKeepAChangelog Preset = "keepachangelog"
)

// PresetNames returns the valid preset names, sorted.
func PresetNames() []string {
	var names []string
	for p := range presets {
		names = append(names, string(p))
	}
	slices.Sort(names)
	return names
}

// Types returns the preset's default table of commit types, in section
// order; hidden types are listed only when their breaking changes are.
func (p Preset) Types() []Type {
	if def, ok := presets[p]; ok {
		return slices.Clone(def.types)
	}
	return nil
}

// preset is what a layout decides beyond its template.
type preset struct {
	types []Type
	// sectionsByTitle sorts sections alphabetically (angular's
	// commitGroupsSort: "title") instead of in table order.
	sectionsByTitle bool
	// angular selects the angular parser's conventions: GitHub reverts
	// listed, only footer notes. References are the same for every preset
	// (see references).
	angular bool
}

// conventionalTypes is conventional-changelog-conventionalcommits'
// DEFAULT_COMMIT_TYPES.
var conventionalTypes = []Type{
	{Type: "feat", Section: "Features"},
	{Type: "feature", Section: "Features"},
	{Type: "fix", Section: "Bug Fixes"},
	{Type: "perf", Section: "Performance Improvements"},
	{Type: "revert", Section: "Reverts"},
	{Type: "docs", Section: "Documentation", Hidden: true},
	{Type: "style", Section: "Styles", Hidden: true},
	{Type: "chore", Section: "Miscellaneous Chores", Hidden: true},
	{Type: "refactor", Section: "Code Refactoring", Hidden: true},
	{Type: "test", Section: "Tests", Hidden: true},
	{Type: "build", Section: "Build System", Hidden: true},
	{Type: "ci", Section: "Continuous Integration", Hidden: true},
}

// angularTypes is the angular preset's transform table; chore has no
// section there, so a breaking chore is listed under "chore".
var angularTypes = []Type{
	{Type: "feat", Section: "Features"},
	{Type: "fix", Section: "Bug Fixes"},
	{Type: "perf", Section: "Performance Improvements"},
	{Type: "revert", Section: "Reverts"},
	{Type: "docs", Section: "Documentation", Hidden: true},
	{Type: "style", Section: "Styles", Hidden: true},
	{Type: "refactor", Section: "Code Refactoring", Hidden: true},
	{Type: "test", Section: "Tests", Hidden: true},
	{Type: "build", Section: "Build System", Hidden: true},
	{Type: "ci", Section: "Continuous Integration", Hidden: true},
}

var keepAChangelogTypes = []Type{
	{Type: "feat", Section: "Added"},
	{Type: "feature", Section: "Added"},
	{Type: "perf", Section: "Changed"},
	{Type: "revert", Section: "Removed"},
	{Type: "fix", Section: "Fixed"},
	{Type: "docs", Section: "Documentation", Hidden: true},
	{Type: "style", Section: "Styles", Hidden: true},
	{Type: "chore", Section: "Miscellaneous Chores", Hidden: true},
	{Type: "refactor", Section: "Changed", Hidden: true},
	{Type: "test", Section: "Tests", Hidden: true},
	{Type: "build", Section: "Build System", Hidden: true},
	{Type: "ci", Section: "Continuous Integration", Hidden: true},
}

// partials are shared by the built-in templates and available to
// WithTemplate ones: {{template "version" .}} is the linked version and
// date of a heading, {{template "entry" .}} an Entry in conventional-
// changelog's format (its closing references after ", closes", the others
// after ", references", as conventional-changelog-conventionalcommits
// writes them), {{template "ref" .}} a Reference.
const partials = `{{define "version"}}{{if .CompareURL}}[{{.Version}}]({{.CompareURL}}){{else}}{{.Version}}{{end}}{{if .Date}} ({{.Date}}){{end}}{{end}}` +
	`{{define "ref"}}{{if .URL}}[{{.Text}}]({{.URL}}){{else}}{{.Text}}{{end}}{{end}}` +
	`{{define "entry"}}*{{if .Scope}} **{{.Scope}}:**{{end}} {{.Subject}}{{if .CommitURL}} ([{{.ShortHash}}]({{.CommitURL}})){{else if .ShortHash}} {{.ShortHash}}{{end}}` +
	`{{$n := 0}}{{range .References}}{{if .Closes}}{{if $n}} {{else}}, closes {{end}}{{$n = 1}}{{template "ref" .}}{{end}}{{end}}` +
	`{{$n = 0}}{{range .References}}{{if not .Closes}}{{if $n}} {{else}}, references {{end}}{{$n = 1}}{{template "ref" .}}{{end}}{{end}}{{end}}`

// The layouts below reproduce the handlebars templates of
// conventional-changelog-conventionalcommits and -angular, blank lines
// included; Render trims trailing blank lines as release-please does.
const conventionalLayout = `## {{template "version" .}}

{{if .Breaking}}
### ⚠ BREAKING CHANGES

{{range .Breaking}}* {{if .Scope}}**{{.Scope}}:** {{end}}{{.Text}}
{{end}}{{end}}{{range .Sections}}
### {{.Title}}

{{range .Entries}}{{template "entry" .}}
{{end}}
{{end}}`

const angularLayout = `{{if .IsPatch}}##{{else}}#{{end}} {{template "version" .}}

{{range .Sections}}
### {{.Title}}

{{range .Entries}}{{template "entry" .}}
{{end}}
{{end}}{{if .Breaking}}
### BREAKING CHANGES

{{range .Breaking}}* {{if .Scope}}**{{.Scope}}:** {{end}}{{.Text}}
{{end}}{{end}}`

const keepAChangelogLayout = `## [{{.Version}}]{{if .Date}} - {{.Date}}{{end}}
{{if .Breaking}}
### ⚠ Breaking Changes

{{range .Breaking}}- {{if .Scope}}**{{.Scope}}:** {{end}}{{.Text}}
{{end}}{{end}}{{range .Sections}}
### {{.Title}}

{{range .Entries}}- {{if .Scope}}**{{.Scope}}:** {{end}}{{.Subject}}{{if .CommitURL}} ([{{.ShortHash}}]({{.CommitURL}})){{else if .ShortHash}} ({{.ShortHash}}){{end}}
{{end}}{{end}}{{if .CompareURL}}
[{{.Version}}]: {{.CompareURL}}
{{end}}`

var presets = map[Preset]*preset{
	PresetConventionalCommits: {types: conventionalTypes},
	PresetAngular:             {types: angularTypes, sectionsByTitle: true, angular: true},
	PresetKeepAChangelog:      {types: keepAChangelogTypes},
}

// MaxTemplateOutput caps what a WithTemplate template may write. A template
// comes from the repository, and a nested range over the entries turns a
// few thousand commits into gigabytes; a real section is kilobytes.
const MaxTemplateOutput = 10 << 20

// execute renders c with the preset's layout or the WithTemplate one.
//
// A template is data, not a program: it gets no FuncMap beyond
// text/template's builtins (none of which reads a file or the
// environment), and Context holds only strings, numbers, booleans and
// slices of them, no func value `call` could run and no method
// (TestTemplateCannotReachTheMachine keeps it so).
func execute(c *Context, o *options) (string, error) {
	var b strings.Builder
	if o.tmpl == "" {
		writeLayout(&b, o.preset, c)
	} else {
		t, err := template.Must(template.New("partials").Parse(partials)).New("changelog").Parse(o.tmpl)
		if err != nil {
			return "", fmt.Errorf("parsing changelog template: %w", err)
		}
		out, err := tmplexec.Execute(t, c, MaxTemplateOutput, tmplexec.DefaultMaxSteps)
		if err != nil {
			return "", fmt.Errorf("executing changelog template: %w", err)
		}
		b.WriteString(out)
	}
	return strings.TrimRight(b.String(), " \t\n") + "\n", nil
}

// entry turns a commit into an Entry with the preset's subject rules.
func (p *preset) entry(cm Commit, repo Repository) Entry {
	msg := cm.Commit
	e := Entry{
		Type:      strings.ToLower(msg.Type),
		Scope:     msg.Scope,
		Header:    msg.Header,
		Hash:      cm.Hash,
		ShortHash: short(cm.Hash),
		CommitURL: repo.CommitURL(cm.Hash),
		PR:        cm.PR,
	}
	if e.Scope == "*" {
		e.Scope = ""
	}
	if e.PR == 0 {
		e.PR = PullRequest(msg.Header)
	}
	var linked []string
	switch {
	case msg.Type == "":
		// An unparsed header (GitHub's `Revert "..."`, listed by angular
		// only) is printed as it is; references lists its issues.
		e.Subject = msg.Header
	case p.angular:
		e.Subject, linked = linkSubject(msg.Subject, repo)
	default:
		// release-please escapes the first < and > of the subject.
		subject := strings.Replace(strings.Replace(msg.Subject, "<", "&lt;", 1), ">", "&gt;", 1)
		e.Subject, linked = linkSubject(subject, repo)
	}
	// conventional-changelog's transform: "remove references that already
	// appear in the subject".
	e.References = []Reference{}
	for _, r := range references(msg, repo) {
		if !slices.Contains(linked, r.Text) {
			e.References = append(e.References, r)
		}
	}
	return e
}

// notes returns the breaking-change texts a commit contributes.
func (p *preset) notes(msg *commitlint.Commit) []string {
	var notes []string
	for _, f := range msg.Footers {
		if f.Token == "BREAKING CHANGE" || f.Token == "BREAKING-CHANGE" {
			notes = append(notes, f.Value)
		}
	}
	if len(notes) == 0 && msg.Bang && !p.angular {
		notes = append(notes, msg.Subject) // conventionalcommits' addBangNotes
	}
	return notes
}

// noteText is a note as one bullet's Markdown: its references and mentions
// linked, as conventional-changelog's writers link notes, and its lines
// after the first indented by two spaces, as its list() indents them, so
// that the lists and paragraphs of a note stay inside its bullet.
func noteText(text string, repo Repository) string {
	text, _ = linkSubject(text, repo)
	if !strings.Contains(text, "\n") {
		return text
	}
	lines := strings.Split(text, "\n")
	for i := 1; i < len(lines); i++ {
		if lines[i] != "" {
			lines[i] = "  " + lines[i]
		}
	}
	return strings.Join(lines, "\n")
}

var (
	// actionRE finds a closing keyword (GitHub's list, and
	// conventional-commits-parser's referenceActions) and the space after
	// it; unlike the parser's pattern it starts at a word ("re-fix #1"
	// closes #1, "prefix #1" does not).
	actionRE = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?i)\b(close|closes|closed|fix|fixes|fixed|resolve|resolves|resolved):?\s+`)
	})
	// actionStartRE finds where the next action starts, ending a sentence.
	actionStartRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?i)\b(?:close|fix|resolve)`) })
	// leadRefRE is a reference at the start of a footer's value.
	leadRefRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(?:([\w.-]+)/([\w.-]+))?#([0-9]+)\b`) })
	// listGapRE is what may separate the references of a list: "#1, #2
	// and #3".
	listGapRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[\s,]*(?:(?:and|&)\s+)?`) })
)

// references returns the issues a commit closes or refers to, each once,
// the same way for every preset:
//
//   - the issues of a header that did not parse (GitHub's `Revert "x"
//     (#12)`), which conventional-changelog lists after ", closes";
//   - on each line of the body and footers, the issues after a closing
//     keyword, up to the next keyword, as conventional-commits-parser
//     reads them ("Closes #1, #2", "fixes: o/r#3.", "close #4\nfix x
//     introduced by #5"); they close;
//   - the issues a footer of another token lists at the start of its
//     value ("Refs: #6, #7", "See #8"); they are referenced, not closed.
//
// release-please reads only "Token #12" footers, drops "#10, #11" and
// "7.", and lists "Refs" as closed; prose without a keyword ("as #9
// said") is no reference, as for release-please.
func references(msg *commitlint.Commit, repo Repository) []Reference {
	var refs []Reference
	add := func(m []string, action string, closes bool) {
		r := reference(m[1], m[2], m[3], repo)
		for _, old := range refs {
			if old.Text == r.Text {
				return
			}
		}
		r.Action, r.Closes = action, closes
		refs = append(refs, r)
	}
	if msg.Type == "" && strings.Contains(msg.Header, "#") {
		for _, m := range refRE().FindAllStringSubmatch(msg.Header, -1) {
			add(m, "", true)
		}
	}
	_, rest, _ := strings.Cut(msg.Raw, "\n")
	if msg.Raw == "" {
		rest = msg.Body
		for _, f := range msg.Footers {
			rest += "\n" + f.Token + f.Separator + f.Value
		}
	}
	for line := range strings.SplitSeq(rest, "\n") {
		if !strings.Contains(line, "#") || !hasAction(line) {
			continue
		}
		for pos := 0; pos < len(line); {
			loc := actionRE().FindStringSubmatchIndex(line[pos:])
			if loc == nil {
				break
			}
			action := line[pos+loc[2] : pos+loc[3]]
			start := pos + loc[1]
			end := len(line)
			if next := actionStartRE().FindStringIndex(line[start:]); next != nil {
				end = start + next[0]
			}
			if sentence := line[start:end]; strings.Contains(sentence, "#") {
				for _, m := range refRE().FindAllStringSubmatch(sentence, -1) {
					add(m, action, true)
				}
			}
			pos = max(end, start)
		}
	}
	for _, f := range msg.Footers {
		if f.Token == "BREAKING CHANGE" || f.Token == "BREAKING-CHANGE" || isAction(f.Token) {
			continue
		}
		v := f.Value
		if strings.Contains(f.Separator, "#") {
			v = "#" + v
		}
		for {
			m := leadRefRE().FindStringSubmatch(v)
			if m == nil {
				break
			}
			add(m, f.Token, false)
			v = v[len(m[0]):]
			v = v[len(listGapRE().FindString(v)):]
		}
	}
	return refs
}

// isAction reports whether a footer token is a closing keyword.
func isAction(token string) bool {
	for _, a := range []string{"close", "closes", "closed", "fix", "fixes", "fixed", "resolve", "resolves", "resolved"} {
		if strings.EqualFold(token, a) {
			return true
		}
	}
	return false
}

// hasAction is a fast check for a closing keyword in line.
func hasAction(line string) bool {
	for i := 0; i+3 <= len(line); i++ {
		switch line[i] | 0x20 {
		case 'c', 'f', 'r':
			if actionStartRE().MatchString(line[i:min(i+7, len(line))]) {
				return true
			}
		}
	}
	return false
}

func reference(owner, repoName, issue string, repo Repository) Reference {
	r := Reference{Issue: issue, Text: "#" + issue}
	switch {
	case owner != "":
		r.Text = owner + "/" + repoName + "#" + issue
		if repo.Host != "" {
			r.URL = repo.Sibling(owner, repoName).IssueURL(issue)
		}
	default:
		r.URL = repo.IssueURL(issue)
	}
	return r
}

func short(hash string) string {
	if len(hash) > 7 {
		return hash[:7]
	}
	return hash
}
