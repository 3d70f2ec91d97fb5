package release

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/shipflow/shipflow/commitlint"
	"github.com/shipflow/shipflow/release/github"
)

// PRMerge is how the repository merges pull requests, which decides what
// lands on the base and so what `shipflow pr` lints (see PR). The zero
// PRMerge allows every method with GitHub's default squash messages.
type PRMerge struct {
	// Squash, Merge and Rebase are the allowed methods ("Squash and
	// merge", "Create a merge commit", "Rebase and merge"). None set means
	// all three.
	Squash, Merge, Rebase bool
	// SquashTitle is GitHub's squash_merge_commit_title: "PR_TITLE", or
	// "COMMIT_OR_PR_TITLE" (the default, also for ""): a one-commit pull
	// request's squash commit takes the commit's header.
	SquashTitle string
	// SquashMessage is squash_merge_commit_message: "PR_BODY", "BLANK",
	// or "COMMIT_MESSAGES" (the default, also for ""): the commits'
	// messages as "* " items, or the single commit's body.
	SquashMessage string
	// Source says where the methods came from ("pr.merge-method", "the
	// repository's settings"); empty for the default.
	Source string
	// Note says why the repository's settings could not be read, when
	// they were asked for (the report shows it); empty otherwise.
	Note string
}

// methods returns the allowed methods, all three when none is set.
func (m PRMerge) methods() (squash, merge, rebase bool) {
	if !m.Squash && !m.Merge && !m.Rebase {
		return true, true, true
	}
	return m.Squash, m.Merge, m.Rebase
}

// PRMergeMethods names the allowed methods in the order squash, merge,
// rebase (all three for the zero PRMerge).
func PRMergeMethods(m PRMerge) []string {
	s, mg, rb := m.methods()
	var out []string
	for _, x := range []struct {
		on   bool
		name string
	}{{s, "squash"}, {mg, "merge"}, {rb, "rebase"}} {
		if x.on {
			out = append(out, x.name)
		}
	}
	return out
}

// ParsePRMergeMethods reads merge methods (squash, merge, rebase) from
// config or a comma-separated input; source names where they came from.
func ParsePRMergeMethods(methods []string, source string) (PRMerge, error) {
	m := PRMerge{Source: source}
	for _, x := range methods {
		switch strings.ToLower(strings.TrimSpace(x)) {
		case "squash":
			m.Squash = true
		case "merge":
			m.Merge = true
		case "rebase":
			m.Rebase = true
		case "":
		default:
			return PRMerge{}, fmt.Errorf("%s: %q is not a merge method: use squash, merge or rebase", source, x)
		}
	}
	if !m.Squash && !m.Merge && !m.Rebase {
		return PRMerge{}, fmt.Errorf("%s: no merge method: list squash, merge or rebase", source)
	}
	return m, nil
}

// PRMergeFromRepo turns the repository's merge settings, as
// github.Client.MergeSettings read them (err its error), into a PRMerge.
// Settings GitHub did not give (a token without push access) or an error
// fall back to all three methods, with a Note that says why; never an
// error.
func PRMergeFromRepo(s github.MergeSettings, err error) PRMerge {
	switch {
	case err != nil:
		return PRMerge{Note: fmt.Sprintf("the repository's merge settings could not be read (%v): assuming squash, merge commits and rebase", err)}
	case !s.Known:
		return PRMerge{Note: "the repository's merge settings are unknown (GitHub gives them only to a token with push access): assuming squash, merge commits and rebase; set pr.merge-method"}
	case !s.AllowSquash && !s.AllowMerge && !s.AllowRebase:
		return PRMerge{Note: "the repository allows no merge method: assuming squash, merge commits and rebase"}
	}
	return PRMerge{
		Squash: s.AllowSquash, Merge: s.AllowMerge, Rebase: s.AllowRebase,
		SquashTitle: s.SquashTitle, SquashMessage: s.SquashMessage,
		Source: "the repository's settings",
	}
}

// takesCommit reports whether the squash commit takes the single commit's
// header (COMMIT_OR_PR_TITLE and exactly one non-merge commit).
func (m PRMerge) takesCommit(commits []PRCommit) bool {
	return m.SquashTitle != "PR_TITLE" && prSingle(commits) != nil
}

// SquashCommit returns the message GitHub proposes for "Squash and merge"
// under m's squash_merge_commit_title and _message: the header is the
// single non-merge commit's (COMMIT_OR_PR_TITLE) or else the title, plus
// " (#N)" (number 0 adds none); the body is, for COMMIT_MESSAGES, the
// single commit's body when its header was taken, else the non-merge
// commits' messages (oldest first) as "* " items — one commit's whole
// message when there is one; for PR_BODY the pull request's body; for
// BLANK nothing. commits are oldest first.
func (m PRMerge) SquashCommit(title, body string, number int, commits []PRCommit) string {
	var msgs []string
	for _, c := range commits {
		if !c.Commit.IsMerge() {
			msgs = append(msgs, strings.TrimSpace(c.Commit.Message))
		}
	}
	suffix := ""
	if number > 0 {
		suffix = fmt.Sprintf(" (#%d)", number)
	}
	header := strings.TrimSpace(title)
	fromCommit := m.SquashTitle != "PR_TITLE" && len(msgs) == 1
	var text string
	if fromCommit {
		h, b, _ := strings.Cut(msgs[0], "\n")
		header, text = strings.TrimRight(h, " \t"), strings.TrimSpace(b)
	}
	switch m.SquashMessage {
	case "PR_BODY":
		text = strings.TrimSpace(body)
	case "BLANK":
		text = ""
	default:
		switch {
		case fromCommit:
		case len(msgs) == 1:
			text = msgs[0]
		case len(msgs) > 1:
			items := make([]string, len(msgs))
			for i, x := range msgs {
				items[i] = "* " + x
			}
			text = strings.Join(items, "\n\n")
		}
	}
	msg := header + suffix
	if text != "" {
		msg += "\n\n" + text
	}
	return msg
}

