package config

import (
	"slices"
	"strings"
	"testing"
)

func TestPRSection(t *testing.T) {
	cfg, err := Parse(FileName, []byte("pr:\n  merge-method: [squash]\n  check: title\n  drafts: skip\n  wip: pending\n  ignore-labels: [skip-lint]\n  comment: on-failure\n  preview: false\n"))
	if err != nil {
		t.Fatal(err)
	}
	p := cfg.PR
	if !slices.Equal(p.MergeMethods, []string{"squash"}) || p.Check != "title" || p.Drafts != "skip" || p.WIP != "pending" ||
		!slices.Equal(p.IgnoreLabels, []string{"skip-lint"}) || p.Comment != "on-failure" || p.PreviewOn() {
		t.Errorf("pr = %+v", p)
	}
	if (PR{}).PreviewOn() != true {
		t.Error("preview defaults to off, want on")
	}
	for _, tt := range []struct{ in, want string }{
		{"pr:\n  merge-method: [fast-forward]\n", `.shipflow.yaml:2:17: pr.merge-method: "fast-forward" is not a merge method`},
		{"pr:\n  merge-method: []\n", ".shipflow.yaml:2:17: pr.merge-method: is empty"},
		{"pr:\n  check: all\n", `.shipflow.yaml:2:10: pr.check: is "all"`},
		{"pr:\n  drafts: ignore\n", `.shipflow.yaml:2:11: pr.drafts: is "ignore"`},
		{"pr:\n  wip: no\n", `.shipflow.yaml:2:8: pr.wip: is "no"`},
		{"pr:\n  comment: sometimes\n", `.shipflow.yaml:2:12: pr.comment: is "sometimes"`},
	} {
		_, err := Parse(FileName, []byte(tt.in))
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%q: error = %v\nwant prefix %q", tt.in, err, tt.want)
		}
	}
}
