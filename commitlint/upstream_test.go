package commitlint

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// The cases under testdata/upstream/cases are commitlint's own: every call
// its public tests (@commitlint/rules/src/*.test.ts, @commitlint/is-ignored
// and @commitlint/config-conventional) make, with the verdict the published
// 20.x packages returned, recorded by testdata/upstream/gen.sh. Lint must
// reach the same verdict on each, except for the deliberate differences
// listed, with their reasons, in testdata/upstream/DIFFERENCES.md: a new
// difference fails the test, and so does a listed one that went away.

// upstreamCase is one recorded call.
type upstreamCase struct {
	Suite string `json:"suite"`
	Test  string `json:"test"`
	Kind  string `json:"kind"` // "rule", "ignored" or "lint"

	// kind "rule": rule(parse(message), when, value).
	Rule       string `json:"rule"`
	When       *string
	Value      any     `json:"value"`
	Message    *string `json:"message"`
	ParserOpts any     `json:"parserOpts"`
	Valid      bool    `json:"valid"`

	// kind "ignored": isIgnored(message, opts).
	Opts    map[string]any `json:"opts"`
	Ignored bool           `json:"ignored"`

	// kind "lint": lint(message, config-conventional).
	Errors   []string `json:"errors"`
	Warnings []string `json:"warnings"`
}

func (c *upstreamCase) UnmarshalJSON(b []byte) error {
	type plain upstreamCase
	var aux struct {
		plain
		When *string `json:"when"`
	}
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	*c = upstreamCase(aux.plain)
	c.When = aux.When
	return nil
}

// upstreamVerdict runs one case through Lint and says whether shipflow
// agrees with commitlint, and what it found.
func upstreamVerdict(c upstreamCase) (agree bool, got string) {
	msg := ""
	if c.Message != nil {
		msg = *c.Message
	}
	switch c.Kind {
	case "rule":
		// A missing "when" is the rule's own default, as in a config
		// `[2]`; a missing value is the rule's default value.
		raw := []any{2}
		if c.When != nil {
			raw = append(raw, *c.When)
		} else if c.Value != nil {
			raw = append(raw, "always")
		}
		if c.Value != nil {
			raw = append(raw, c.Value)
		}
		rc, err := ParseRuleConfig(c.Rule, raw)
		if err != nil {
			return false, "config error: " + err.Error()
		}
		cfg := Config{Rules: map[string]RuleConfig{c.Rule: rc}}
		if po, ok := c.ParserOpts.(map[string]any); ok {
			cfg.Parser = upstreamParserOptions(po)
		}
		res := Lint(msg, cfg, Input{})
		valid := true
		for _, f := range res.Findings {
			if f.Rule == c.Rule {
				valid = false
				got = f.Message
			}
		}
		return valid == c.Valid, fmt.Sprintf("valid=%t %s", valid, got)
	case "ignored":
		cfg := Config{DefaultIgnores: true}
		for k, v := range c.Opts {
			switch k {
			case "defaults":
				cfg.DefaultIgnores = v == true
			default:
				return false, "option " + k + " is not a regexp list"
			}
		}
		res := Lint(msg, cfg, Input{})
		return res.Ignored == c.Ignored, fmt.Sprintf("ignored=%t", res.Ignored)
	case "lint":
		res := Lint(msg, ConventionalConfig(), Input{})
		var errs, warns []string
		for _, f := range res.Findings {
			if f.Level == Error {
				errs = append(errs, f.Rule)
			} else if f.Level == Warning {
				warns = append(warns, f.Rule)
			}
		}
		// The verdict and the rule names must be commitlint's; a header
		// that does not parse is one finding where commitlint may report
		// both type-empty and subject-empty.
		sub := func(ours, theirs []string) bool {
			if (len(ours) == 0) != (len(theirs) == 0) {
				return false
			}
			for _, r := range ours {
				if !slices.Contains(theirs, r) {
					return false
				}
			}
			return true
		}
		return sub(errs, c.Errors) && sub(warns, c.Warnings), fmt.Sprintf("errors=%v warnings=%v", errs, warns)
	}
	return false, "unknown kind " + c.Kind
}