// prLints is what PR lints of a pull request, and why.
type prLints struct {
	title, squash, commits bool
	// single lints, under TitleOnly, the squash commit made from the
	// single commit's message.
	single bool
	why    string
}

// prWhat decides what lands, from the merge methods, and says so.
func prWhat(opt PROptions, commits []PRCommit) prLints {
	if opt.MergeGroup {
		return prLints{commits: true, why: fmt.Sprintf("merge queue: linting the %d %s the queue adds", len(commits), plural(len(commits), "commit", "commits"))}
	}
	if opt.TitleOnly {
		l := prLints{title: true, why: "check: title: linting the title"}
		if opt.Merge.takesCommit(commits) {
			l.single = true
			l.why += " and the single commit's message, which the squash commit takes"
		}
		return l
	}
	s, m, r := opt.Merge.methods()
	l := prLints{title: s || m, squash: s, commits: m || r}
	var names []string
	for _, x := range []struct {
		on   bool
		name string
	}{{s, "squash"}, {m, "merge commits"}, {r, "rebase"}} {
		if x.on {
			names = append(names, x.name)
		}
	}
	allowed := ""
	switch len(names) {
	case 1:
		verb := "is"
		if m && !s && !r {
			verb = "are"
		}
		allowed = "only " + names[0] + " " + verb + " allowed"
	case 2:
		allowed = names[0] + " and " + names[1] + " are allowed"
	default:
		allowed = "squash, merge commits and rebase are allowed"
	}
	src := opt.Merge.Source
	if src == "" {
		src = "the default: the repository's settings are unknown"
	}
	var parts []string
	if l.title {
		parts = append(parts, "the title")
	}
	if l.squash {
		parts = append(parts, "the squash commit")
	}
	if l.commits {
		parts = append(parts, "every commit")
	}
	what := parts[0]
	if len(parts) > 1 {
		what = strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
	}
	l.why = fmt.Sprintf("%s (%s): linting %s", allowed, src, what)
	return l
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// wipTitle matches the titles GitHub users mark as work in progress:
// "WIP", "WIP …", "[WIP] …", "wip: …", any case.
var wipTitle = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?i)^\s*(\[wip\]|wip(\s|:|$))`) })

// IsWIPTitle reports whether a pull request title marks work in progress.
func IsWIPTitle(title string) bool { return wipTitle().MatchString(title) }

// prHold says whether the pull request is skipped or pending (drafts, WIP
// titles, ignore labels), and why.
func prHold(opt PROptions) (skipped, pending string) {
	for _, l := range opt.Labels {
		if slices.ContainsFunc(opt.IgnoreLabels, func(x string) bool { return strings.EqualFold(x, l) }) {
			return "label " + l + " (pr.ignore-labels)", ""
		}
	}
	for _, h := range []struct {
		on         bool
		mode, what string
		key        string
	}{{opt.Draft, opt.Drafts, "draft", "pr.drafts"}, {!opt.MergeGroup && IsWIPTitle(opt.Title), opt.WIP, "WIP title", "pr.wip"}} {
		if !h.on {
			continue
		}
		switch h.mode {
		case "skip":
			return h.what + " (" + h.key + ": skip)", ""
		case "pending":
			pending = h.what
		}
	}
	return "", pending
}

// squashDropsBreaking returns the finding for a squash commit that loses
// a breaking change of the pull request's commits: some commit counts as
// breaking where the plan reads it (a valid header with `!` or a
// BREAKING CHANGE footer), the squash commit does not.
func squashDropsBreaking(squash, title string, commits []PRCommit) *commitlint.Finding {
	sq := commitlint.Parse(squash)
	if sq.HeaderError == nil && sq.Breaking {
		return nil
	}
	for _, c := range commits {
		if c.Commit.IsMerge() {
			continue
		}
		pc := commitlint.Parse(c.Commit.Message)
		if pc.HeaderError != nil || !pc.Breaking {
			continue
		}
		fix, col := "add `!` to the title", 1
		if t := commitlint.Parse(title); t.HeaderError == nil {
			scope := ""
			if t.Scope != "" {
				scope = "(" + t.Scope + ")"
			}
			fix += fmt.Sprintf(": `%s%s!: %s`", t.Type, scope, t.Subject)
			if strings.HasPrefix(squash, t.Type+scope+":") {
				col = utf8.RuneCountInString(t.Type+scope) + 1 // where the `!` goes
			}
		} else {
			fix += ": `feat!: …`"
		}
		return &commitlint.Finding{
			Rule: "squash-drops-breaking", Level: commitlint.Error, Line: 1, Column: col,
			Message: fmt.Sprintf("commit %s is a breaking change (%s), but the squash commit is not: the release would not count it as breaking", c.Commit.Short(), headerLine(c.Commit.Message)),
			Fix:     fix,
		}
	}
	return nil
}

func headerLine(msg string) string {
	h, _, _ := strings.Cut(strings.TrimSpace(msg), "\n")
	return h
}
