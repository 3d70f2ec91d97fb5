package release

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/shipflow/shipflow/release/report"
	"github.com/shipflow/shipflow/release/versionfile"
)

// WriteText writes the plan as `shipflow next` prints it: the current
// version, the next one and why, the branch and its channel, the commits
// (WriteCommits), the warnings, the ignored tags and the rules.
func (r *PlanReport) WriteText(w io.Writer) error {
	t := &textWriter{w: w}
	r.writeVersions(t)
	branch := r.Branch
	if branch == "" {
		branch = "(detached HEAD)"
	}
	t.printf("branch   %s (channel %s)\n\n", branch, r.Channel)
	r.writeBody(t)
	if len(r.IgnoredTags) > 0 {
		t.printf("\nignored tags (not %q + X.Y.Z): %s\n", r.Prefix, strings.Join(r.IgnoredTags, ", "))
	}
	t.printf("\nrules:\n")
	for _, s := range r.Rules {
		t.printf("  %s\n", s)
	}
	return t.err
}

// writeVersions writes the current and next lines of the text plan.
func (r *PlanReport) writeVersions(t *textWriter) {
	current := "none (no version tag reachable from HEAD)"
	switch {
	case r.PreviousTag != "":
		current = r.PreviousTag
	case r.SinceTag != "":
		current = "none (no stable version tag reachable from HEAD)"
	}
	if slices.Contains(r.Released, r.PreviousTag) {
		current += " (not reachable from HEAD, but HEAD holds its changes: released from a merge not merged back)"
	}
	t.printf("current  %s\n", current)
	switch {
	case r.Next == nil:
		t.printf("next     none: nothing releasable (bump none)\n")
	case r.NextTag == "":
		t.printf("next     %s (build version, no tag; bump %s)\n", r.Next, r.Bump)
	case r.ReleaseAs != "":
		t.printf("next     %s (Release-As footer; bump %s)\n", r.NextTag, r.Bump)
	default:
		t.printf("next     %s (bump %s)\n", r.NextTag, r.Bump)
	}
}

// writeBody writes the commits, the version files and the warnings of the
// text plan.
func (r *PlanReport) writeBody(t *textWriter) {
	if t.err == nil {
		t.err = r.WriteCommits(t.w)
	}
	if t.err == nil {
		t.err = r.WriteVersionFiles(t.w)
	}
	if len(r.Warnings) > 0 {
		t.printf("\nwarnings:\n")
		for _, s := range r.Warnings {
			t.printf("  ⚠ %s\n", s)
		}
	}
}

// Since says in words where Commits start: "since v1.2.0"; "since
// v45.0.0-nightly.3 (last stable: v1.8.1)" when a prerelease line above
// the last stable tag is where they are counted from; "in all of history"
// when HEAD reaches no version tag.
func (r *PlanReport) Since() string {
	switch {
	case r.SinceTag == "":
		return "in all of history"
	case r.SinceTag == r.PreviousTag:
		return "since " + r.SinceTag
	case r.PreviousTag == "":
		return "since " + r.SinceTag + " (no stable version yet)"
	default:
		return "since " + r.SinceTag + " (last stable: " + r.PreviousTag + ")"
	}
}

// WriteCommits lists the plan's commits, one line each with its bump and
// reason, under a line that counts them and says where they start (Since:
// "3 commits since v1.2.0:"); `shipflow next` and `shipflow release
// --dry-run` show a plan's commits this way.
func (r *PlanReport) WriteCommits(w io.Writer) error {
	t := &textWriter{w: w}
	since := r.Since()
	if len(r.Commits) == 0 {
		t.printf("no commits %s\n", since)
	} else {
		t.printf("%d %s %s:\n", len(r.Commits), report.Plural(len(r.Commits), "commit", "commits"), since)
	}
	// Plain writes: a plan may list 100k commits.
	var line []byte
	for _, c := range r.Commits {
		b := c.Bump.String()
		line = append(line[:0], "  "...)
		line = append(line, c.Commit.Short()...)
		line = append(line, ' ')
		line = append(line, b...)
		line = append(line, "      "[:6-len(b)]...)
		line = append(line, planOneLine(c.Parsed.Header, 72)...)
		line = append(line, "  ← "...)
		line = append(line, c.Reason...)
		line = append(line, '\n')
		t.write(line)
	}
	return t.err
}

// WriteVersionFiles lists the version files the release writes Next
// into, one line each as path:line:col: key = "value now", and the
// candidates detection skipped with why, after a blank line; nothing when
// there are neither. `shipflow next` and `shipflow release --dry-run`
// show them this way.
func (r *PlanReport) WriteVersionFiles(w io.Writer) error {
	t := &textWriter{w: w}
	if len(r.VersionFiles) > 0 {
		t.printf("\nversion files (→ %s):\n", r.Next)
		for _, f := range r.VersionFiles {
			t.printf("  %s\n", f)
		}
	}
	if len(r.VersionFileSkips) > 0 {
		t.printf("\nversion files skipped:\n")
		for _, s := range r.VersionFileSkips {
			t.printf("  %s: %s\n", s.Path, s.Reason)
		}
	}
	return t.err
}

