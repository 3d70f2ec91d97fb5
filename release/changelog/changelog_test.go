package changelog

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shipflow/shipflow/commitlint"
	"github.com/shipflow/shipflow/internal/golden"
)

var testRepo = Repository{Host: "https://github.com", Owner: "o", Name: "r"}

// hash makes a 40-digit hash from a short one.
func hash(short string) string { return short + strings.Repeat("0", 40-len(short)) }

func commit(short, msg string) Commit {
	return Commit{Hash: hash(short), Commit: commitlint.Parse(msg)}
}

// sampleRelease has one commit of every kind a preset treats differently.
func sampleRelease() Release {
	return Release{
		Version:     "1.3.0",
		PreviousTag: "v1.2.0",
		Date:        time.Date(2024, 5, 1, 23, 30, 0, 0, time.FixedZone("+08", 8*3600)),
		Commits: []Commit{
			commit("aaaaaaa", "chore(release): 1.3.0 [skip ci]"),
			commit("bbbbbbb", "feat(api)!: drop the v1 endpoints (#40)"),
			commit("ccccccc", "fix: handle <nil> maps for @octocat (#41)\n\nCloses #7"),
			commit("ddddddd", "fix(cli): exit 2 on bad flags\n\nclose #8, fixes o/other#9"),
			commit("eeeeeee", "perf(parser): stream the log"),
			commit("fffffff", "feat(api): add v2 endpoints\n\nBREAKING CHANGE: v2 needs a token\n\nRefs #12"),
			commit("1111111", "chore(deps)!: require Go 1.26"),
			commit("2222222", "revert: feat(ui): dark mode\n\nThis reverts commit "+hash("3333333")+"."),
			commit("3333333", "feat(ui): dark mode"),
			commit("4444444", "revert: fix(ui): flicker\n\nThis reverts commit 9999999."),
			commit("5555555", "Revert \"fix(core): leak\" (#50)\n\nThis reverts commit 8888888."),
			commit("6666666", "docs: typo"),
			commit("7777777", "feat(*): wildcard"),
		},
	}
}

func TestRender(t *testing.T) {
	tests := []struct {
		name string
		rel  func() Release
		opts []Option
	}{
		{"conventionalcommits", sampleRelease, []Option{WithRepository(testRepo)}},
		{"angular", sampleRelease, []Option{WithPreset(PresetAngular), WithRepository(testRepo)}},
		{"angular-patch", func() Release { r := sampleRelease(); r.Version = "1.2.1"; return r }, []Option{WithPreset(PresetAngular), WithRepository(testRepo)}},
		{"keepachangelog", sampleRelease, []Option{WithPreset(PresetKeepAChangelog), WithRepository(testRepo)}},
		{"no-repository", sampleRelease, nil},
		{"first-release", func() Release { r := sampleRelease(); r.PreviousTag = ""; r.Date = time.Time{}; return r }, []Option{WithRepository(testRepo)}},
		{"empty", func() Release { r := sampleRelease(); r.Commits = r.Commits[:1]; return r }, []Option{WithRepository(testRepo)}},
		{"types", sampleRelease, []Option{WithRepository(testRepo), WithTypes([]Type{{Type: "docs", Section: "Docs"}, {Type: "fix", Section: "Fixes"}})}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Render(tt.rel(), tt.opts...)
			if err != nil {
				t.Fatal(err)
			}
			golden.Check(t, filepath.Join("testdata", "render", tt.name+".md"), got)
		})
	}
}

func TestRenderRules(t *testing.T) {
	got, err := Render(sampleRelease(), WithRepository(testRepo))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ name, want string }{
		{"heading", "## [1.3.0](https://github.com/o/r/compare/v1.2.0...v1.3.0) (2024-05-01)\n\n\n### ⚠ BREAKING CHANGES\n\n"},
		{"bang note with linked PR", "* **api:** drop the v1 endpoints ([#40](https://github.com/o/r/issues/40))\n"},
		{"breaking hidden type listed", "### Miscellaneous Chores\n\n* **deps:** require Go 1.26 ([1111111](https://github.com/o/r/commit/" + hash("1111111") + "))"},
		{"first < and > escaped, user linked", "handle &lt;nil&gt; maps for [@octocat](https://github.com/octocat)"},
		{"footer reference", ", closes [#7](https://github.com/o/r/issues/7)"},
		{"unreverted revert kept", "* fix(ui): flicker"},
		{"scope * dropped", "* wildcard ("},
	} {
		if !strings.Contains(got, tt.want) {
			t.Errorf("%s: output lacks %q:\n%s", tt.name, tt.want, got)
		}
	}
	for _, tt := range []struct{ name, unwanted string }{
		{"reverted pair", "dark mode"},
		{"hidden type", "typo"},
		{"release commit", "1.3.0 [skip ci]"},
		{"GitHub revert is angular only", "leak"},
	} {
		if strings.Contains(got, tt.unwanted) {
			t.Errorf("%s: output has %q:\n%s", tt.name, tt.unwanted, got)
		}
	}
	order := []string{"### ⚠ BREAKING CHANGES", "### Features", "### Bug Fixes", "### Performance Improvements", "### Reverts", "### Miscellaneous Chores"}
	last := -1
	for _, h := range order {
		i := strings.Index(got, h)
		if i < last {
			t.Errorf("section %q out of order:\n%s", h, got)
		}
		last = i
	}
}

