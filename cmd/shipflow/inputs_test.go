package main

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"testing"

	"github.com/spf13/pflag"
	"go.yaml.in/yaml/v3"

	"github.com/shipflow/shipflow/release"
	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/git"
	"github.com/shipflow/shipflow/release/git/gittest"
)

// inputRecorder is release.Inputs that gives only the values a verb
// cannot do without and records every name a resolver asks for.
type inputRecorder struct {
	given map[string]string
	read  map[string]bool
}

func (r inputRecorder) Lookup(name string) (string, bool) {
	r.read[name] = true
	v, ok := r.given[name]
	return v, ok
}

// stepInputs are the inputs every action has that are about the step, not
// the verb: the token, where to report and under which check name, where
// to save the report, whether warnings fail it, the install, the
// directory.
var stepInputs = []string{"token", "report", "check-name", "save-report", "strict", "working-directory", "version", "verify"}

// TestActionInputsAreFlags: one spelling everywhere. Every name a verb's
// resolver reads is a flag of the CLI verb and an input of its action
// (and of the root action, which passes every input on), and every
// input an action declares is read by the resolver.
func TestActionInputsAreFlags(t *testing.T) {
	ctx := context.Background()
	r := gittest.New(t)
	r.Commit("feat: a")
	repo, err := git.Open(ctx, r.Dir)
	if err != nil {
		t.Fatal(err)
	}
	cfg := &config.Config{}
	ci := release.CI{}
	cases := []struct {
		action  string
		cli     [][]string
		given   map[string]string
		resolve func(in release.Inputs)
	}{
		{"next", [][]string{{"next"}}, nil, func(in release.Inputs) {
			release.ResolveNext(in, cfg, ci)
			release.ResolvePackages(in, cfg)
		}},
		{"changelog", [][]string{{"changelog"}}, nil, func(in release.Inputs) {
			release.ResolveChangelog(in, cfg, ci)
			release.ResolvePackages(in, cfg)
		}},
		{"release", [][]string{{"release"}}, nil, func(in release.Inputs) {
			release.ResolveRelease(ctx, in, cfg, ci, repo)
			release.ResolvePackages(in, cfg)
		}},
		{"commitlint", [][]string{{"lint"}}, nil, func(in release.Inputs) { release.ResolveLint(in, cfg, ci) }},
		{"pr", [][]string{{"pr"}}, nil, func(in release.Inputs) { release.ResolvePR(in, cfg, ci) }},
		{"branch", [][]string{{"branch", "check"}, {"branch", "debt"}}, nil, func(in release.Inputs) {
			release.ResolveBranchCheck(in, cfg, ci)
			release.ResolveBranchDebt(in, cfg, ci)
		}},
		{"test", [][]string{{"test"}}, nil, func(in release.Inputs) { release.ResolveTest(in, cfg, ci) }},
		{"image", [][]string{{"image", "push"}, {"image", "build"}}, map[string]string{"source": "app.tar", "username": "u", "password": "p"}, func(in release.Inputs) {
			release.ResolveImagePush(in, cfg, ci)
			release.ResolveImageAccess(in, ci)
		}},
		{"image-rollback", [][]string{{"image", "rollback"}}, map[string]string{"repo": "r/a", "username": "u", "password": "p"}, func(in release.Inputs) {
			release.ResolveImageRollback(in, cfg, ci)
		}},
		{"image-watch", [][]string{{"image", "watch"}}, map[string]string{"repo": "r/a", "health": "http://h/", "username": "u", "password": "p"}, func(in release.Inputs) {
			release.ResolveImageWatch(in, cfg, ci)
		}},
		{"image-promote", [][]string{{"image", "promote"}}, map[string]string{"repo": "r/a", "image-version": "1.0.0", "env": "prod", "username": "u", "password": "p"}, func(in release.Inputs) {
			release.ResolveImagePromote(in, cfg, ci)
		}},
	}
	rootInputs := actionInputs(t, filepath.Join("..", "..", "action.yml"))
	e := &env{ctx: ctx, getenv: func(string) string { return "" }, dir: "."}
	root := newRoot(e)
	for _, tc := range cases {
		t.Run(tc.action, func(t *testing.T) {
			rec := inputRecorder{given: tc.given, read: map[string]bool{}}
			tc.resolve(rec)
			read := rec.read
			if len(read) == 0 {
				t.Fatal("the resolver read no input")
			}
			flags := map[string]bool{}
			for _, path := range tc.cli {
				cmd, _, err := root.Find(path)
				if err != nil {
					t.Fatal(err)
				}
				cmd.Flags().VisitAll(func(f *pflag.Flag) { flags[f.Name] = true })
			}
			declared := actionInputs(t, filepath.Join("..", "..", "actions", tc.action, "action.yml"))
			for _, name := range sortedKeys(read) {
				if !flags[name] {
					t.Errorf("the resolver reads %q, which `shipflow %v` has no flag for", name, tc.cli[0])
				}
				if !slices.Contains(declared, name) {
					t.Errorf("the resolver reads %q, which actions/%s/action.yml does not declare", name, tc.action)
				}
				if !slices.Contains(rootInputs, name) {
					t.Errorf("the resolver reads %q, which the root action.yml does not declare", name)
				}
			}
			for _, name := range declared {
				if slices.Contains(stepInputs, name) {
					continue
				}
				if !read[name] {
					t.Errorf("actions/%s/action.yml declares %q, which the resolver never reads", tc.action, name)
				}
			}
		})
	}
}

// actionInputs returns the input names of an action.yml, in order.
func actionInputs(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Inputs yaml.Node `yaml:"inputs"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var names []string
	for i := 0; i+1 < len(doc.Inputs.Content); i += 2 {
		names = append(names, doc.Inputs.Content[i].Value)
	}
	return names
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
