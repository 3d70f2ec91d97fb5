package commitlint

import "strings"

// refActions are GitHub's closing keywords
// (https://docs.github.com/en/issues/tracking-your-work-with-issues/linking-a-pull-request-to-an-issue),
// the same list as conventional-commits-parser's referenceActions.
var refActions = []string{"close", "closes", "closed", "fix", "fixes", "fixed", "resolve", "resolves", "resolved"}

// parseReferences finds issue references in the subject (the whole header
// when it does not parse), the body and the footers, in order; p's
// IssuePrefixes, when set, are what starts one.
func parseReferences(c *Commit, p *ParserOptions) []Reference {
	var refs []Reference
	head := c.Subject
	if c.HeaderError != nil {
		head = c.Header
	}
	_, rest, hasRest := strings.Cut(c.Raw, "\n")
	if p != nil && p.IssuePrefixes != nil {
		refs = refScanPrefixes(refs, head, p)
		if hasRest {
			refs = refScanPrefixes(refs, rest, p)
		}
		return refs
	}
	refs = refScan(refs, head)
	if hasRest {
		refs = refScan(refs, rest)
	}
	return refs
}

// refScanPrefixes is refScan with p's IssuePrefixes instead of `#` and
// `GH-`: a prefix standing at a word's start, or right after
// `owner/repo`, and the issue's digits; case is p's.
func refScanPrefixes(refs []Reference, s string, p *ParserOptions) []Reference {
	lastEnd, lastAction := -1, ""
	for i := 0; i < len(s); i++ {
		pre := refPrefixAt(s, i, p)
		if pre == 0 {
			continue
		}
		digits := refDigits(s, i+pre)
		if digits == 0 {
			continue
		}
		ref := Reference{Prefix: s[i : i+pre], Issue: s[i+pre : i+pre+digits]}
		start := i
		if owner, repo, at := refOwnerRepo(s, i); at >= 0 {
			ref.Owner, ref.Repo, start = owner, repo, at
		}
		if !refBoundaryBefore(s, start) {
			continue
		}
		i += pre + digits - 1
		ref.Action = refActionBefore(s, start)
		if ref.Action == "" && lastEnd >= 0 && refIsListGap(s[lastEnd:start]) {
			ref.Action = lastAction
		}
		refs = append(refs, ref)
		lastEnd, lastAction = i+1, ref.Action
	}
	return refs
}

// refPrefixAt returns the length of the longest of p's IssuePrefixes at
// s[i:], or 0. Prefixes are trimmed, as conventional-commits-parser
// trims them, and empty ones are skipped.
func refPrefixAt(s string, i int, p *ParserOptions) int {
	n := 0
	for _, pre := range p.IssuePrefixes {
		pre = strings.TrimSpace(pre)
		if pre == "" || len(pre) <= n || len(s)-i < len(pre) {
			continue
		}
		if at := s[i : i+len(pre)]; at == pre || (!p.IssuePrefixesCaseSensitive && strings.EqualFold(at, pre)) {
			n = len(pre)
		}
	}
	return n
}

// refScan appends the references in s: `#12`, `GH-12` and `owner/repo#12`,
// each standing as a word of its own. A closing keyword right before a
// reference (`Closes #1`, `fixes: #2`) is its Action, and references listed
// after it (`Closes #1, #2 and #3`) share it.
func refScan(refs []Reference, s string) []Reference {
	lastEnd, lastAction := -1, ""
	// hash and gh are the next `#` and the next `GH-` at or after i
	// (len(s) when there is none), found with IndexByte rather than by
	// looking at every byte.
	hash, gh := -1, -1
	for i := 0; i < len(s); i++ {
		if hash < i {
			hash = refIndexByte(s, i, '#')
		}
		if gh < i {
			gh = refNextGH(s, i)
		}
		if i = min(hash, gh); i >= len(s) {
			break
		}
		var ref Reference
		start, digits := i, 0
		switch {
		case s[i] == '#':
			digits = refDigits(s, i+1)
			if digits == 0 {
				continue
			}
			ref.Prefix = "#"
			ref.Issue = s[i+1 : i+1+digits]
			start = i
			if owner, repo, at := refOwnerRepo(s, i); at >= 0 {
				ref.Owner, ref.Repo, start = owner, repo, at
			}
			if !refBoundaryBefore(s, start) {
				continue
			}
			i += digits
		case (s[i] == 'G' || s[i] == 'g') && len(s)-i > 3 && strings.EqualFold(s[i:i+3], "GH-") && refBoundaryBefore(s, i):
			digits = refDigits(s, i+3)
			if digits == 0 {
				continue
			}
			ref.Prefix = s[i : i+3]
			ref.Issue = s[i+3 : i+3+digits]
			i += 2 + digits
		default:
			continue
		}
		ref.Action = refActionBefore(s, start)
		if ref.Action == "" && lastEnd >= 0 && refIsListGap(s[lastEnd:start]) {
			ref.Action = lastAction
		}
		refs = append(refs, ref)
		lastEnd, lastAction = i+1, ref.Action
	}
	return refs
}

