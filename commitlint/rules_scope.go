package commitlint

import (
	"fmt"
	"strings"
)

// ScopeValue is the object value commitlint's scope-enum and scope-case
// accept: `{scopes: [...], delimiters: [...]}` and `{cases: [...],
// delimiters: [...]}`. Delimiters split a multi-scope header
// (`feat(a|b): x` with delimiters ["|"]); none means commitlint's
// default "/", "\" and ",".
type ScopeValue struct {
	// Values are the scopes (scope-enum) or case names (scope-case).
	Values     []string
	Delimiters []string
}

// ruleScopeObject reads the object form of scope-enum's and scope-case's
// value; ok is false when raw is not an object or name is neither rule.
func ruleScopeObject(name string, raw any) (v any, ok bool, err error) {
	obj, isObj := raw.(map[string]any)
	if !isObj || name != "scope-enum" && name != "scope-case" {
		return nil, false, nil
	}
	key, kind := "scopes", ruleKindEnum
	if name == "scope-case" {
		key, kind = "cases", ruleKindCase
	}
	var out ScopeValue
	if x, present := obj[key]; present && x != nil {
		list, err := ruleValue(kind, x)
		if err != nil {
			return nil, true, fmt.Errorf("%s: %w", key, err)
		}
		out.Values = list.([]string)
	}
	if x, present := obj["delimiters"]; present && x != nil {
		list, ok := ruleStringList(x)
		if !ok {
			return nil, true, fmt.Errorf("delimiters must be a list of strings, got %s", ruleDescribe(x))
		}
		out.Delimiters = list
	}
	return out, true, nil
}

// ruleScopeSegmentsFor splits a scope at the rule's delimiters: the
// object value's, else commitlint's default ("/", "\", ", " or ",").
func ruleScopeSegmentsFor(scope string, rc RuleConfig) []string {
	sv, ok := rc.Value.(ScopeValue)
	if !ok || len(sv.Delimiters) == 0 {
		return ruleScopeSegments(scope)
	}
	segs := []string{scope}
	for _, d := range sv.Delimiters {
		var next []string
		for _, s := range segs {
			if d == "," {
				for _, p := range strings.Split(s, ",") {
					next = append(next, strings.TrimPrefix(p, " "))
				}
				continue
			}
			next = append(next, strings.Split(s, d)...)
		}
		segs = next
	}
	return segs
}
