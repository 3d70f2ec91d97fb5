package commitlint

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// RuleConfig is one rule's configuration, commitlint's
// `[level, "always"|"never", value]` triple.
type RuleConfig struct {
	// Level is the rule's severity; Disabled turns the rule off.
	Level Level
	// Always is true for "always" and false for "never": whether the
	// condition the rule describes must hold or must not hold.
	Always bool
	// Value is the rule's argument, normalised by ParseRuleConfig: an int
	// for length rules (math.MaxInt for Infinity), a string for full-stop,
	// signed-off-by and trailer-exists, a []string for case and enum rules,
	// and nil for rules that take no value. Nil means the rule's default.
	Value any
}

// Raw returns rc as commitlint configures rule name: [level,
// "always"|"never", value], the value left out when nil. A case rule
// with one case is written as that case alone, as the published shareable
// configs write `'type-case': [2, 'always', 'lower-case']`.
func (rc RuleConfig) Raw(name string) []any {
	when := "never"
	if rc.Always {
		when = "always"
	}
	list := []any{int64(rc.Level), when}
	switch v := rc.Value.(type) {
	case nil:
	case []string:
		if len(v) == 1 && (name == "type-case" || name == "scope-case") {
			return append(list, v[0])
		}
		items := make([]any, len(v))
		for i, s := range v {
			items[i] = s
		}
		list = append(list, items)
	case int:
		list = append(list, int64(v))
	default:
		list = append(list, v)
	}
	return list
}

// ruleKind says what value a rule takes.
type ruleKind int

const (
	ruleKindNone   ruleKind = iota // no value
	ruleKindLength                 // a number of characters
	ruleKindCase                   // one case name or a list of them
	ruleKindEnum                   // a list of strings
	ruleKindString                 // one string
)

// ruleCaseNames are the case values commitlint accepts, in its order.
var ruleCaseNames = []string{
	"lower-case", "upper-case", "camel-case", "kebab-case",
	"pascal-case", "sentence-case", "snake-case", "start-case",
}

// ruleCaseAliases are older spellings commitlint still accepts
// (@commitlint/ensure to-case.ts); they are mapped to the current names.
var ruleCaseAliases = map[string]string{
	"lowercase":    "lower-case",
	"lowerCase":    "lower-case",
	"uppercase":    "upper-case",
	"sentencecase": "sentence-case",
}

// ruleProblem is one failed check, before Lint adds the rule's name,
// level and help URL.
type ruleProblem struct {
	line, col int
	msg, fix  string
}

// ruleCheck runs one rule on a message. It returns nil when the message
// passes.
type ruleCheck func(m *ruleMessage, rc RuleConfig) []ruleProblem

// ruleSpec describes one rule: the value it takes and its check.
type ruleSpec struct {
	kind ruleKind
	// part is the part of the message the rule looks at: "header",
	// "type", "scope", "subject", "body", "footer" or "message". Rules on
	// type, scope and subject are not run when the header does not parse;
	// body and footer rules are relaxed for bot authors.
	part  string
	check ruleCheck
}

// ruleSpecs holds commitlint's 38 rules (@commitlint/rules src/index.ts).
var ruleSpecs = map[string]ruleSpec{
	"body-case":                        {ruleKindCase, "body", ruleBodyCase},
	"body-empty":                       {ruleKindNone, "body", ruleBodyEmpty},
	"body-full-stop":                   {ruleKindString, "body", ruleBodyFullStop},
	"body-leading-blank":               {ruleKindNone, "body", ruleBodyLeadingBlank},
	"body-max-length":                  {ruleKindLength, "body", ruleBodyMaxLength},
	"body-max-line-length":             {ruleKindLength, "body", ruleBodyMaxLineLength},
	"body-min-length":                  {ruleKindLength, "body", ruleBodyMinLength},
	"breaking-change-exclamation-mark": {ruleKindNone, "type", ruleBreakingChangeExclamationMark},
	"footer-empty":                     {ruleKindNone, "footer", ruleFooterEmpty},
	"footer-leading-blank":             {ruleKindNone, "footer", ruleFooterLeadingBlank},
	"footer-max-length":                {ruleKindLength, "footer", ruleFooterMaxLength},
	"footer-max-line-length":           {ruleKindLength, "footer", ruleFooterMaxLineLength},
	"footer-min-length":                {ruleKindLength, "footer", ruleFooterMinLength},
	"header-case":                      {ruleKindCase, "header", ruleHeaderCase},
	"header-full-stop":                 {ruleKindString, "header", ruleHeaderFullStop},
	"header-max-length":                {ruleKindLength, "header", ruleHeaderMaxLength},
	"header-min-length":                {ruleKindLength, "header", ruleHeaderMinLength},
	"header-trim":                      {ruleKindNone, "header", ruleHeaderTrim},
	"references-empty":                 {ruleKindNone, "message", ruleReferencesEmpty},
	"scope-case":                       {ruleKindCase, "scope", ruleScopeCase},
	"scope-delimiter-style":            {ruleKindEnum, "scope", ruleScopeDelimiterStyle},
	"scope-empty":                      {ruleKindNone, "scope", ruleScopeEmpty},
	"scope-enum":                       {ruleKindEnum, "scope", ruleScopeEnum},
	"scope-max-length":                 {ruleKindLength, "scope", ruleScopeMaxLength},
	"scope-min-length":                 {ruleKindLength, "scope", ruleScopeMinLength},
	"signed-off-by":                    {ruleKindString, "message", ruleSignedOffBy},
	"subject-case":                     {ruleKindCase, "subject", ruleSubjectCase},
	"subject-empty":                    {ruleKindNone, "subject", ruleSubjectEmpty},
	"subject-exclamation-mark":         {ruleKindNone, "subject", ruleSubjectExclamationMark},
	"subject-full-stop":                {ruleKindString, "subject", ruleSubjectFullStop},
	"subject-max-length":               {ruleKindLength, "subject", ruleSubjectMaxLength},
	"subject-min-length":               {ruleKindLength, "subject", ruleSubjectMinLength},
	"trailer-exists":                   {ruleKindString, "message", ruleTrailerExists},
	"type-case":                        {ruleKindCase, "type", ruleTypeCase},
	"type-empty":                       {ruleKindNone, "type", ruleTypeEmpty},
	"type-enum":                        {ruleKindEnum, "type", ruleTypeEnum},
	"type-max-length":                  {ruleKindLength, "type", ruleTypeMaxLength},
	"type-min-length":                  {ruleKindLength, "type", ruleTypeMinLength},
}

