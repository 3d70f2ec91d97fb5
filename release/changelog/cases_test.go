package changelog

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shipflow/shipflow/commitlint"
	"github.com/shipflow/shipflow/internal/golden"
)

// realCase is one file of testdata/cases (copied by testdata/gen.sh from
// /work/shared/data/changelog-cases): a real CHANGELOG.md section and the
// commits of its range.
type realCase struct {
	Repo        string `json:"repo"`
	FromTag     string `json:"from_tag"`
	ToTag       string `json:"to_tag"`
	TagDate     string `json:"tag_date"`
	RealSection string `json:"real_changelog_section"`
	Commits     []struct {
		Hash    string `json:"hash"`
		Subject string `json:"subject"`
		Body    string `json:"body"`
		Merge   bool   `json:"merge"`
	} `json:"commits"`
	Notes string `json:"notes"`
}

func loadCase(t testing.TB, path string) realCase {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var c realCase
	if err := json.Unmarshal(data, &c); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return c
}

// release turns a case into Render's input, the way release.Changelog does
// from git: every commit's message parsed, newest first.
func (c realCase) release(t testing.TB) (Release, Repository, Preset) {
	t.Helper()
	date, err := time.Parse(time.RFC3339, c.TagDate)
	if err != nil {
		t.Fatal(err)
	}
	rel := Release{
		Version:     strings.TrimPrefix(c.ToTag, "v"),
		Tag:         c.ToTag,
		PreviousTag: c.FromTag,
		Date:        date,
	}
	for _, cm := range c.Commits {
		msg := cm.Subject
		if cm.Body != "" {
			msg += "\n\n" + cm.Body
		}
		rel.Commits = append(rel.Commits, Commit{Hash: cm.Hash, Commit: commitlint.Parse(msg), Merge: cm.Merge})
	}
	repo, err := ParseRepositoryURL("https://github.com/" + c.Repo)
	if err != nil {
		t.Fatal(err)
	}
	preset := PresetConventionalCommits // release-please
	if c.Repo == "vuejs/core" {
		preset = PresetAngular // conventional-changelog -p angular
	}
	return rel, repo, preset
}

// caseEntry is one bullet of a section.
type caseEntry struct{ section, text string }

var shortLinkRE = regexp.MustCompile(`\(\[([0-9a-f]{7})\]\(`)

// key identifies an entry by the short hash of its commit link, or by its
// text when it has none (breaking-change notes).
func (e caseEntry) key() string {
	if m := shortLinkRE.FindStringSubmatch(e.text); m != nil {
		return e.section + "|" + m[1]
	}
	return e.section + "|" + e.text
}

// sectionEntries lists the bullets of a rendered section under the heading
// above them; the version heading itself is skipped.
func sectionEntries(md string) []caseEntry {
	var out []caseEntry
	section := ""
	for i, line := range strings.Split(md, "\n") {
		switch {
		case i == 0:
		case strings.HasPrefix(line, "#"):
			section = strings.TrimSpace(strings.TrimLeft(line, "#"))
		case strings.HasPrefix(line, "* "), strings.HasPrefix(line, "- "):
			out = append(out, caseEntry{section, line[2:]})
		}
	}
	return out
}

// caseException is one known difference between a real section and ours.
type caseException struct {
	// key is caseEntry.key() of the entry concerned ("Section|abc1234"), or
	// the title of a whole hand-written real section for handWritten.
	key string
	// kind says what differs:
	//   handWritten: a real section no generator writes (left out of the
	//                total);
	//   normalise:   a documented PR-side edit: the real text is `real`,
	//                ours is `ours`; counted as matched;
	//   missing:     a real entry git cannot produce (counted as a miss);
	//   extra:       an entry of ours the maintainers removed by hand;
	//   differs:     same commit, text edited by hand (counted as a miss).
	kind       string
	ours, real string
	reason     string
}

