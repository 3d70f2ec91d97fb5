//go:build ignore

// gen derives the event payloads in testdata/events from the real webhook
// examples of @octokit/webhooks-examples (shared/github/webhooks-examples.json.gz):
// it takes real pull_request and push payloads and changes only the fields
// shipflow reads (refs, fork, action), so every other field stays as GitHub
// sends it.
//
// Run from the repository root:
//
//	go run ./actions/testdata/gen.go [-in ../shared/github/webhooks-examples.json.gz]
package main

import (
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
)

type object = map[string]any

func main() {
	in := flag.String("in", "../shared/github/webhooks-examples.json.gz", "webhook examples")
	out := flag.String("out", "actions/testdata/events", "output directory")
	flag.Parse()

	f, err := os.Open(*in)
	if err != nil {
		log.Fatal(err)
	}
	zr, err := gzip.NewReader(f)
	if err != nil {
		log.Fatal(err)
	}
	var events []struct {
		Name     string   `json:"name"`
		Examples []object `json:"examples"`
	}
	if err := json.NewDecoder(zr).Decode(&events); err != nil {
		log.Fatal(err)
	}
	examples := map[string][]object{}
	for _, e := range events {
		examples[e.Name] = e.Examples
	}
	first := func(event, action string) object {
		for _, x := range examples[event] {
			if action == "" || x["action"] == action {
				return clone(x)
			}
		}
		log.Fatalf("no %s %s example", event, action)
		return nil
	}

	// pr sets the head and base branch of a real pull_request payload.
	pr := func(action, from, head, base string) object {
		x := first("pull_request", from)
		x["action"] = action
		p := x["pull_request"].(object)
		setRef(p["head"].(object), head)
		setRef(p["base"].(object), base)
		return x
	}

	files := map[string]object{
		"pull_request.opened.feature.json":      pr("opened", "opened", "feature/login-form", "dev"),
		"pull_request.synchronize.hotfix.json":  pr("synchronize", "synchronize", "hotfix/crash-on-start", "main"),
		"pull_request.reopened.dev.json":        pr("reopened", "reopened", "dev", "main"),
		"pull_request.opened.bad-branch.json":   pr("opened", "opened", "release/1.0", "main"),
		"pull_request.opened.feature-main.json": pr("opened", "opened", "feature/login-form", "main"),
	}

	// edited: the base changed from main to dev after the PR was opened,
	// with the `changes` object GitHub sends for a base change.
	edited := pr("edited", "opened", "feature/login-form", "dev")
	edited["changes"] = object{"base": object{
		"ref": object{"from": "main"},
		"sha": object{"from": edited["pull_request"].(object)["base"].(object)["sha"]},
	}}
	files["pull_request.edited.base-changed.json"] = edited

	// A pull request from a fork: the head repository is a fork owned by
	// someone else, as GitHub sends it.
	fork := pr("opened", "opened", "feature/login-form", "dev")
	head := fork["pull_request"].(object)["head"].(object)
	repo := clone(head["repo"].(object))
	owner := clone(repo["owner"].(object))
	owner["login"] = "forker"
	repo["owner"] = owner
	repo["full_name"] = "forker/Hello-World"
	repo["fork"] = true
	head["repo"] = repo
	head["user"] = owner
	head["label"] = "forker:feature/login-form"
	files["pull_request.opened.fork.json"] = fork

	// pull_request_target sends the pull_request payload, but the run
	// has the base repository's write token and secrets: from a fork, from
	// a branch of the same repository, and from a fork deleted since
	// (GitHub sends head.repo null).
	files["pull_request_target.opened.fork.json"] = clone(fork)
	files["pull_request_target.opened.same-repo.json"] = pr("opened", "opened", "feature/login-form", "dev")
	deleted := pr("synchronize", "synchronize", "feature/login-form", "dev")
	deletedHead := deleted["pull_request"].(object)["head"].(object)
	deletedHead["repo"] = nil
	deletedHead["label"] = "forker:feature/login-form"
	files["pull_request_target.synchronize.deleted-fork.json"] = deleted

	// A pull request between two branches of a repository that is itself
	// a fork: head.repo.fork is true, yet the head is this repository.
	inFork := pr("opened", "opened", "feature/login-form", "dev")
	for _, side := range []string{"head", "base"} {
		inFork["pull_request"].(object)[side].(object)["repo"].(object)["fork"] = true
	}
	inFork["repository"].(object)["fork"] = true
	files["pull_request.opened.in-fork-repo.json"] = inFork

	// A labelled draft pull request: labels as GitHub sends them (the
	// label objects of a real labeled example), draft set.
	labeled := pr("labeled", "labeled", "feature/login-form", "main")
	labeled["pull_request"].(object)["draft"] = true
	files["pull_request.labeled.draft.json"] = labeled

	// A merge queue's merge_group event, as GitHub sends it: the queue's
	// branch gh-readonly-queue/main/pr-104-<sha> and its base and head.
	files["merge_group.checks_requested.json"] = first("merge_group", "checks_requested")

	// workflow_run follow-ups of a pull_request workflow: from a fork
	// (GitHub lists no pull requests then) and from a branch of the same
	// repository (pull_requests names it, head.sha the run's head_sha).
	wrFork := first("workflow_run", "completed")
	wrRun := wrFork["workflow_run"].(object)
	wrRun["event"] = "pull_request"
	wrRun["pull_requests"] = []any{}
	files["workflow_run.completed.fork.json"] = wrFork
	for _, x := range examples["workflow_run"] {
		if prs, _ := x["workflow_run"].(object)["pull_requests"].([]any); len(prs) > 0 {
			same := clone(x)
			run := same["workflow_run"].(object)
			run["event"] = "pull_request"
			run["head_sha"] = run["pull_requests"].([]any)[0].(object)["head"].(object)["sha"]
			files["workflow_run.completed.same-repo.json"] = same
			break
		}
	}

	// A branch push to main.
	push := first("push", "")
	for _, x := range examples["push"] {
		if x["ref"] == "refs/heads/master" {
			push = clone(x)
			break
		}
	}
	push["ref"] = "refs/heads/main"
	files["push.main.json"] = push

	if err := os.MkdirAll(*out, 0o755); err != nil {
		log.Fatal(err)
	}
	for name, x := range files {
		data, err := json.MarshalIndent(x, "", "  ")
		if err != nil {
			log.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(*out, name), append(data, '\n'), 0o644); err != nil {
			log.Fatal(err)
		}
		fmt.Println(filepath.Join(*out, name))
	}
}

// setRef points a pull request's head or base at branch, keeping the
// label's owner part.
func setRef(side object, branch string) {
	side["ref"] = branch
	if user, ok := side["user"].(object); ok {
		side["label"] = fmt.Sprintf("%s:%s", user["login"], branch)
	}
}

func clone(x object) object {
	data, err := json.Marshal(x)
	if err != nil {
		log.Fatal(err)
	}
	var out object
	if err := json.Unmarshal(data, &out); err != nil {
		log.Fatal(err)
	}
	return out
}
