package commitlint

import (
	"regexp"
	"strings"
	"sync"
)

// lintDefaultIgnores are commitlint's default ignores
// (@commitlint/is-ignored src/defaults.ts) plus git's "Reapply", applied
// to the header only: a body line never hides a bad header. Each pattern
// is matched by hand (lintIsDefaultIgnored), as string checks equivalent
// to the regexp; TestLintDefaultIgnoresMatchRegexps holds them to it.
var lintDefaultIgnores = []string{
	`^(Merge pull request|Merge (.*?) into (.*?)$|Merge branch (.*?)$)`,
	`^Merge tag (.*?)$`,
	`^(R|r)evert (.*)`,
	`^(R|r)eapply (.*)`,
	`^(amend|fixup|squash)!`,
	`^(Merged (.*?)(in|into) (.*)|Merged PR (.*): (.*))`,
	`^Merge remote-tracking branch(\s*)(.*)`,
	`^Automatic merge(.*)`,
	`^Auto-merged (.*?) into (.*)`,
}

// lintSemverPattern matches a semantic version 2.0.0 with an optional
// leading "v" or "=", as npm's semver.valid accepts it.
const lintSemverPattern = `^[v=]?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)` +
	`(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?` +
	`(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$`

// lintSemver is compiled on first use: most runs (the commit-msg hook)
// never see a version commit, and process start-up should not pay for it.
var lintSemver = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(lintSemverPattern) })

// lintStripChore removes a leading `chore:` or `chore(scope):`, as the
// regexp /^chore(\([^)]+\))?:/ does, so that "chore(release): 1.2.3"
// counts as a version commit.
func lintStripChore(h string) string {
	rest, ok := strings.CutPrefix(h, "chore")
	if !ok {
		return h
	}
	if strings.HasPrefix(rest, ":") {
		return rest[1:]
	}
	if strings.HasPrefix(rest, "(") {
		// The scope is one or more characters up to the first `)`.
		if end := strings.IndexByte(rest, ')'); end > 1 && end+1 < len(rest) && rest[end+1] == ':' {
			return rest[end+2:]
		}
	}
	return h
}

// lintSkipCI matches commitlint's skip-CI markers, in brackets and in
// parentheses (is-ignored's /\[(skip|ci)(-|\s)(ci|skip)\]/i and
// /\((skip|ci)(-|\s)(ci|skip)\)/i); compiled on first use, like lintSemver.
var lintSkipCI = sync.OnceValue(func() [2]*regexp.Regexp {
	return [2]*regexp.Regexp{
		regexp.MustCompile(`(?i)\[(skip|ci)(-|[\t\n\v\f\r \x{a0}\x{feff}])(ci|skip)\]`),
		regexp.MustCompile(`(?i)\((skip|ci)(-|[\t\n\v\f\r \x{a0}\x{feff}])(ci|skip)\)`),
	}
})

// lintStripSkipCI removes the first skip-CI marker in brackets and then
// the first in parentheses, as commitlint does before it asks whether a
// header is a version: "chore(release): 2.3.3-beta.1 [ci skip]" is one.
func lintStripSkipCI(h string) string {
	if !strings.ContainsAny(h, "[(") {
		return h
	}
	for _, re := range lintSkipCI() {
		if loc := re.FindStringIndex(h); loc != nil {
			h = h[:loc[0]] + h[loc[1]:]
		}
	}
	return h
}

// lintIsVersion reports whether header is a bare version commit.
func lintIsVersion(header string) bool {
	header = strings.TrimSpace(lintStripChore(header))
	// A skip-CI marker starts with a bracket and no blank: removing
	// markers changes the first character only when it is one. Any other
	// first character that cannot start a version answers without the
	// markers' case-insensitive regexps (the commit-msg hook then never
	// compiles them).
	if header == "" {
		return false
	}
	if c := header[0]; c != 'v' && c != '=' && (c < '0' || c > '9') && c != '[' && c != '(' {
		return false
	}
	header = strings.TrimSpace(lintStripSkipCI(header))
	if header == "" {
		return false
	}
	if c := header[0]; c != 'v' && c != '=' && (c < '0' || c > '9') {
		return false
	}
	return lintSemver().MatchString(header)
}

// lintIsDefaultIgnored reports whether commitlint skips a message with
// this header by default: one of lintDefaultIgnores matches, or it is a
// version commit. A header never holds a newline, so `.` matches any
// character and `$` is the end.
func lintIsDefaultIgnored(header string) bool {
	h := header
	switch {
	case h == "":
		return false
	case strings.HasPrefix(h, "Merge "):
		rest := h[len("Merge "):]
		if strings.HasPrefix(rest, "pull request") || strings.Contains(rest, " into ") ||
			strings.HasPrefix(rest, "branch ") || strings.HasPrefix(rest, "tag ") ||
			strings.HasPrefix(rest, "remote-tracking branch") {
			return true
		}
	case strings.HasPrefix(h, "Merged "):
		rest := h[len("Merged "):]
		if strings.Contains(rest, "in ") || strings.Contains(rest, "into ") {
			return true
		}
		if pr, ok := strings.CutPrefix(rest, "PR "); ok && strings.Contains(pr, ": ") {
			return true
		}
	case strings.HasPrefix(h, "Revert "), strings.HasPrefix(h, "revert "),
		strings.HasPrefix(h, "Reapply "), strings.HasPrefix(h, "reapply "),
		strings.HasPrefix(h, "amend!"), strings.HasPrefix(h, "fixup!"), strings.HasPrefix(h, "squash!"),
		strings.HasPrefix(h, "Automatic merge"):
		return true
	case strings.HasPrefix(h, "Auto-merged "):
		if strings.Contains(h[len("Auto-merged "):], " into ") {
			return true
		}
	}
	return lintIsVersion(header)
}

// lintIgnored reports whether Lint skips a message: a merge commit in
// range mode, a default ignore, or a configured pattern. Only the header
// is looked at.
func lintIgnored(header string, cfg Config, in Input) bool {
	if in.IsMerge {
		return true
	}
	if cfg.DefaultIgnores && lintIsDefaultIgnored(header) {
		return true
	}
	for _, re := range cfg.Ignores {
		if re != nil && re.MatchString(header) {
			return true
		}
	}
	return false
}

// lintIsBot reports whether an author ("Name <email>") is a bot:
// dependabot, renovate, or any "[bot]" account.
func lintIsBot(author string) bool {
	return strings.Contains(author, "[bot]") || lintContainsFold(author, "dependabot") || lintContainsFold(author, "renovate")
}

// lintContainsFold is strings.Contains ignoring ASCII case, without
// allocating.
func lintContainsFold(s, sub string) bool {
	// sub is lower-case ASCII starting with a letter other than k and s
	// (which fold to non-ASCII letters too), so its first byte can be
	// checked before EqualFold.
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i]|0x20 == sub[0] && strings.EqualFold(s[i:i+len(sub)], sub) {
			return true
		}
	}
	return false
}