// caseExceptions lists, per case, every difference the test allows, each
// with its reason. Reasons quoted from the case's notes are PR-side edits
// the notes document; the others are hand edits found by comparing.
var caseExceptions = map[string][]caseException{
	"googleapis-release-please-v17.0.0": {
		{key: "⚠ BREAKING CHANGES|**deps:** update octokit to v20\" ([#2490](https://github.com/googleapis/release-please/issues/2490))", kind: "normalise",
			ours: `v20" (`, real: `v20 (`,
			reason: `notes: "Note the stray quote in the real subject ('v20\" (#2490)') that the changelog strips" (release-please reads the edited PR title)`},
		{key: "Features|9f3b669", kind: "normalise", ours: `v20" (`, real: `v20 (`,
			reason: `notes: "Note the stray quote in the real subject ('v20\" (#2490)') that the changelog strips"`},
	},
	"googleapis-release-please-v17.11.1": {
		{key: "Bug Fixes|6159d83", kind: "missing",
			reason: `notes: "the real section lists it under 'Bug Fixes' ... release-please reads PR data through the GitHub API (PR title / BEGIN_COMMIT_OVERRIDE), so a git-only generator cannot reproduce this entry"`},
	},
	"vuejs-core-v3.5.0": {
		{key: "Reactivity", kind: "handWritten", reason: `notes: "starts with a hand-written 'Aggregated Features List for 3.5 (alpha to stable)'"`},
		{key: "SSR", kind: "handWritten", reason: "part of the hand-written aggregated list"},
		{key: "Custom Element", kind: "handWritten", reason: "part of the hand-written aggregated list"},
		{key: "Teleport", kind: "handWritten", reason: "part of the hand-written aggregated list"},
		{key: "Misc", kind: "handWritten", reason: "part of the hand-written aggregated list"},
		{key: "Internals", kind: "handWritten", reason: "part of the hand-written aggregated list"},
		{key: "Features|d86fe0e", kind: "extra", reason: "hand edit: the maintainers moved the range's only feat into the hand-written 'Misc' list"},
	},
	"vuejs-core-v3.5.22": {
		{key: "Bug Fixes|ba7f7f9", kind: "normalise", ours: "[@vue-ignore](https://github.com/vue-ignore)", real: "`@vue-ignore`",
			reason: `notes: "the real text has hand edits (e.g. backticks added around @vue-ignore)"; conventional-changelog links @vue-ignore as a user, as we do`},
		{key: "Bug Fixes|5358bca", kind: "differs", reason: `hand edit (notes: "the real text has hand edits"): backticks added around PatchFlags.BAIL`},
		{key: "Bug Fixes|75220c7", kind: "differs", reason: "hand edit (notes: \"the real text has hand edits\"): `h()` rewritten as \"`h` helper\""},
		{key: "Bug Fixes|b555f02", kind: "extra", reason: `hand edit: the maintainers deleted the fix(deps) playground update`},
	},
	"vuejs-core-v3.5.26": {
		{key: "Bug Fixes|dfe667c", kind: "differs", reason: "hand edit, not in the notes: scope `KeepAlive` rewritten as `keep-alive`"},
		{key: "Bug Fixes|22cd4a3", kind: "extra", reason: "hand edit, not in the notes: fix(deps) renovate update deleted"},
		{key: "Bug Fixes|9a51742", kind: "extra", reason: "hand edit, not in the notes: fix(deps) renovate update deleted"},
	},
}

