package changelog

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shipflow/shipflow/internal/golden"
)

// issue is testRepo's link for issue n, as the layouts write it.
func issue(n string) string { return "[#" + n + "](https://github.com/o/r/issues/" + n + ")" }

// entryLine renders a release of one commit and returns its entry: the
// bullet that holds the commit's short hash.
func entryLine(t *testing.T, p Preset, msg string) string {
	t.Helper()
	rel := Release{Version: "1.1.0", Commits: []Commit{commit("abcdef1", msg)}}
	got, err := Render(rel, WithPreset(p), WithRepository(testRepo))
	if err != nil {
		t.Fatal(err)
	}
	for line := range strings.SplitSeq(got, "\n") {
		if strings.HasPrefix(line, "* ") && strings.Contains(line, "[abcdef1]") {
			return line
		}
	}
	t.Fatalf("no entry for abcdef1 in:\n%s", got)
	return ""
}

// TestReferences checks the references listed after an entry, which both
// presets take from a commit the same way: every issue after a closing
// keyword (GitHub's list) in the body or footers is closed, footers such as
// Refs and See only reference theirs, and what the subject already links is
// not repeated. conventional-changelog-conventionalcommits writes the
// closing ones after ", closes" and the others after ", references".
func TestReferences(t *testing.T) {
	const link = " ([abcdef1](https://github.com/o/r/commit/abcdef1000000000000000000000000000000000))"
	for _, tt := range []struct {
		name, msg, want string
	}{
		{"closes a list", "fix: a\n\nCloses #10, #11", "* a" + link + ", closes " + issue("10") + " " + issue("11")},
		{"closes a list with and", "fix: a\n\nFixes #1, #2 and #3", "* a" + link + ", closes " + issue("1") + " " + issue("2") + " " + issue("3")},
		{"full stop after the issue", "fix: a\n\nFixes #7.", "* a" + link + ", closes " + issue("7")},
		{"colon after the keyword", "fix: a\n\nFixes: #2826", "* a" + link + ", closes " + issue("2826")},
		{"other repository", "fix: a\n\nCloses: owner/repo#3", "* a" + link + ", closes [owner/repo#3](https://github.com/owner/repo/issues/3)"},
		{"closing keyword in the body", "fix: a\n\nThis fixes #9 for good.\n\nSigned-off-by: A <a@example.com>", "* a" + link + ", closes " + issue("9")},
		{"refs references", "fix: a\n\nRefs #12", "* a" + link + ", references " + issue("12")},
		{"refs with a colon and a list", "fix: a\n\nRefs: #4, #5", "* a" + link + ", references " + issue("4") + " " + issue("5")},
		{"see references", "fix: a\n\nSee: o/other#6", "* a" + link + ", references [o/other#6](https://github.com/o/other/issues/6)"},
		{"closes then references", "fix: a\n\nRefs: #2\nCloses #1", "* a" + link + ", closes " + issue("1") + ", references " + issue("2")},
		{"closed and referenced once", "fix: a\n\nFixes #1\nCloses #1\nRefs #1", "* a" + link + ", closes " + issue("1")},
		{"linked in the subject", "fix: a (#3)\n\nCloses #3, #4", "* a (" + issue("3") + ")" + link + ", closes " + issue("4")},
		{"other repository's issue of the same number", "fix: a (#3)\n\nCloses o/other#3", "* a (" + issue("3") + ")" + link + ", closes [o/other#3](https://github.com/o/other/issues/3)"},
		{"not a number", "fix: a\n\nRefs: #1a2b\nCloses #x1", "* a" + link},
		{"not a reference footer", "fix: a\n\nReviewed-by: A (#3)\nRefs: v8:8940", "* a" + link},
		{"prose without a keyword", "fix: a\n\nAs discussed in #8.", "* a" + link},
		{"keyword inside a word", "fix: a\n\nKeep the prefix #3, unresolved #4", "* a" + link},
		{"keyword after a hyphen", "fix: a\n\nre-fix #5", "* a" + link + ", closes " + issue("5")},
	} {
		for _, p := range []Preset{PresetConventionalCommits, PresetAngular} {
			t.Run(tt.name+"/"+string(p), func(t *testing.T) {
				if got := entryLine(t, p, tt.msg); got != tt.want {
					t.Errorf("entry =\n%s\nwant\n%s", got, tt.want)
				}
			})
		}
	}
}

// TestReferencesWithoutRepository checks that what the subject holds is
// not repeated when nothing is linked: conventional-changelog repeats it,
// because it removes only the references it linked.
func TestReferencesWithoutRepository(t *testing.T) {
	rel := Release{Version: "1.1.0", Commits: []Commit{commit("abcdef1", "feat: a (#40)\n\nCloses #40, #41")}}
	for _, p := range []Preset{PresetConventionalCommits, PresetAngular} {
		got, err := Render(rel, WithPreset(p))
		if err != nil {
			t.Fatal(err)
		}
		if want := "* a (#40) abcdef1, closes #41\n"; !strings.Contains(got, want) {
			t.Errorf("%s: output lacks %q:\n%s", p, want, got)
		}
	}
}

// TestReferencesContext checks what a template sees of the references.
func TestReferencesContext(t *testing.T) {
	rel := Release{Version: "1.1.0", Commits: []Commit{commit("abcdef1", "fix: a\n\nfixes #1, o/other#2\nRefs: #3")}}
	c, err := Build(rel, WithRepository(testRepo))
	if err != nil {
		t.Fatal(err)
	}
	got := c.Sections[0].Entries[0].References
	want := []Reference{
		{Issue: "1", Text: "#1", URL: "https://github.com/o/r/issues/1", Action: "fixes", Closes: true},
		{Issue: "2", Text: "o/other#2", URL: "https://github.com/o/other/issues/2", Action: "fixes", Closes: true},
		{Issue: "3", Text: "#3", URL: "https://github.com/o/r/issues/3", Action: "Refs"},
	}
	if len(got) != len(want) {
		t.Fatalf("References = %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("References[%d] = %+v, want %+v", i, got[i], want[i])
		}
	}
}