// ruleDefaultNever are the rules whose applicability defaults to "never"
// in @commitlint/rules (`when = "never"`).
var ruleDefaultNever = map[string]bool{"references-empty": true, "scope-empty": true}

// ruleNames lists ruleSpecs' keys in sorted order, so that Lint runs rules
// in a fixed order.
var ruleNames = func() []string {
	names := make([]string, 0, len(ruleSpecs))
	for name := range ruleSpecs {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}()

// RuleNames returns the names of every rule Lint knows, sorted.
func RuleNames() []string {
	return append([]string(nil), ruleNames...)
}

// ParseRuleConfig validates one rule's commitlint configuration and returns
// it normalised. raw is the decoded YAML or JSON value of the rule: a list
// `[level]`, `[level, "always"|"never"]` or `[level, "always"|"never",
// value]`, where level is 0, 1 or 2. Numbers may be any Go integer or float
// type. An unknown rule name is an error that suggests the closest known
// name.
func ParseRuleConfig(name string, raw any) (RuleConfig, error) {
	spec, ok := ruleSpecs[name]
	if !ok {
		msg := fmt.Sprintf("unknown rule %q", name)
		if s := fixClosest(name, ruleNames, nil); s != "" {
			msg += fmt.Sprintf("; did you mean %q?", s)
		}
		return RuleConfig{}, fmt.Errorf("%s", msg)
	}
	list, ok := raw.([]any)
	if !ok {
		if s, isStrings := raw.([]string); isStrings {
			for _, v := range s {
				list = append(list, v)
			}
		} else {
			return RuleConfig{}, fmt.Errorf("rule %q: want a list [level, \"always\"|\"never\", value], got %s", name, ruleDescribe(raw))
		}
	}
	if len(list) == 0 || len(list) > 3 {
		return RuleConfig{}, fmt.Errorf("rule %q: want a list [level, \"always\"|\"never\", value] of 1 to 3 items, got %d items", name, len(list))
	}
	lvl, ok := ruleNumber(list[0])
	if !ok || (lvl != 0 && lvl != 1 && lvl != 2) {
		return RuleConfig{}, fmt.Errorf("rule %q: level must be 0 (disabled), 1 (warning) or 2 (error), got %s", name, ruleDescribe(list[0]))
	}
	// Without "always" or "never", a rule applies as commitlint's rule
	// function does by default: "never" for scope-empty and
	// references-empty, "always" for the others.
	rc := RuleConfig{Level: Level(lvl), Always: !ruleDefaultNever[name]}
	if len(list) >= 2 {
		switch list[1] {
		case "always":
			rc.Always = true
		case "never":
			rc.Always = false
		default:
			return RuleConfig{}, fmt.Errorf("rule %q: second item must be \"always\" or \"never\", got %s", name, ruleDescribe(list[1]))
		}
	}
	if len(list) < 3 {
		return rc, nil
	}
	if v, ok, err := ruleScopeObject(name, list[2]); ok {
		if err != nil {
			return RuleConfig{}, fmt.Errorf("rule %q: %w", name, err)
		}
		rc.Value = v
		return rc, nil
	}
	v, err := ruleValue(spec.kind, list[2])
	if err != nil {
		return RuleConfig{}, fmt.Errorf("rule %q: %w", name, err)
	}
	rc.Value = v
	return rc, nil
}

// ruleValue checks and normalises a rule's value for its kind.
func ruleValue(kind ruleKind, raw any) (any, error) {
	switch kind {
	case ruleKindNone:
		// commitlint ignores a value on these rules; so do we.
		return nil, nil
	case ruleKindLength:
		if f, ok := raw.(float64); ok && math.IsInf(f, 1) {
			return math.MaxInt, nil
		}
		if s, ok := raw.(string); ok && s == "Infinity" {
			return math.MaxInt, nil
		}
		n, ok := ruleNumber(raw)
		if !ok || n < 0 {
			return nil, fmt.Errorf("value must be a number of characters (0 or more), got %s", ruleDescribe(raw))
		}
		return n, nil
	case ruleKindString:
		s, ok := raw.(string)
		if !ok {
			return nil, fmt.Errorf("value must be a string, got %s", ruleDescribe(raw))
		}
		return s, nil
	case ruleKindEnum:
		list, ok := ruleStringList(raw)
		if !ok {
			return nil, fmt.Errorf("value must be a list of strings, got %s", ruleDescribe(raw))
		}
		return list, nil
	case ruleKindCase:
		list, ok := ruleStringList(raw)
		if !ok {
			s, isString := raw.(string)
			if !isString {
				return nil, fmt.Errorf("value must be a case name or a list of them (%s), got %s", strings.Join(ruleCaseNames, ", "), ruleDescribe(raw))
			}
			list = []string{s}
		}
		out := make([]string, 0, len(list))
		for _, c := range list {
			if a, ok := ruleCaseAliases[c]; ok {
				c = a
			}
			if !ruleIsCaseName(c) {
				msg := fmt.Sprintf("unknown case %q; valid cases are %s", c, strings.Join(ruleCaseNames, ", "))
				if s := fixClosest(c, ruleCaseNames, nil); s != "" {
					msg += fmt.Sprintf("; did you mean %q?", s)
				}
				return nil, fmt.Errorf("%s", msg)
			}
			out = append(out, c)
		}
		return out, nil
	}
	return nil, fmt.Errorf("unsupported value %s", ruleDescribe(raw))
}

func ruleIsCaseName(c string) bool {
	for _, n := range ruleCaseNames {
		if n == c {
			return true
		}
	}
	return false
}

// ruleNumber converts a decoded YAML or JSON number to an int. Fractions
// are not numbers of characters.
func ruleNumber(v any) (int, bool) {
	switch n := v.(type) {
	case int:
		return n, true
	case int8:
		return int(n), true
	case int16:
		return int(n), true
	case int32:
		return int(n), true
	case int64:
		return int(n), true
	case uint:
		return int(n), true
	case uint8:
		return int(n), true
	case uint16:
		return int(n), true
	case uint32:
		return int(n), true
	case uint64:
		if n > math.MaxInt {
			return math.MaxInt, true
		}
		return int(n), true
	case float32:
		return ruleNumber(float64(n))
	case float64:
		if n != math.Trunc(n) || math.IsNaN(n) {
			return 0, false
		}
		if n >= math.MaxInt {
			return math.MaxInt, true
		}
		return int(n), true
	}
	return 0, false
}

// ruleStringList converts a decoded list of strings.
func ruleStringList(v any) ([]string, bool) {
	switch l := v.(type) {
	case []string:
		return append([]string(nil), l...), true
	case []any:
		out := make([]string, 0, len(l))
		for _, e := range l {
			s, ok := e.(string)
			if !ok {
				return nil, false
			}
			out = append(out, s)
		}
		return out, true
	}
	return nil, false
}

// ruleDescribe names a decoded value for an error message.
func ruleDescribe(v any) string {
	switch x := v.(type) {
	case nil:
		return "nothing"
	case string:
		return fmt.Sprintf("%q", x)
	case []any, []string:
		return fmt.Sprintf("list %v", x)
	case map[string]any:
		return "a mapping"
	case bool:
		return fmt.Sprintf("%t", x)
	}
	if n, ok := ruleNumber(v); ok {
		return fmt.Sprint(n)
	}
	return fmt.Sprint(v)
}

// ruleIntValue returns rc.Value as an int, or def when unset.
func ruleIntValue(rc RuleConfig, def int) int {
	if rc.Value == nil {
		return def
	}
	if f, ok := rc.Value.(float64); ok && math.IsInf(f, 1) {
		return math.MaxInt
	}
	if n, ok := ruleNumber(rc.Value); ok {
		return n
	}
	return def
}

// ruleStringValue returns rc.Value as a string, or def when unset.
func ruleStringValue(rc RuleConfig, def string) string {
	if s, ok := rc.Value.(string); ok {
		return s
	}
	return def
}

// ruleListValue returns rc.Value as a list of strings, or def when unset.
// A single string is a list of one.
func ruleListValue(rc RuleConfig, def []string) []string {
	if s, ok := rc.Value.(string); ok {
		return []string{s}
	}
	switch l := rc.Value.(type) {
	case ScopeValue:
		return l.Values
	case []string:
		return l
	case []any:
		if out, ok := ruleStringList(l); ok {
			return out
		}
	}
	return def
}