// refIndexByte returns the index of the first c in s at or after from, or
// len(s).
func refIndexByte(s string, from int, c byte) int {
	if k := strings.IndexByte(s[from:], c); k >= 0 {
		return from + k
	}
	return len(s)
}

// refNextGH returns the index of the first `GH-` (any case) in s at or
// after from, or len(s).
func refNextGH(s string, from int) int {
	for d := from + 2; d < len(s); d++ {
		k := strings.IndexByte(s[d:], '-')
		if k < 0 {
			break
		}
		d += k
		// Setting bit 5 folds only 'G' to 'g' and 'H' to 'h'.
		if s[d-2]|0x20 == 'g' && s[d-1]|0x20 == 'h' {
			return d - 2
		}
	}
	return len(s)
}

// refDigits counts the digits at s[i:], or returns 0 when they are not
// followed by a word boundary.
func refDigits(s string, i int) int {
	n := 0
	for i+n < len(s) && '0' <= s[i+n] && s[i+n] <= '9' {
		n++
	}
	if i+n < len(s) && (parseIsASCIIAlnum(s[i+n]) || s[i+n] == '_') {
		return 0
	}
	return n
}

// refBoundaryBefore reports whether a reference may start at s[i]: at the
// start or after a character that cannot be part of a word, path or HTML
// entity (`&#12;`).
func refBoundaryBefore(s string, i int) bool {
	if i == 0 {
		return true
	}
	b := s[i-1]
	return !(parseIsASCIIAlnum(b) || b == '_' || b == '&' || b == '/' || b == '-' || b == '.' || b == '#')
}

// refOwnerRepo reads `owner/repo` right before s[hash], returning the index
// where owner starts, or -1.
func refOwnerRepo(s string, hash int) (owner, repo string, at int) {
	k := hash
	for k > 0 && (parseIsASCIIAlnum(s[k-1]) || s[k-1] == '-' || s[k-1] == '_' || s[k-1] == '.') {
		k--
	}
	if k == hash || k == 0 || s[k-1] != '/' {
		return "", "", -1
	}
	repo = s[k:hash]
	slash := k - 1
	k = slash
	for k > 0 && (parseIsASCIIAlnum(s[k-1]) || s[k-1] == '-') {
		k--
	}
	if k == slash {
		return "", "", -1
	}
	return s[k:slash], repo, k
}

// refActionBefore returns the closing keyword right before s[i], as
// written, or "".
func refActionBefore(s string, i int) string {
	k := i
	for k > 0 && s[k-1] == ' ' {
		k--
	}
	if k > 0 && s[k-1] == ':' {
		k--
	}
	for k > 0 && s[k-1] == ' ' {
		k--
	}
	end := k
	for k > 0 && ('a' <= s[k-1] && s[k-1] <= 'z' || 'A' <= s[k-1] && s[k-1] <= 'Z') {
		k--
	}
	word := s[k:end]
	if word == "" || (k > 0 && (parseIsASCIIAlnum(s[k-1]) || s[k-1] == '_')) {
		return ""
	}
	for _, a := range refActions {
		if strings.EqualFold(word, a) {
			return word
		}
	}
	return ""
}

// refIsListGap reports whether the text between two references only lists
// them: commas, spaces and "and".
func refIsListGap(gap string) bool {
	gap = strings.ReplaceAll(gap, ",", " ")
	for _, w := range strings.Fields(gap) {
		if !strings.EqualFold(w, "and") && w != "&" {
			return false
		}
	}
	return true
}

// parseRevert returns the hash of a "This reverts commit <hash>." line
// (what `git revert` writes), or "".
func parseRevert(body string) string {
	const marker = "This reverts commit "
	for off := 0; ; {
		i := strings.Index(body[off:], marker)
		if i < 0 {
			return ""
		}
		i += off + len(marker)
		n := 0
		for i+n < len(body) && ('0' <= body[i+n] && body[i+n] <= '9' || 'a' <= body[i+n] && body[i+n] <= 'f') {
			n++
		}
		if n >= 7 && n <= 64 && (i+n == len(body) || !parseIsASCIIAlnum(body[i+n])) {
			return body[i : i+n]
		}
		off = i
	}
}
