//go:build ignore

// trim cuts GitHub's REST description down to the operations shipflow calls,
// so the fake loads it in milliseconds instead of the ~11 s the full 13 MB
// description takes. Run from the githubfake directory:
//
//	go run testdata/trim.go [/work/shared/github/api.github.com.json.gz]
//
// It keeps the listed operations, the components they reference (transitively;
// $refs stay $refs so recursive schemas stay finite), drops examples, prose
// and x- extensions, and sets the server to the fake's base path /api/v3.
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"log"
	"os"
	"strings"
)

// operations lists method and path of every operation the client calls.
var operations = []struct{ method, path string }{
	{"get", "/repos/{owner}/{repo}"},
	{"get", "/repos/{owner}/{repo}/releases"},
	{"post", "/repos/{owner}/{repo}/releases"},
	{"get", "/repos/{owner}/{repo}/releases/tags/{tag}"},
	{"get", "/repos/{owner}/{repo}/releases/{release_id}"},
	{"patch", "/repos/{owner}/{repo}/releases/{release_id}"},
	{"post", "/repos/{owner}/{repo}/check-runs"},
	{"get", "/repos/{owner}/{repo}/check-runs/{check_run_id}"},
	{"patch", "/repos/{owner}/{repo}/check-runs/{check_run_id}"},
	{"post", "/repos/{owner}/{repo}/statuses/{sha}"},
	{"get", "/repos/{owner}/{repo}/releases/{release_id}/assets"},
	{"post", "/repos/{owner}/{repo}/releases/{release_id}/assets"},
	{"delete", "/repos/{owner}/{repo}/releases/assets/{asset_id}"},
	{"get", "/repos/{owner}/{repo}/pulls"},
	{"post", "/repos/{owner}/{repo}/pulls"},
	{"get", "/repos/{owner}/{repo}/pulls/{pull_number}"},
	{"patch", "/repos/{owner}/{repo}/pulls/{pull_number}"},
	{"put", "/repos/{owner}/{repo}/pulls/{pull_number}/merge"},
	{"post", "/repos/{owner}/{repo}/issues"},
	{"post", "/repos/{owner}/{repo}/issues/{issue_number}/labels"},
	{"delete", "/repos/{owner}/{repo}/issues/{issue_number}/labels/{name}"},
	{"get", "/repos/{owner}/{repo}/issues/{issue_number}/comments"},
	{"post", "/repos/{owner}/{repo}/issues/{issue_number}/comments"},
	{"patch", "/repos/{owner}/{repo}/issues/comments/{comment_id}"},
	{"delete", "/repos/{owner}/{repo}/issues/comments/{comment_id}"},
	{"get", "/repos/{owner}/{repo}/git/ref/{ref}"},
	{"post", "/repos/{owner}/{repo}/git/refs"},
	{"patch", "/repos/{owner}/{repo}/git/refs/{ref}"},
	{"post", "/repos/{owner}/{repo}/git/trees"},
	{"post", "/repos/{owner}/{repo}/git/commits"},
	{"get", "/repos/{owner}/{repo}/git/commits/{commit_sha}"},
	{"get", "/repos/{owner}/{repo}/branches/{branch}/protection"},
	{"get", "/repos/{owner}/{repo}/rules/branches/{branch}"},
}

func main() {
	src := "/work/shared/github/api.github.com.json.gz"
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
	var doc map[string]any
	if err := json.NewDecoder(zr).Decode(&doc); err != nil {
		log.Fatalf("decoding %s: %v", src, err)
	}
	paths := doc["paths"].(map[string]any)
	out := map[string]any{
		"openapi": doc["openapi"],
		"info": map[string]any{
			"title":   "GitHub REST API (trimmed for shipflow's githubfake)",
			"version": doc["info"].(map[string]any)["version"],
		},
		"servers": []any{map[string]any{"url": "/api/v3"}},
	}
	keptPaths := map[string]any{}
	for _, op := range operations {
		item, ok := paths[op.path].(map[string]any)
		if !ok {
			log.Fatalf("path %s not in %s", op.path, src)
		}
		o, ok := item[op.method]
		if !ok {
			log.Fatalf("operation %s %s not in %s", op.method, op.path, src)
		}
		kept, _ := keptPaths[op.path].(map[string]any)
		if kept == nil {
			kept = map[string]any{}
			if p, ok := item["parameters"]; ok {
				kept["parameters"] = clean(p, normal)
			}
			keptPaths[op.path] = kept
		}
		co := clean(o, normal).(map[string]any)
		// The upload operation names uploads.github.com; the fake serves
		// it under its own base path (see the fake's router).
		delete(co, "servers")
		kept[op.method] = co
	}
	out["paths"] = keptPaths

	// Copy the referenced components, following refs inside them too.
	comps := doc["components"].(map[string]any)
	keptComps := map[string]any{}
	queue := refs(keptPaths, nil)
	seen := map[string]bool{}
	for len(queue) > 0 {
		ref := queue[0]
		queue = queue[1:]
		if seen[ref] {
			continue
		}
		seen[ref] = true
		parts := strings.Split(strings.TrimPrefix(ref, "#/components/"), "/")
		if len(parts) != 2 {
			log.Fatalf("unexpected $ref %q", ref)
		}
		v, ok := comps[parts[0]].(map[string]any)[parts[1]]
		if !ok {
			log.Fatalf("$ref %q not found", ref)
		}
		mode := normal
		if parts[0] == "responses" {
			mode = response
		}
		v = clean(v, mode)
		sec, _ := keptComps[parts[0]].(map[string]any)
		if sec == nil {
			sec = map[string]any{}
			keptComps[parts[0]] = sec
		}
		sec[parts[1]] = v
		queue = refs(v, queue)
	}
	out["components"] = keptComps

	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(out); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile("testdata/api.github.com.trimmed.json", buf.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("wrote testdata/api.github.com.trimmed.json: %d operations, %d bytes\n", len(operations), buf.Len())
}

// Modes of clean: what the keys of the map being cleaned are.
const (
	normal     = iota
	properties // keys are property names: nothing is dropped
	responses  // values are response objects
	response   // a response object: its description is required, kept empty
)

// clean drops examples, prose and vendor extensions. Inside a "properties"
// map the keys are property names (a repository has a "description"), so
// nothing is dropped there; a response keeps an empty description, which
// OpenAPI requires.
func clean(v any, mode int) any {
	switch v := v.(type) {
	case map[string]any:
		m := map[string]any{}
		for k, e := range v {
			if mode != properties {
				switch {
				case k == "description" && mode == response:
					m[k] = ""
					continue
				case k == "example", k == "examples", k == "description", k == "summary",
					k == "externalDocs", k == "tags", strings.HasPrefix(k, "x-"):
					continue
				}
			}
			child := normal
			switch {
			case mode == responses:
				child = response
			case mode != properties && k == "properties":
				child = properties
			case mode != properties && k == "responses":
				child = responses
			}
			m[k] = clean(e, child)
		}
		return m
	case []any:
		s := make([]any, len(v))
		for i, e := range v {
			s[i] = clean(e, normal)
		}
		return s
	}
	return v
}

// refs appends every $ref found in v to acc.
func refs(v any, acc []string) []string {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			if s, ok := e.(string); ok && k == "$ref" {
				acc = append(acc, s)
				continue
			}
			acc = refs(e, acc)
		}
	case []any:
		for _, e := range v {
			acc = refs(e, acc)
		}
	}
	return acc
}
