package release

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/shipflow/shipflow/commitlint"
	"github.com/shipflow/shipflow/release/branch"
	"github.com/shipflow/shipflow/release/config"
)

// TestPRPreview: the pull request check previews the release on the
// commit the repository's merge method lands: a squash-only repository's
// squash commit (the title decides), a merge-commit one's GitHub merge
// message (the title counts too), else the plain merge (the commits).
func TestPRPreview(t *testing.T) {
	cases := []struct {
		name      string
		merge     PRMerge
		commits   []string
		title     string
		bump, tag string
		squash    bool
	}{
		{name: "squash only: the title decides", merge: PRMerge{Squash: true}, commits: []string{"fix: a", "wip"}, title: "feat(api): add search", bump: "minor", tag: "v1.1.0", squash: true},
		{name: "merge commits: the title counts", merge: PRMerge{Merge: true}, commits: []string{"fix: a"}, title: "feat(api): add search", bump: "minor", tag: "v1.1.0"},
		{name: "mixed: the commits", merge: PRMerge{}, commits: []string{"fix: a"}, title: "feat(api): add search", bump: "patch", tag: "v1.0.1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			repo, _, base, head := previewRepo(t, c.commits...)
			rep, err := PR(context.Background(), repo, PROptions{
				BaseSHA: base, HeadSHA: head, Title: c.title, Number: 7, Base: "main", Head: "feature",
				Lint: commitlint.ConventionalConfig(), Merge: c.merge, Plan: &PlanOptions{},
				Preview: true, Repository: "o/r", Now: previewClock,
			})
			if err != nil {
				t.Fatal(err)
			}
			pv := rep.Preview
			if pv == nil {
				t.Fatalf("no preview; notes %q", rep.Notes)
			}
			got := []any{pv.Bump, pv.Tag, pv.Squash}
			if diff := cmp.Diff([]any{c.bump, c.tag, c.squash}, got); diff != "" {
				t.Errorf("bump, tag, squash (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPRPreviewOffAndErrors(t *testing.T) {
	repo, _, base, head := previewRepo(t, "feat: a")
	opts := PROptions{BaseSHA: base, HeadSHA: head, Title: "feat: a", Base: "main", Head: "feature", Lint: commitlint.ConventionalConfig(), Plan: &PlanOptions{}, Now: previewClock}
	rep, err := PR(context.Background(), repo, opts)
	if err != nil || rep.Preview != nil {
		t.Fatalf("preview off: %v, %+v", err, rep.Preview)
	}
	// A preview that cannot be made is a note, never a failure.
	opts.Preview, opts.Changelog = true, config.Changelog{Preset: "no-such-preset"}
	rep, err = PR(context.Background(), repo, opts)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Preview != nil || len(rep.Notes) == 0 || !strings.Contains(strings.Join(rep.Notes, "\n"), "release preview") {
		t.Errorf("preview %+v, notes %q: want a note", rep.Preview, rep.Notes)
	}
}

func TestPRPreviewRendered(t *testing.T) {
	repo, _, base, head := previewRepo(t, "feat(api): add search")
	rep, err := PR(context.Background(), repo, PROptions{
		BaseSHA: base, HeadSHA: head, Title: "feat(api): add search", Number: 7, Base: "main", Head: "feature",
		Lint: commitlint.ConventionalConfig(), Merge: PRMerge{Merge: true}, Plan: &PlanOptions{}, Preview: true, Now: previewClock,
		Policy: branch.Policy{Flows: []branch.Flow{{Head: "feature", Bases: []string{"main"}}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	var text, md, js bytes.Buffer
	if err := rep.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	if want := "merging releases v1.1.0 (minor: feat(api): add search)\n"; !strings.Contains(text.String(), want) {
		t.Errorf("text lacks %q:\n%s", want, text.String())
	}
	if err := rep.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	if want := "**Merging this pull request releases v1.1.0** (minor: `feat(api): add search`)"; !strings.Contains(md.String(), want) {
		t.Errorf("markdown lacks %q:\n%s", want, md.String())
	}
	if err := rep.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Preview     *ReleasePreview `json:"preview"`
		Valid       bool            `json:"valid"`
		FirstError  *string         `json:"first_error"`
		NextVersion string          `json:"next_version"`
		Bump        string          `json:"bump"`
	}
	if err := json.Unmarshal(js.Bytes(), &doc); err != nil || doc.Preview == nil || doc.Preview.Tag != "v1.1.0" {
		t.Errorf("json preview %+v (%v):\n%s", doc.Preview, err, js.String())
	}
	if !doc.Valid || doc.FirstError == nil || *doc.FirstError != "" || doc.NextVersion != "1.1.0" || doc.Bump != "minor" {
		t.Errorf("json valid %v, first_error %q, next_version %q, bump %q", doc.Valid, *doc.FirstError, doc.NextVersion, doc.Bump)
	}

	rep.Preview = &ReleasePreview{Nothing: "no releasable commit since v1.0.0 (docs)"}
	text.Reset()
	rep.WriteText(&text)
	if want := "no release: no releasable commit since v1.0.0 (docs)\n"; !strings.Contains(text.String(), want) {
		t.Errorf("text lacks %q:\n%s", want, text.String())
	}
}

// TestPRMarkdownWithin: a summary too long for GitHub keeps the first
// findings that fit and counts the others; the verdict and the preview
// stay.
func TestPRMarkdownWithin(t *testing.T) {
	var msgs []string
	for i := range 60 {
		msgs = append(msgs, fmt.Sprintf("Bad commit %d", i))
	}
	repo, _, base, head := previewRepo(t, msgs...)
	rep, err := PR(context.Background(), repo, PROptions{
		BaseSHA: base, HeadSHA: head, Title: "feat: x", Base: "main", Head: "feature",
		Lint: commitlint.ConventionalConfig(), Merge: PRMerge{Rebase: true}, Plan: &PlanOptions{}, Preview: true, Now: previewClock,
	})
	if err != nil {
		t.Fatal(err)
	}
	full, err := rep.MarkdownWithin(1 << 20)
	if err != nil {
		t.Fatal(err)
	}
	var md bytes.Buffer
	rep.WriteMarkdown(&md)
	if full != md.String() {
		t.Errorf("a summary that fits is WriteMarkdown's")
	}
	const limit = 4000
	cut, err := rep.MarkdownWithin(limit)
	if err != nil {
		t.Fatal(err)
	}
	if len(cut) > limit {
		t.Errorf("%d bytes, want at most %d", len(cut), limit)
	}
	rows := strings.Count(cut, "| ❌ error |")
	total := strings.Count(full, "| ❌ error |")
	want := fmt.Sprintf("_… and %d more findings: ", total-rows)
	if rows == 0 || rows == total || !strings.Contains(cut, want) {
		t.Errorf("%d of %d rows, want a count %q:\n%s", rows, total, want, cut)
	}
	for _, keep := range []string{"**Linted:**", "❌ ", "### Release preview", "**No release**"} {
		if !strings.Contains(cut, keep) {
			t.Errorf("lacks %q:\n%s", keep, cut)
		}
	}
}

func TestPRFirstError(t *testing.T) {
	repo, _, base, head := previewRepo(t, "feat: fine", "Fixed stuff\n\nmore")
	rep, err := PR(context.Background(), repo, PROptions{BaseSHA: base, HeadSHA: head, Title: "feat: x", Lint: commitlint.ConventionalConfig(), Merge: PRMerge{Rebase: true}})
	if err != nil {
		t.Fatal(err)
	}
	got := rep.FirstError()
	if !strings.HasPrefix(got, "commit ") || !strings.Contains(got, "Fixed stuff") || strings.Contains(got, "\n") || rep.Valid() {
		t.Errorf("first error %q, valid %v", got, rep.Valid())
	}
	if v, b := rep.NextVersion(); v != "" || b != "" {
		t.Errorf("no preview: next version %q %q", v, b)
	}
}