func TestRealCases(t *testing.T) {
	paths, err := filepath.Glob("testdata/cases/*.json")
	if err != nil || len(paths) != 11 {
		t.Fatalf("want the 11 cases of testdata/cases (run testdata/gen.sh), got %d (%v)", len(paths), err)
	}
	totalMatched, total := 0, 0
	for _, path := range paths {
		name := strings.TrimSuffix(filepath.Base(path), ".json")
		t.Run(name, func(t *testing.T) {
			c := loadCase(t, path)
			rel, repo, preset := c.release(t)
			got, err := Render(rel, WithPreset(preset), WithRepository(repo))
			if err != nil {
				t.Fatal(err)
			}
			golden.Check(t, filepath.Join("testdata", "cases-rendered", name+".md"), got)

			exc := map[string]caseException{}
			used := map[string]bool{}
			for _, e := range caseExceptions[name] {
				exc[e.key] = e
			}
			var real []caseEntry
			for _, e := range sectionEntries(c.RealSection) {
				if x, ok := exc[e.section]; ok && x.kind == "handWritten" {
					used[e.section] = true
					continue
				}
				real = append(real, e)
			}
			ours := map[string]caseEntry{}
			normalised := map[string]bool{}
			for _, e := range sectionEntries(got) {
				if x, ok := exc[e.key()]; ok && x.kind == "normalise" && strings.Contains(e.text, x.ours) {
					used[x.key] = true
					e.text = strings.Replace(e.text, x.ours, x.real, 1)
					normalised[e.key()] = true
					t.Logf("normalised %s: %s", x.key, x.reason)
				}
				ours[e.key()] = e
			}
			matched := 0
			for _, r := range real {
				o, ok := ours[r.key()]
				delete(ours, r.key())
				x, hasX := exc[r.key()]
				switch {
				case hasX && (x.kind == "missing" || x.kind == "differs"):
					used[x.key] = true
					t.Logf("known %s %s: %s\n\treal: %s\n\tours: %s", x.kind, x.key, x.reason, r.text, o.text)
				case ok && o.text == r.text:
					matched++
				case ok:
					t.Errorf("entry %s differs\nreal: %s\nours: %s", r.key(), r.text, o.text)
				default:
					t.Errorf("real entry %s missing from ours: %s", r.key(), r.text)
				}
			}
			for k, o := range ours {
				if x, ok := exc[k]; ok && x.kind == "extra" {
					used[k] = true
					t.Logf("known extra %s: %s", k, x.reason)
					continue
				}
				t.Errorf("extra entry of ours %s: %s", k, o.text)
			}
			for _, x := range caseExceptions[name] {
				if !used[x.key] {
					t.Errorf("exception %q (%s) no longer applies: remove it", x.key, x.kind)
				}
			}
			t.Logf("score %s: %d/%d entries (%d normalised)", name, matched, len(real), len(normalised))
			totalMatched += matched
			total += len(real)
		})
	}
	t.Logf("score: %d/%d entries", totalMatched, total)
}

func TestRealCasesByteForByte(t *testing.T) {
	// Cases without hand edits must come out byte for byte, blank lines
	// included (release-please trims the writer's output; so do we).
	for _, name := range []string{
		"googleapis-release-please-v17.10.1",
		"googleapis-release-please-v17.11.0",
		"vuejs-core-v3.5.32",
		"vuejs-core-v3.5.38",
	} {
		t.Run(name, func(t *testing.T) {
			c := loadCase(t, filepath.Join("testdata", "cases", name+".json"))
			rel, repo, preset := c.release(t)
			// release-please dates a section when it opens the release pull
			// request, which git does not record: take the real date.
			if m := regexp.MustCompile(`\((\d{4}-\d\d-\d\d)\)\n`).FindStringSubmatch(c.RealSection); m != nil {
				d, err := time.Parse(time.DateOnly, m[1])
				if err != nil {
					t.Fatal(err)
				}
				rel.Date = d
			}
			got, err := Render(rel, WithPreset(preset), WithRepository(repo))
			if err != nil {
				t.Fatal(err)
			}
			if got != c.RealSection {
				t.Errorf("Render() =\n%s\nwant\n%s", got, c.RealSection)
			}
		})
	}
}

func TestRealCasesInsertOldHeadings(t *testing.T) {
	// release-please 13.x wrote `###` headings for patch releases; a
	// changelog holding one must still be recognised.
	c := loadCase(t, filepath.Join("testdata", "cases", "googleapis-release-please-v13.17.1.json"))
	doc := []byte("# Changelog\n\n" + c.RealSection)
	if !HasVersion(doc, "13.17.1") {
		t.Errorf("HasVersion(13.17.1) = false for a ### heading")
	}
	out, ok := Insert(doc, "13.18.0", "## 13.18.0\n", "")
	if !ok || !strings.HasPrefix(string(out), "# Changelog\n\n## 13.18.0\n\n### [13.17.1]") {
		t.Errorf("Insert() = %v,\n%s", ok, out)
	}
	if !slices.Equal(Versions(out), []string{"13.18.0", "13.17.1"}) {
		t.Errorf("Versions() = %v", Versions(out))
	}
}
