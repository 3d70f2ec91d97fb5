package commitlint

import (
	"regexp"
	"strings"
)

// lintDefaultIgnores are commitlint's default ignores
// (@commitlint/is-ignored src/defaults.ts) plus git's "Reapply", applied
// to the header only: a body line never hides a bad header.
var lintDefaultIgnores = []*regexp.Regexp{
	regexp.MustCompile(`^(Merge pull request|Merge (.*?) into (.*?)$|Merge branch (.*?)$)`),
	regexp.MustCompile(`^Merge tag (.*?)$`),
	regexp.MustCompile(`^(R|r)evert (.*)`),
	regexp.MustCompile(`^Reapply "`),
	regexp.MustCompile(`^(amend|fixup|squash)!`),
	regexp.MustCompile(`^(Merged (.*?)(in|into) (.*)|Merged PR (.*): (.*))`),
	regexp.MustCompile(`^Merge remote-tracking branch(\s*)(.*)`),
	regexp.MustCompile(`^Automatic merge(.*)`),
	regexp.MustCompile(`^Auto-merged (.*?) into (.*)`),
}

// lintIgnorePrefixes are the first bytes a default-ignored header can
// start with; other headers skip the regexps.
const lintIgnorePrefixes = "MRrasfA"

// lintSemver matches a semantic version 2.0.0 with an optional leading
// "v" or "=", as npm's semver.valid accepts it.
var lintSemver = regexp.MustCompile(`^[v=]?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)` +
	`(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?` +
	`(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$`)

// lintChorePrefix is stripped before the version check, so that
// "chore(release): 1.2.3" counts as a version commit.
var lintChorePrefix = regexp.MustCompile(`^chore(\([^)]+\))?:`)

// lintIsVersion reports whether header is a bare version commit.
func lintIsVersion(header string) bool {
	if strings.HasPrefix(header, "chore") {
		header = lintChorePrefix.ReplaceAllString(header, "")
	}
	header = strings.TrimSpace(header)
	if header == "" {
		return false
	}
	if c := header[0]; c != 'v' && c != '=' && (c < '0' || c > '9') {
		return false
	}
	return lintSemver.MatchString(header)
}

// lintIsDefaultIgnored reports whether commitlint skips a message with
// this header by default.
func lintIsDefaultIgnored(header string) bool {
	if header == "" {
		return false
	}
	if strings.IndexByte(lintIgnorePrefixes, header[0]) >= 0 {
		for _, re := range lintDefaultIgnores {
			if re.MatchString(header) {
				return true
			}
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
	for i := 0; i+len(sub) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(sub)], sub) {
			return true
		}
	}
	return false
}
