package release

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/shipflow/shipflow/release/report"
)

// previewMaxNotes caps the notes shown in the preview: a PR comment holds
// 65,536 characters and the preview shares it with the check's findings
// (a job summary holds 1 MiB).
const previewMaxNotes = 40000

// RenderPreviewMarkdown renders pv for a job summary or a pull request
// comment: "**Merging this pull request releases v1.4.0** (minor:
// `feat(api): add search`)", the changelog section in a collapsible
// <details>, the version files and the image tags; "**No release**: why"
// otherwise.
//
// Commit messages and repository files are untrusted: the notes are shown
// verbatim in a fenced code block (GitHub renders no HTML and pings no one
// there, and a fence longer than any backtick run in them cannot be
// closed early, so neither can the <details>); other text is escaped
// (report.EscapeMarkdown) or put in code spans that cannot be closed.
func RenderPreviewMarkdown(pv *ReleasePreview) string {
	var b strings.Builder
	if pv.Nothing != "" {
		fmt.Fprintf(&b, "**No release**: %s\n\n", report.EscapeMarkdown(pv.Nothing))
		previewWarnings(&b, pv.Warnings)
		return strings.TrimRight(b.String(), "\n") + "\n"
	}
	if len(pv.Packages) > 0 {
		return renderPackagesPreview(pv)
	}
	fmt.Fprintf(&b, "**Merging this pull request releases %s**", report.EscapeMarkdown(pv.Tag))
	switch {
	case pv.DecidedBy != "":
		fmt.Fprintf(&b, " (%s: %s)", report.EscapeMarkdown(pv.Bump), previewCode(pv.DecidedBy))
	case pv.Reason != "":
		fmt.Fprintf(&b, " (%s)", report.EscapeMarkdown(pv.Reason))
	}
	b.WriteString("\n\n")
	var facts []string
	if pv.PreviousTag != "" {
		facts = append(facts, "after "+report.EscapeMarkdown(pv.PreviousTag))
	} else {
		facts = append(facts, "the first release")
	}
	switch {
	case pv.Prerelease:
		facts = append(facts, "a prerelease")
	case pv.Latest:
		facts = append(facts, "the new latest release")
	default:
		facts = append(facts, "not the latest release: a higher version exists")
	}
	if pv.Squash {
		facts = append(facts, "as one squashed commit")
	}
	fmt.Fprintf(&b, "%s.\n\n", previewSentence(strings.Join(facts, ", ")))

	if pv.Notes != "" {
		previewNotes(&b, "Changelog section for "+report.EscapeMarkdown(pv.Version), pv.Notes, previewMaxNotes)
	}
	previewVersionFiles(&b, pv.VersionFiles)
	if len(pv.ImageTags) > 0 {
		tags := make([]string, len(pv.ImageTags))
		for i, t := range pv.ImageTags {
			tags[i] = previewCode(t)
		}
		fmt.Fprintf(&b, "Image tags: %s\n\n", strings.Join(tags, ", "))
	}
	previewWarnings(&b, pv.Warnings)
	return strings.TrimRight(b.String(), "\n") + "\n"
}

// previewNotes writes notes, cut to limit bytes, verbatim in a fenced
// block inside a <details> whose summary is summary (escaped already).
func previewNotes(b *strings.Builder, summary, notes string, limit int) {
	if len(notes) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(notes[cut]) {
			cut--
		}
		notes = notes[:cut] + fmt.Sprintf("\n… (cut to fit: %d more bytes)\n", len(notes)-cut)
	}
	fence := strings.Repeat("`", max(3, previewLongestRun(notes, '`')+1))
	fmt.Fprintf(b, "<details><summary>%s</summary>\n\n%smarkdown\n%s", summary, fence, notes)
	if !strings.HasSuffix(notes, "\n") {
		b.WriteString("\n")
	}
	fmt.Fprintf(b, "%s\n\n</details>\n\n", fence)
}

// previewVersionFiles lists the version files a release writes.
func previewVersionFiles(b *strings.Builder, files []PreviewVersionFile) {
	if len(files) == 0 {
		return
	}
	b.WriteString("Version files:\n")
	for _, f := range files {
		fmt.Fprintf(b, "- %s (%s): %s → %s\n", previewCode(fmt.Sprintf("%s:%d", f.Path, f.Line)), previewCode(f.Key), previewCode(f.From), previewCode(f.To))
	}
	b.WriteString("\n")
}

// previewLinkRE is a Markdown link, [text](url), whose text alone a
// <summary> shows.
var previewLinkRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\[([^\]]*)\]\([^)]*\)`) })

// renderPackagesPreview is RenderPreviewMarkdown in a monorepo: a line
// per package merging releases (its tag, why, after which release),
// then each package's changelog section, headed by its name and the
// section's heading, and its version files; the notes share the budget.
func renderPackagesPreview(pv *ReleasePreview) string {
	var b strings.Builder
	n := len(pv.Packages)
	fmt.Fprintf(&b, "**Merging this pull request releases %d %s**\n\n", n, report.Plural(n, "package", "packages"))
	for _, p := range pv.Packages {
		fmt.Fprintf(&b, "- **%s** %s", report.EscapeMarkdown(p.Name), previewCode(p.Tag))
		switch {
		case p.DecidedBy != "":
			fmt.Fprintf(&b, " (%s: %s)", report.EscapeMarkdown(p.Bump), previewCode(p.DecidedBy))
		case p.Reason != "":
			fmt.Fprintf(&b, " (%s)", report.EscapeMarkdown(p.Reason))
		}
		if p.PreviousTag != "" {
			fmt.Fprintf(&b, ", after %s", report.EscapeMarkdown(p.PreviousTag))
		} else {
			b.WriteString(", its first release")
		}
		if p.Prerelease {
			b.WriteString(", a prerelease")
		}
		b.WriteString("\n")
	}
	if pv.Squash {
		b.WriteString("\nAs one squashed commit.\n")
	}
	b.WriteString("\n")
	for _, p := range pv.Packages {
		if p.Notes != "" {
			head := previewLinkRE().ReplaceAllString(strings.TrimSpace(strings.TrimLeft(p.Heading, "#")), "$1")
			previewNotes(&b, report.EscapeMarkdown(p.Name)+": "+report.EscapeMarkdown(head), p.Notes, previewMaxNotes/n)
		}
		previewVersionFiles(&b, p.VersionFiles)
	}
	previewWarnings(&b, pv.Warnings)
	return strings.TrimRight(b.String(), "\n") + "\n"
}

func previewWarnings(b *strings.Builder, warnings []string) {
	if len(warnings) == 0 {
		return
	}
	b.WriteString("Warnings:\n")
	for _, w := range warnings {
		fmt.Fprintf(b, "- ⚠️ %s\n", report.EscapeMarkdown(w))
	}
}

// previewCode puts untrusted text in a one-backtick code span it cannot
// close, on one line; a code span renders no HTML and pings no one.
func previewCode(s string) string {
	s = strings.NewReplacer("`", "'", "\r", "", "\n", " ").Replace(report.Visible(s))
	if s == "" {
		return "` `"
	}
	return "`" + s + "`"
}

// previewLongestRun is the length of the longest run of c in s.
func previewLongestRun(s string, c byte) int {
	longest, run := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	return longest
}

// previewSentence capitalises the first letter of s.
func previewSentence(s string) string {
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	return strings.ToUpper(string(r)) + s[n:]
}
