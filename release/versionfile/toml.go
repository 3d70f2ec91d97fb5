package versionfile

import (
	"errors"
	"fmt"
	"slices"

	"github.com/pelletier/go-toml/v2/unstable"
)

// tomlKey is the dotted key of a Table, ArrayTable or KeyValue node.
func tomlKey(n *unstable.Node) []string {
	var out []string
	for it := n.Key(); it.Next(); {
		out = append(out, string(it.Node().Data))
	}
	return out
}

// tomlString is the span of a single-line string value whose bytes are
// exactly its value (no escapes), which is every version anyone writes.
func tomlString(p *unstable.Parser, v *unstable.Node) (span, error) {
	if v.Kind != unstable.String {
		return span{}, fmt.Errorf("%w: the value is a %s, not a string", errNoVersion, v.Kind)
	}
	raw := p.Raw(v.Raw)
	if len(raw) < 2 || (len(raw) >= 6 && (string(raw[:3]) == `"""` || string(raw[:3]) == "'''")) {
		return span{}, errors.New("the value is a multi-line string")
	}
	s := span{int(v.Raw.Offset) + 1, int(v.Raw.Offset) + len(raw) - 1}
	if string(p.Data()[s.start:s.end]) != string(v.Data) {
		return span{}, errors.New("the value has escapes")
	}
	return s, nil
}

// tomlFind finds the string at a full dotted key (table header plus key),
// outside arrays of tables.
func tomlFind(data []byte, path []string) (span, error) {
	var p unstable.Parser
	p.Reset(data)
	var table []string
	inArray := false
	found, ok := span{}, false
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.Table:
			table, inArray = tomlKey(e), false
		case unstable.ArrayTable:
			table, inArray = tomlKey(e), true
		case unstable.KeyValue:
			if inArray || !slices.Equal(slices.Concat(table, tomlKey(e)), path) {
				continue
			}
			s, err := tomlString(&p, e.Value())
			if err != nil {
				return span{}, err
			}
			found, ok = s, true
		}
	}
	if err := p.Error(); err != nil {
		return span{}, fmt.Errorf("parsing TOML: %w", err)
	}
	if !ok {
		return span{}, fmt.Errorf("%w: no key %s", errNoVersion, joinKey(path))
	}
	return found, nil
}

// cargoLockFind finds the version of the [[package]] named name that has
// no source: the workspace's own crate, not a registry crate that happens
// to share its name.
func cargoLockFind(data []byte, name string) (span, error) {
	var p unstable.Parser
	p.Reset(data)
	type block struct {
		name, source bool
		version      span
		hasVersion   bool
	}
	var cur *block
	var hits []block
	flush := func() {
		if cur != nil && cur.name && !cur.source && cur.hasVersion {
			hits = append(hits, *cur)
		}
		cur = nil
	}
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.Table:
			flush()
		case unstable.ArrayTable:
			flush()
			if slices.Equal(tomlKey(e), []string{"package"}) {
				cur = &block{}
			}
		case unstable.KeyValue:
			if cur == nil {
				continue
			}
			k, v := tomlKey(e), e.Value()
			switch {
			case slices.Equal(k, []string{"name"}):
				cur.name = v.Kind == unstable.String && string(v.Data) == name
			case slices.Equal(k, []string{"source"}):
				cur.source = true
			case slices.Equal(k, []string{"version"}):
				s, err := tomlString(&p, v)
				if err == nil {
					cur.version, cur.hasVersion = s, true
				}
			}
		}
	}
	flush()
	if err := p.Error(); err != nil {
		return span{}, fmt.Errorf("parsing TOML: %w", err)
	}
	switch len(hits) {
	case 0:
		return span{}, fmt.Errorf("%w: no [[package]] named %q without a source", errNoVersion, name)
	case 1:
		return hits[0].version, nil
	}
	return span{}, fmt.Errorf("%d [[package]] entries are named %q", len(hits), name)
}