// upstreamParserOptions turns a case's parserOpts into ParserOptions: the
// header pattern (recorded as /source/flags) and its correspondence, the
// note keywords, the issue prefixes and the comment character.
func upstreamParserOptions(po map[string]any) *ParserOptions {
	strs := func(v any) []string {
		list, ok := v.([]any)
		if !ok {
			return nil
		}
		out := []string{}
		for _, e := range list {
			out = append(out, e.(string))
		}
		return out
	}
	p := &ParserOptions{
		HeaderCorrespondence: strs(po["headerCorrespondence"]),
		NoteKeywords:         strs(po["noteKeywords"]),
		IssuePrefixes:        strs(po["issuePrefixes"]),
	}
	if hp, ok := po["headerPattern"].(map[string]any); ok {
		src, _ := hp["regexp"].(string)
		src = src[1:strings.LastIndexByte(src, '/')]
		p.HeaderPattern = regexp.MustCompile(src)
	}
	p.IssuePrefixesCaseSensitive, _ = po["issuePrefixesCaseSensitive"].(bool)
	p.CommentChar, _ = po["commentChar"].(string)
	return p
}

// upstreamDifferences reads the table of deliberate differences: rows
// "| case | reason |" where case is a fixture's path under cases/ without
// ".json".
func upstreamDifferences(t *testing.T) map[string]string {
	t.Helper()
	f, err := os.Open("testdata/upstream/DIFFERENCES.md")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if !strings.HasPrefix(line, "| `") {
			continue
		}
		cells := strings.Split(strings.Trim(line, "|"), "|")
		if len(cells) < 2 {
			t.Fatalf("DIFFERENCES.md: bad row %q", line)
		}
		id := strings.Trim(strings.TrimSpace(cells[0]), "`")
		reason := strings.TrimSpace(cells[len(cells)-1])
		if reason == "" {
			t.Errorf("DIFFERENCES.md: %s has no reason", id)
		}
		if _, dup := out[id]; dup {
			t.Errorf("DIFFERENCES.md: %s listed twice", id)
		}
		out[id] = reason
	}
	return out
}

// TestUpstreamCases holds Lint to commitlint's verdicts on commitlint's own
// test cases and reports the agreement.
func TestUpstreamCases(t *testing.T) {
	files, err := filepath.Glob("testdata/upstream/cases/*/*.json")
	if err != nil || len(files) < 600 {
		t.Fatalf("want the recorded cases (run testdata/upstream/gen.sh), found %d: %v", len(files), err)
	}
	diffs := upstreamDifferences(t)
	agreed := 0
	perSuite := map[string][2]int{}
	for _, file := range files {
		id := strings.TrimSuffix(strings.TrimPrefix(filepath.ToSlash(file), "testdata/upstream/cases/"), ".json")
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var c upstreamCase
		if err := json.Unmarshal(b, &c); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		agree, got := upstreamVerdict(c)
		n := perSuite[c.Suite]
		n[1]++
		if agree {
			agreed++
			n[0]++
		}
		perSuite[c.Suite] = n
		_, listed := diffs[id]
		delete(diffs, id)
		switch {
		case !agree && !listed:
			t.Errorf("%s (%s): commitlint says %s, shipflow %s; fix it or list it in DIFFERENCES.md with the reason", id, c.Test, upstreamWant(c), got)
		case agree && listed:
			t.Errorf("%s (%s): listed in DIFFERENCES.md but shipflow now agrees; remove the row", id, c.Test)
		}
	}
	for id := range diffs {
		t.Errorf("DIFFERENCES.md lists %s, which is no recorded case", id)
	}
	t.Logf("agreement with commitlint's own tests: %d of %d cases (%.1f%%)", agreed, len(files), 100*float64(agreed)/float64(len(files)))
	for _, s := range []string{"rules", "is-ignored", "config-conventional"} {
		n := perSuite[s]
		t.Logf("  %s: %d of %d", s, n[0], n[1])
	}
}

func upstreamWant(c upstreamCase) string {
	switch c.Kind {
	case "rule":
		return fmt.Sprintf("valid=%t", c.Valid)
	case "ignored":
		return fmt.Sprintf("ignored=%t", c.Ignored)
	}
	return fmt.Sprintf("errors=%v warnings=%v", c.Errors, c.Warnings)
}