func TestRenderAngularReferences(t *testing.T) {
	got, err := Render(sampleRelease(), WithPreset(PresetAngular), WithRepository(testRepo))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"# [1.3.0](https://github.com/o/r/compare/v1.2.0...v1.3.0) (2024-05-01)\n",
		", closes [#8](https://github.com/o/r/issues/8) [o/other#9](https://github.com/o/other/issues/9)",
		"* Revert \"fix(core): leak\" (#50) ([5555555](https://github.com/o/r/commit/" + hash("5555555") + ")), closes [#50](https://github.com/o/r/issues/50)",
		"### BREAKING CHANGES\n\n* **api:** v2 needs a token\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "drop the v1 endpoints\n") || strings.Contains(got, "**deps:** require Go") {
		t.Errorf("angular lists `!`-only notes:\n%s", got)
	}
}

func TestBuildErrors(t *testing.T) {
	for _, tt := range []struct {
		name string
		rel  Release
		opts []Option
		want string
	}{
		{"no version", Release{}, nil, "release has no version"},
		{"bad version", Release{Version: "1.2"}, nil, `version "1.2" is not a semantic version`},
		{"unknown preset", Release{Version: "1.0.0"}, []Option{WithPreset("gitmoji")}, `unknown changelog preset "gitmoji", valid presets are angular, conventionalcommits, keepachangelog`},
		{"bad template", Release{Version: "1.0.0"}, []Option{WithTemplate("{{.Nope")}, "parsing changelog template"},
		{"template field", Release{Version: "1.0.0"}, []Option{WithTemplate("{{.Nope}}")}, "executing changelog template"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Render(tt.rel, tt.opts...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Render() error = %v, want %q", err, tt.want)
			}
		})
	}
}

// TestTemplateContext checks that a template sees every documented field
// of the context, with the values Build returns.
func TestTemplateContext(t *testing.T) {
	rel := sampleRelease()
	rel.Tag = "release-1.3.0"
	tmpl := `{{.Version}}|{{.Tag}}|{{.PreviousTag}}|{{.Date}}|{{.IsPatch}}|{{.RepositoryURL}}|{{.CompareURL}}
{{range .Breaking}}note {{.Scope}}|{{.Text}}|{{.Hash}}
{{end}}{{range .Sections}}section {{.Title}} {{.Types}}
{{range .Entries}}{{.Type}}|{{.Scope}}|{{.Subject}}|{{.Header}}|{{.Hash}}|{{.ShortHash}}|{{.CommitURL}}|{{.PR}}|{{.Breaking}}{{range .References}}|{{.Issue}} {{.Text}} {{.URL}} {{.Action}} {{.Closes}}{{end}}
{{end}}{{end}}{{template "entry" (index (index .Sections 0).Entries 0)}}`
	got, err := Render(rel, WithRepository(testRepo), WithTemplate(tmpl))
	if err != nil {
		t.Fatal(err)
	}
	c, err := Build(rel, WithRepository(testRepo))
	if err != nil {
		t.Fatal(err)
	}
	if again, err := RenderContext(c, WithRepository(testRepo), WithTemplate(tmpl)); err != nil || again != got {
		t.Errorf("RenderContext(Build()) = %q, %v; want Render's output", again, err)
	}
	// The same text, written by hand from the context's JSON: every field
	// the package documentation lists must be there.
	data, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Version, Tag, PreviousTag, Date, RepositoryURL, CompareURL string
		IsPatch                                                    bool
		Breaking                                                   []map[string]any
		Sections                                                   []struct {
			Title   string
			Types   []string
			Entries []map[string]any
		}
	}
	m.Version, m.Tag, m.PreviousTag, m.Date = c.Version, c.Tag, c.PreviousTag, c.Date
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatal(err)
	}
	wantKeys := []string{"breaking", "compare_url", "date", "is_patch", "previous_tag", "repository_url", "sections", "tag", "version"}
	var keys []string
	for k := range raw {
		keys = append(keys, k)
	}
	if diff := cmp.Diff(wantKeys, sortedStrings(keys)); diff != "" {
		t.Errorf("JSON context keys (-want +got):\n%s", diff)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s|%s|%s|%s|%v|%s|%s\n", c.Version, c.Tag, c.PreviousTag, c.Date, c.IsPatch, c.RepositoryURL, c.CompareURL)
	for _, n := range c.Breaking {
		fmt.Fprintf(&b, "note %s|%s|%s\n", n.Scope, n.Text, n.Hash)
	}
	for _, s := range c.Sections {
		fmt.Fprintf(&b, "section %s %v\n", s.Title, s.Types)
		for _, e := range s.Entries {
			fmt.Fprintf(&b, "%s|%s|%s|%s|%s|%s|%s|%d|%v", e.Type, e.Scope, e.Subject, e.Header, e.Hash, e.ShortHash, e.CommitURL, e.PR, e.Breaking)
			for _, r := range e.References {
				fmt.Fprintf(&b, "|%s %s %s %s %v", r.Issue, r.Text, r.URL, r.Action, r.Closes)
			}
			b.WriteString("\n")
		}
	}
	e := c.Sections[0].Entries[0]
	verb := "references" // "Refs #12"
	if e.References[0].Closes {
		verb = "closes"
	}
	fmt.Fprintf(&b, "* **%s:** %s ([%s](%s)), %s [%s](%s)\n", e.Scope, e.Subject, e.ShortHash, e.CommitURL, verb, e.References[0].Text, e.References[0].URL)
	if diff := cmp.Diff(b.String(), got); diff != "" {
		t.Errorf("template output (-want +got):\n%s", diff)
	}
	for _, want := range []string{"release-1.3.0|v1.2.0|2024-05-01|false|https://github.com/o/r|https://github.com/o/r/compare/v1.2.0...release-1.3.0", "|40|true", "|12 #12 https://github.com/o/r/issues/12 Refs false\n"} {
		if !strings.Contains(got, want) {
			t.Errorf("template output lacks %q:\n%s", want, got)
		}
	}
}