// notesRelease has breaking notes with lists, paragraphs, references and
// mentions in them.
func notesRelease() Release {
	return Release{
		Version:     "2.0.0",
		PreviousTag: "v1.3.0",
		Date:        time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC),
		Commits: []Commit{
			commit("aaaaaaa", "feat(config)!: move the configuration\n\n"+
				"BREAKING CHANGE: the configuration moved to `.shipflow.yaml`:\n\n"+
				"- `remote` is now `git.remote` (#20)\n"+
				"- `branch` is gone, see o/docs#4\n\n"+
				"Migrate as #21 explains, thanks to @octocat; `@team` reviews.\n"+
				"Closes #22"),
			commit("bbbbbbb", "fix(api): drop the v1 endpoints\n\n"+
				"BREAKING CHANGE: the v1 endpoints are gone (#23)\n"+
				"and answer 410 (see #24)"),
		},
	}
}

// TestBreakingNotes checks that a note's lists and paragraphs stay inside
// its bullet, indented as conventional-changelog's list() indents them,
// and that the references and mentions in it are linked, except in code.
func TestBreakingNotes(t *testing.T) {
	for _, p := range []Preset{PresetConventionalCommits, PresetAngular, PresetKeepAChangelog} {
		t.Run(string(p), func(t *testing.T) {
			got, err := Render(notesRelease(), WithPreset(p), WithRepository(testRepo))
			if err != nil {
				t.Fatal(err)
			}
			golden.Check(t, filepath.Join("testdata", "notes", string(p)+".md"), got)
			bullet := "* "
			if p == PresetKeepAChangelog {
				bullet = "- "
			}
			want := bullet + "**config:** the configuration moved to `.shipflow.yaml`:\n\n" +
				"  - `remote` is now `git.remote` (" + issue("20") + ")\n" +
				"  - `branch` is gone, see [o/docs#4](https://github.com/o/docs/issues/4)\n\n" +
				"  Migrate as " + issue("21") + " explains, thanks to [@octocat](https://github.com/octocat); `@team` reviews.\n"
			if !strings.Contains(got, want) {
				t.Errorf("output lacks the note\n%s\nin\n%s", want, got)
			}
			want = bullet + "**api:** the v1 endpoints are gone (" + issue("23") + ")\n  and answer 410 (see " + issue("24") + ")\n"
			if !strings.Contains(got, want) {
				t.Errorf("output lacks the note\n%s\nin\n%s", want, got)
			}
		})
	}
}

func TestLinkText(t *testing.T) {
	for _, tt := range []struct {
		name, in, want string
		refs           []string
	}{
		{"mention in a code span", "ignore `@vue-ignore` but thank @octocat", "ignore `@vue-ignore` but thank [@octocat](https://github.com/octocat)", nil},
		{"issue in a code span", "match `#12` literally, fix #13", "match `#12` literally, fix " + issue("13"), []string{"#13"}},
		{"double backticks", "use ``a ` @b`` and @c", "use ``a ` @b`` and [@c](https://github.com/c)", nil},
		{"unclosed backtick", "a ` #5", "a ` " + issue("5"), []string{"#5"}},
		{"fenced code", "x\n```\n#1 @a\n```\n#2", "x\n```\n#1 @a\n```\n" + issue("2"), []string{"#2"}},
		{"not a number", "#1a2b and #12b, but #3", "#1a2b and #12b, but " + issue("3"), []string{"#3"}},
		{"html entity", "it&#39;s #4", "it&#39;s " + issue("4"), []string{"#4"}},
		{"inside a word", "abc#5 and x@y", "abc#5 and x@y", nil},
		{"markdown link", "see [#6](https://example.com/6) and [@u](https://x/u)", "see [#6](https://example.com/6) and [@u](https://x/u)", nil},
		{"url", "see https://example.com/a#7 and https://example.com/@u", "see https://example.com/a#7 and https://example.com/@u", nil},
		{"other repository", "port o/other#8 and #8", "port [o/other#8](https://github.com/o/other/issues/8) and " + issue("8"), []string{"o/other#8", "#8"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, refs := linkSubject(tt.in, testRepo)
			if got != tt.want {
				t.Errorf("linkSubject(%q) =\n%q\nwant\n%q", tt.in, got, tt.want)
			}
			if strings.Join(refs, " ") != strings.Join(tt.refs, " ") {
				t.Errorf("linkSubject(%q) references = %q, want %q", tt.in, refs, tt.refs)
			}
		})
	}
}

// FuzzLinkSubject checks that linking never panics, changes nothing
// without a repository, and links every reference it reports.
func FuzzLinkSubject(f *testing.F) {
	for _, s := range []string{"fix #1 and o/r#2 for @u", "`#1` [#2](x) https://e.com/#3 (#4)", "```\n#1\n```", "[a](b(c)d) [[x]](y)", "&#39; #1a2b @-x @a-/b", "http://(", "~~~\n@u\n~~~"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, _ := linkSubject(s, Repository{}); got != s {
			t.Fatalf("without a repository linkSubject(%q) = %q", s, got)
		}
		got, refs := linkSubject(s, testRepo)
		for _, r := range refs {
			if !strings.Contains(got, "["+r+"](") {
				t.Fatalf("linkSubject(%q) = %q: reference %q not linked", s, got, r)
			}
		}
	})
}
