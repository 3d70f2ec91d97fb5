//go:build ignore

// gen derives pull_request event payloads for the branch model's tests from
// the real examples in shared/github/webhooks-examples.json.gz: it takes the
// "opened", "edited"-like and "synchronize" payloads, trims them to the
// fields shipflow reads, and rewrites head.ref/base.ref (and head.label,
// which must never be used) to each branch pair below. The expected
// verdicts are written to events/cases.json; they are the spec, not
// computed.
//
//	cd release/branch && go run testdata/gen.go [path/to/webhooks-examples.json.gz]
package main

import (
	"compress/gzip"
	"encoding/json"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
)

type variant struct {
	Name    string `json:"name"`
	Action  string `json:"-"`
	Head    string `json:"-"`
	Base    string `json:"-"`
	Label   string `json:"-"` // head.label; deliberately misleading in some cases
	Allowed bool   `json:"allowed"`
	Rule    string `json:"rule,omitempty"` // first finding's rule when rejected
	File    string `json:"file"`
}

var variants = []variant{
	{Name: "feature-to-dev", Action: "opened", Head: "feature/speech-cache", Base: "dev", Allowed: true},
	{Name: "feature-to-main", Action: "opened", Head: "feature/speech-cache", Base: "main", Rule: "branch-flow"},
	{Name: "feature-retargeted-to-main", Action: "edited", Head: "feature/speech-cache", Base: "main", Rule: "branch-flow"},
	{Name: "dev-to-main-release", Action: "opened", Head: "dev", Base: "main", Allowed: true},
	{Name: "hotfix-to-main", Action: "synchronize", Head: "hotfix/cve-2024-1234", Base: "main", Allowed: true},
	{Name: "hotfix-back-merge-to-dev", Action: "opened", Head: "hotfix/cve-2024-1234", Base: "dev", Allowed: true},
	{Name: "main-sync-to-dev", Action: "opened", Head: "main", Base: "dev", Allowed: true},
	{Name: "dependabot-to-dev", Action: "opened", Head: "dependabot/go_modules/golang.org/x/net-0.23.0", Base: "dev", Allowed: true},
	{Name: "fork-label-is-not-the-head", Action: "opened", Head: "feature/from-fork", Base: "dev", Label: "octocat:dev", Allowed: true},
	{Name: "label-looks-fine-head-does-not", Action: "opened", Head: "changes", Base: "dev", Label: "Codertocat:feature/changes", Rule: "branch-kind"},
	{Name: "bad-name", Action: "opened", Head: "feature/Add thing", Base: "dev", Rule: "branch-name"},
	{Name: "original-example-master", Action: "opened", Head: "changes", Base: "master", Rule: "branch-kind"},
}

func main() {
	src := filepath.Join("..", "..", "..", "shared", "github", "webhooks-examples.json.gz")
	if len(os.Args) > 1 {
		src = os.Args[1]
	}
	f, err := os.Open(src)
	if err != nil {
		log.Fatal(err)
	}
	zr, err := gzip.NewReader(f)
	if err != nil {
		log.Fatal(err)
	}
	var events []struct {
		Name     string           `json:"name"`
		Examples []map[string]any `json:"examples"`
	}
	if err := json.NewDecoder(zr).Decode(&events); err != nil {
		log.Fatal(err)
	}
	byAction := map[string]map[string]any{}
	for _, e := range events {
		if e.Name != "pull_request" {
			continue
		}
		for _, ex := range e.Examples {
			a, _ := ex["action"].(string)
			if _, ok := byAction[a]; !ok {
				byAction[a] = ex
			}
		}
	}
	out := filepath.Join("testdata", "events")
	if err := os.MkdirAll(out, 0o755); err != nil {
		log.Fatal(err)
	}
	for i, v := range variants {
		action := v.Action
		ex := byAction[action]
		if ex == nil {
			// The examples have no "edited" payload: derive it from "opened"
			// and record the base change the way GitHub does.
			ex = byAction["opened"]
		}
		if ex == nil {
			log.Fatalf("no pull_request %q example in %s", action, src)
		}
		p := trim(ex)
		p["action"] = action
		pr := p["pull_request"].(map[string]any)
		head, base := pr["head"].(map[string]any), pr["base"].(map[string]any)
		if v.Name != "original-example-master" {
			owner := strings.SplitN(head["label"].(string), ":", 2)[0]
			head["ref"], base["ref"] = v.Head, v.Base
			head["label"], base["label"] = owner+":"+v.Head, owner+":"+v.Base
			if v.Label != "" {
				head["label"] = v.Label
			}
		}
		if action == "edited" {
			p["changes"] = map[string]any{"base": map[string]any{"ref": map[string]any{"from": "dev"}, "sha": map[string]any{"from": base["sha"]}}}
		}
		variants[i].File = v.Name + ".json"
		b, err := json.MarshalIndent(p, "", "  ")
		if err != nil {
			log.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(out, variants[i].File), append(b, '\n'), 0o644); err != nil {
			log.Fatal(err)
		}
	}
	b, _ := json.MarshalIndent(variants, "", "  ")
	if err := os.WriteFile(filepath.Join(out, "cases.json"), append(b, '\n'), 0o644); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("wrote %d events to %s\n", len(variants), out)
}

// trim keeps the fields of a pull_request payload that shipflow reads.
func trim(ex map[string]any) map[string]any {
	pr := ex["pull_request"].(map[string]any)
	side := func(s map[string]any) map[string]any {
		repo, _ := s["repo"].(map[string]any)
		return map[string]any{"ref": s["ref"], "sha": s["sha"], "label": s["label"],
			"repo": map[string]any{"full_name": repo["full_name"], "fork": repo["fork"]}}
	}
	repo := ex["repository"].(map[string]any)
	return map[string]any{
		"action": ex["action"],
		"number": ex["number"],
		"pull_request": map[string]any{
			"number":  pr["number"],
			"title":   pr["title"],
			"state":   pr["state"],
			"commits": pr["commits"],
			"head":    side(pr["head"].(map[string]any)),
			"base":    side(pr["base"].(map[string]any)),
		},
		"repository": map[string]any{"full_name": repo["full_name"], "default_branch": repo["default_branch"]},
	}
}