func sortedStrings(s []string) []string {
	out := append([]string(nil), s...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

func TestCollate(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want int
	}{
		{"hmr", "KeepAlive", -1},
		{"compiler-sfc", "cssVars", -1},
		{"types", "types/defineModel", -1},
		{"add PHPLibrarian", "add ruby", -1},
		{"a", "A", -1},
		{"same", "same", 0},
		{"v-model", "v1", -1},
	} {
		got := collate(tt.a, tt.b)
		if (got < 0) != (tt.want < 0) || (got == 0) != (tt.want == 0) {
			t.Errorf("collate(%q, %q) = %d, want sign %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestPullRequest(t *testing.T) {
	for _, tt := range []struct {
		header string
		want   int
	}{
		{"feat: x (#123)", 123},
		{"feat: x (#12) (#123)", 123},
		{"feat: closes #123", 0},
		{"feat: x", 0},
	} {
		if got := PullRequest(tt.header); got != tt.want {
			t.Errorf("PullRequest(%q) = %d, want %d", tt.header, got, tt.want)
		}
	}
}

func TestParseRepositoryURL(t *testing.T) {
	gh := Repository{Host: "https://github.com", Owner: "o", Name: "r"}
	for _, tt := range []struct {
		in      string
		want    Repository
		wantErr string
	}{
		{in: "git@github.com:o/r.git", want: gh},
		{in: "git@github.com:o/r", want: gh},
		{in: "https://github.com/o/r.git", want: gh},
		{in: "https://github.com/o/r", want: gh},
		{in: "https://github.com/o/r/", want: gh},
		{in: "ssh://git@github.com/o/r.git", want: gh},
		{in: "ssh://git@github.com:22/o/r", want: gh},
		{in: "git://github.com/o/r.git", want: gh},
		{in: "https://x-access-token:ghp_secret@github.com/o/r.git", want: gh},
		{in: "git@ghe.example.com:team/svc.git", want: Repository{Host: "https://ghe.example.com", Owner: "team", Name: "svc"}},
		{in: "https://ghe.example.com/team/svc", want: Repository{Host: "https://ghe.example.com", Owner: "team", Name: "svc"}},
		{in: "http://localhost:3000/o/r", want: Repository{Host: "http://localhost:3000", Owner: "o", Name: "r"}},
		{in: "", wantErr: "empty repository URL"},
		{in: "/srv/git/r.git", wantErr: `repository URL "/srv/git/r.git" is neither host:owner/repo nor a URL`},
		{in: "https://github.com/o", wantErr: "does not name an owner and a repository"},
		{in: "https://user:ghp_secret@github.com/", wantErr: `"https://REDACTED@github.com/"`},
	} {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseRepositoryURL(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want %q", err, tt.wantErr)
				}
				if strings.Contains(err.Error(), "secret") {
					t.Errorf("error leaks the token: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestJSSortConsistent checks jsSort against a stable sort for consistent
// comparators, on every permutation-ish input of a small key set.
func TestJSSortConsistent(t *testing.T) {
	keys := []int{3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3, 2, 3, 8, 4}
	for n := 0; n <= len(keys); n++ {
		for shift := range max(n, 1) {
			in := make([]int, n)
			for i := range in {
				in[i] = i // indexes into vals
			}
			vals := make([]int, n)
			for i := range vals {
				vals[i] = keys[(i+shift)%len(keys)]
			}
			got := append([]int(nil), in...)
			jsSort(got, func(a, b int) int { return vals[a] - vals[b] })
			want := append([]int(nil), in...)
			slices.SortStableFunc(want, func(a, b int) int { return vals[a] - vals[b] })
			if !slices.Equal(got, want) {
				t.Fatalf("n=%d shift=%d: jsSort = %v, stable sort = %v", n, shift, got, want)
			}
		}
	}
}

// TestSortMixedScopes reproduces release-please's 15.2.0 Features section
// (googleapis/release-please CHANGELOG.md), where scoped and unscoped
// entries mix: fed newest first (by pull-request number; 609383b holds two
// changes), V8's sort puts "**cli:** Add ability" first and the unscoped
// ones after it in subject order.
func TestSortMixedScopes(t *testing.T) {
	entries := []Entry{
		{Scope: "cli", Subject: "Add ability to dynamically load release-please plugin"},
		{Subject: "Export Strategy interface so external packages can implement"},
		{Subject: "Introduce JavaYoshiMonoRepo strategy"},
		{Subject: "Introduce ChangelogJson updater"},
	}
	sortEntries(entries)
	var got []string
	for _, e := range entries {
		got = append(got, e.Subject[:12])
	}
	want := []string{"Add ability ", "Export Strat", "Introduce Ch", "Introduce Ja"}
	if !slices.Equal(got, want) {
		t.Errorf("order = %q, want %q", got, want)
	}
}

// TestLayoutsMatchTemplates renders every test input with each preset's
// Go layout and with its template (Preset.Layout through WithTemplate):
// both must agree byte for byte.
func TestLayoutsMatchTemplates(t *testing.T) {
	rels := map[string]Release{"sample": sampleRelease(), "bench": benchRelease(200)}
	first := sampleRelease()
	first.PreviousTag, first.Date = "", time.Time{}
	rels["first"] = first
	patch := sampleRelease()
	patch.Version = "1.2.1"
	rels["patch"] = patch
	empty := sampleRelease()
	empty.Commits = nil
	rels["empty"] = empty
	paths, _ := filepath.Glob("testdata/cases/*.json")
	for _, p := range paths {
		rel, _, _ := loadCase(t, p).release(t)
		rels[filepath.Base(p)] = rel
	}
	for name, rel := range rels {
		for _, p := range []Preset{PresetConventionalCommits, PresetAngular, PresetKeepAChangelog} {
			for _, repo := range []Repository{{}, testRepo} {
				fast, err := Render(rel, WithPreset(p), WithRepository(repo))
				if err != nil {
					t.Fatal(err)
				}
				slow, err := Render(rel, WithPreset(p), WithRepository(repo), WithTemplate(p.Layout()))
				if err != nil {
					t.Fatal(err)
				}
				if fast != slow {
					t.Errorf("%s/%s/%q: Go layout and template differ:\n%s", name, p, repo.Name, cmp.Diff(slow, fast))
				}
			}
		}
	}
	if Preset("nope").Layout() != "" {
		t.Error("unknown preset has a layout")
	}
}

func TestLinkSubject(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"plain", "plain"},
		{"fix #12 and #3", "fix [#12](https://github.com/o/r/issues/12) and [#3](https://github.com/o/r/issues/3)"},
		{"# not a ref #x (#7)", "# not a ref #x ([#7](https://github.com/o/r/issues/7))"},
		{"ends with #", "ends with #"},
		{"thanks @octo-cat, not foo@bar or @org/team", "thanks [@octo-cat](https://github.com/octo-cat), not foo@bar or @org/team"},
	} {
		if got, _ := linkSubject(tt.in, testRepo); got != tt.want {
			t.Errorf("linkSubject(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	// Without a repository nothing is linked, but the references are
	// still found, so that the entry does not repeat them.
	if got, refs := linkSubject("a #1 b #22 @octocat", Repository{}); got != "a #1 b #22 @octocat" || strings.Join(refs, " ") != "#1 #22" {
		t.Errorf("without a repository: %q %q", got, refs)
	}
}
