package versionfile

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// yamlFind walks the node tree to the scalar at path and turns its
// Line/Column (yaml.v3 counts columns in characters) into a byte span.
func yamlFind(data []byte, path []string) (span, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return span{}, fmt.Errorf("parsing YAML: %w", err)
	}
	if len(doc.Content) == 0 {
		return span{}, fmt.Errorf("%w: the document is empty", errNoVersion)
	}
	n := doc.Content[0]
	for _, seg := range path {
		var next *yaml.Node
		switch n.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == seg {
					next = n.Content[i+1]
				}
			}
		case yaml.SequenceNode:
			if i, err := strconv.Atoi(seg); err == nil && i >= 0 && i < len(n.Content) {
				next = n.Content[i]
			}
		}
		if next == nil {
			return span{}, fmt.Errorf("%w: no key %s", errNoVersion, joinKey(path))
		}
		n = next
	}
	if n.Kind != yaml.ScalarNode || n.Tag != "!!str" && n.Tag != "!!float" && n.Tag != "!!int" {
		return span{}, fmt.Errorf("%w: the value at %s is not a scalar string", errNoVersion, joinKey(path))
	}
	if n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		return span{}, errors.New("the value is a block scalar")
	}
	start, err := yamlOffset(data, n.Line, n.Column)
	if err != nil {
		return span{}, err
	}
	if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
		start++
	}
	s := span{start, start + len(n.Value)}
	if s.end > len(data) || string(data[s.start:s.end]) != n.Value {
		return span{}, errors.New("the value has escapes or spans lines")
	}
	return s, nil
}

func yamlOffset(data []byte, line, col int) (int, error) {
	off := 0
	for l := 1; l < line; l++ {
		i := bytes.IndexByte(data[off:], '\n')
		if i < 0 {
			return 0, fmt.Errorf("line %d is past the end", line)
		}
		off += i + 1
	}
	for c := 1; c < col; c++ {
		if off >= len(data) {
			return 0, fmt.Errorf("column %d is past the end of line %d", col, line)
		}
		_, n := utf8.DecodeRune(data[off:])
		off += n
	}
	return off, nil
}