// planOneLine cuts s to at most n characters.
func planOneLine(s string, n int) string {
	if len(s) <= n || utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

// planJSON is the JSON document of `shipflow next --format json`.
type planJSON struct {
	Current    *string `json:"current"`
	CurrentTag *string `json:"current_tag"`
	// SinceTag is the tag the commits are counted from: CurrentTag, or a
	// prerelease above it (PlanReport.SinceTag).
	SinceTag    *string          `json:"since_tag"`
	Next        *string          `json:"next"`
	NextTag     *string          `json:"next_tag"`
	Bump        string           `json:"bump"`
	Branch      string           `json:"branch"`
	Channel     string           `json:"channel"`
	ReleaseAs   *string          `json:"release_as"`
	Commits     []planJSONCommit `json:"commits"`
	Warnings    []string         `json:"warnings"`
	IgnoredTags []string         `json:"ignored_tags"`
	// Released are tags HEAD does not reach but whose changes it holds
	// (main released dev, not merged back): they count as reachable.
	Released []string `json:"released"`
	// UntaggedRelease is a release commit whose tag does not exist.
	UntaggedRelease *planJSONRelease `json:"untagged_release"`
	Rules           []string         `json:"rules"`
	// VersionFiles are the files the release writes the next version
	// into, with their value now; VersionFileSkips the candidates
	// detection could not use. Absent when there are none.
	VersionFiles     []versionfile.File `json:"version_files,omitempty"`
	VersionFileSkips []versionfile.Skip `json:"version_file_skips,omitempty"`
}

type planJSONRelease struct {
	Commit  string `json:"commit"`
	Tag     string `json:"tag"`
	Version string `json:"version"`
}

type planJSONCommit struct {
	Commit   string `json:"commit"`
	Type     string `json:"type"`
	Scope    string `json:"scope"`
	Breaking bool   `json:"breaking"`
	Bump     string `json:"bump"`
	Reason   string `json:"reason"`
	Header   string `json:"header"`
}

// WriteJSON writes the plan as one indented JSON document: the current,
// since and next versions and tags (null when there are none), the bump,
// branch and channel, every commit with its bump and reason, the warnings,
// ignored and released tags, and the rules.
//
// The commits are encoded one at a time into their place in the document:
// a first release of 300k commits would otherwise hold its 85 MB of JSON
// twice over (the encoder's buffer, then its indented copy).
func (r *PlanReport) WriteJSON(w io.Writer) error {
	var head bytes.Buffer
	if err := writeJSON(&head, r.jsonHead(), false); err != nil {
		return err
	}
	// Inside a string a line break is escaped: this line is the field.
	const slot = "\n  \"commits\": [],\n"
	before, after, ok := bytes.Cut(head.Bytes(), []byte(slot))
	if !ok || len(r.Commits) == 0 {
		_, err := w.Write(head.Bytes())
		return err
	}
	bw := bufio.NewWriter(w)
	bw.Write(before)
	bw.WriteString("\n  \"commits\": [")
	var one bytes.Buffer
	enc := json.NewEncoder(&one)
	enc.SetIndent("    ", "  ")
	enc.SetEscapeHTML(false)
	for i, c := range r.Commits {
		if i > 0 {
			bw.WriteByte(',')
		}
		bw.WriteString("\n    ")
		one.Reset()
		if err := enc.Encode(planCommitJSON(c)); err != nil {
			return err
		}
		bw.Write(bytes.TrimSuffix(one.Bytes(), []byte("\n")))
	}
	bw.WriteString("\n  ],\n")
	bw.Write(after)
	return bw.Flush()
}

// json is the plan as WriteJSON writes it.
func (r *PlanReport) json() planJSON {
	out := r.jsonHead()
	for _, c := range r.Commits {
		out.Commits = append(out.Commits, planCommitJSON(c))
	}
	return out
}

// jsonHead is json without the commits (an empty list).
func (r *PlanReport) jsonHead() planJSON {
	opt := func(s string) *string {
		if s == "" {
			return nil
		}
		return &s
	}
	out := planJSON{
		CurrentTag: opt(r.PreviousTag), SinceTag: opt(r.SinceTag), NextTag: opt(r.NextTag), ReleaseAs: opt(r.ReleaseAs),
		Bump: r.Bump.String(), Branch: r.Branch, Channel: r.Channel,
		Commits: []planJSONCommit{}, Warnings: append([]string{}, r.Warnings...),
		IgnoredTags: append([]string{}, r.IgnoredTags...), Rules: r.Rules,
		Released:     append([]string{}, r.Released...),
		VersionFiles: r.VersionFiles, VersionFileSkips: r.VersionFileSkips,
	}
	if u := r.UntaggedRelease; u != nil {
		out.UntaggedRelease = &planJSONRelease{Commit: u.Commit, Tag: u.Tag, Version: u.Version.String()}
	}
	if r.Previous != nil {
		out.Current = opt(r.Previous.String())
	}
	if r.Next != nil {
		out.Next = opt(r.Next.String())
	}
	return out
}

// planCommitJSON is one commit of planJSON.
func planCommitJSON(c PlanCommit) planJSONCommit {
	return planJSONCommit{
		Commit: c.Commit.Hash, Type: c.Parsed.Type, Scope: c.Parsed.Scope,
		Breaking: c.Parsed.Breaking && c.Parsed.HeaderError == nil,
		Bump:     c.Bump.String(), Reason: c.Reason, Header: c.Parsed.Header,
	}
}
