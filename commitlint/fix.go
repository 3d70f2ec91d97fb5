package commitlint

import "strings"

// fixTypeAliases maps types people often write to the Conventional
// Commits type they mean. An alias is only suggested when its target is
// an allowed type.
var fixTypeAliases = map[string]string{
	"feature":       "feat",
	"features":      "feat",
	"add":           "feat",
	"new":           "feat",
	"bug":           "fix",
	"bugfix":        "fix",
	"hotfix":        "fix",
	"fixes":         "fix",
	"fixed":         "fix",
	"doc":           "docs",
	"documentation": "docs",
	"readme":        "docs",
	"tests":         "test",
	"testing":       "test",
	"refactoring":   "refactor",
	"performance":   "perf",
	"optimize":      "perf",
	"chores":        "chore",
	"deps":          "build",
	"dependencies":  "build",
	"release":       "chore",
	"format":        "style",
	"formatting":    "style",
	"lint":          "style",
	"reverts":       "revert",
}

// Suggest returns the candidate that s is most likely a typo of, for
// "did you mean" messages: a case-insensitive match, or the nearest
// candidate within two edits (a swap of neighbours counts as one) and less
// than half of s. It returns "" when nothing is that close.
func Suggest(s string, candidates []string) string {
	return fixClosest(s, candidates, nil)
}

// fixClosest returns the candidate s most likely stands for: an alias
// target, a case-insensitive match, or the nearest candidate by edit
// distance when it is close enough to be a typo (at most 2 edits and less
// than half of s). It returns "" when nothing is close.
func fixClosest(s string, candidates []string, aliases map[string]string) string {
	lower := strings.ToLower(s)
	if a, ok := aliases[lower]; ok && ruleContains(candidates, a) {
		return a
	}
	best, bestDist := "", -1
	for _, c := range candidates {
		if c == s {
			continue
		}
		lc := strings.ToLower(c)
		if lc == lower {
			return c
		}
		d := fixDistance(lower, lc)
		if bestDist < 0 || d < bestDist {
			best, bestDist = c, d
		}
	}
	n := len([]rune(s))
	if bestDist < 0 || bestDist > 2 || bestDist*2 >= n {
		return ""
	}
	return best
}

// fixDistance is the optimal-string-alignment distance between a and b in
// runes: Levenshtein plus the swap of two neighbours as one edit, the
// commonest typo ("fetaure", "lnit").
func fixDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	// Three rows: the one before the previous is needed for swaps.
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}
