package jsconfig

import (
	"github.com/dop251/goja"

	"github.com/shipflow/shipflow/commitlint"
)

// Builtin shareable configurations: their rules are commitlint's
// ConventionalConfig and AngularConfig, which mirror the published
// packages (commitlint.SharedConfigVersion).
const (
	ConventionalName = "@commitlint/config-conventional"
	AngularName      = "@commitlint/config-angular"
	angularTypeEnum  = "@commitlint/config-angular-type-enum"
	typesName        = "@commitlint/types"
)

// Builtin returns the built-in shareable configuration called name as
// plain data, as its package exports it, and whether there is one.
func Builtin(name string) (map[string]any, bool) {
	switch name {
	case ConventionalName:
		return map[string]any{
			"parserPreset": "conventional-changelog-conventionalcommits",
			"rules":        rawRules(commitlint.ConventionalConfig()),
		}, true
	case AngularName:
		return map[string]any{
			"parserPreset": map[string]any{"parserOpts": map[string]any{"headerPattern": commitlint.AngularHeaderPattern}},
			"rules":        rawRules(commitlint.AngularConfig()),
		}, true
	case angularTypeEnum:
		rules := rawRules(commitlint.AngularConfig())
		return map[string]any{"rules": map[string]any{"type-enum": rules["type-enum"]}}, true
	}
	return nil, false
}

// rawRules writes a Config's rules back as commitlint configures them:
// [level, "always"|"never", value].
func rawRules(cfg commitlint.Config) map[string]any {
	out := make(map[string]any, len(cfg.Rules))
	for name, rc := range cfg.Rules {
		out[name] = rc.Raw(name)
	}
	return out
}

// builtinModule returns the exports of a built-in module: the shareable
// configurations (an ES module's namespace: the config, with a
// non-enumerable default pointing at itself) and @commitlint/types's
// enums.
func builtinModule(vm *goja.Runtime, name string) (goja.Value, bool) {
	if name == typesName {
		o := vm.NewObject()
		sev := vm.NewObject()
		for i, n := range []string{"Disabled", "Warning", "Error"} {
			_ = sev.Set(n, i)
			_ = sev.Set(string(rune('0'+i)), n)
		}
		q := vm.NewObject()
		_ = q.Set("User", 0)
		_ = q.Set("0", "User")
		_ = q.Set("Qualified", 1)
		_ = q.Set("1", "Qualified")
		_ = o.Set("RuleConfigSeverity", sev)
		_ = o.Set("RuleConfigQuality", q)
		return o, true
	}
	data, ok := Builtin(name)
	if !ok {
		return nil, false
	}
	o := toValue(vm, data).(*goja.Object)
	if name == angularTypeEnum {
		rules := data["rules"].(map[string]any)
		value := rules["type-enum"].([]any)[2]
		_ = o.Set("value", func() goja.Value { return toValue(vm, value) })
	}
	_ = o.DefineDataProperty("default", o, goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE)
	_ = o.DefineDataProperty("__esModule", vm.ToValue(true), goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE)
	return o, true
}
