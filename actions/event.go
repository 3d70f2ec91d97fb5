package actions

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/shipflow/shipflow/release/git"
)

// Event is the part of the workflow's triggering event shipflow uses,
// read from GITHUB_EVENT_NAME and the payload at GITHUB_EVENT_PATH.
type Event struct {
	// Name is the event name ("pull_request", "push", ...).
	Name string
	// Action is the payload's activity type ("opened", "edited", ...), or
	// empty for events without one (push).
	Action string
	// Repository is the "owner/name" of the repository the workflow runs in.
	Repository string
	// SHA is the commit the workflow runs on: the pull request's head for
	// pull_request events (not the merge commit GITHUB_SHA names), the
	// pushed commit otherwise.
	SHA string
	// PullRequest is set for pull_request and pull_request_target events.
	// Both carry the same payload; they differ in what the run may do (see
	// ReadOnlyToken and UntrustedHead).
	PullRequest *PullRequest
	// Push is set for push events.
	Push *Push
	// MergeGroup is set for merge_group events (a merge queue's run).
	MergeGroup *MergeGroup
	// WorkflowRun is set for workflow_run events: the run of another
	// workflow that triggered this one.
	WorkflowRun *WorkflowRun
}

// MergeGroup is a merge queue's group from a merge_group event: the queue
// made HeadSHA on a temporary branch (HeadRef,
// "gh-readonly-queue/main/pr-12-<sha>") from BaseSHA, the tip of BaseRef,
// and the group's checks run on HeadSHA.
type MergeGroup struct {
	// HeadRef and BaseRef are branch names, without refs/heads/.
	HeadRef, BaseRef string
	HeadSHA, BaseSHA string
}

// WorkflowRun is the triggering run of a workflow_run event.
type WorkflowRun struct {
	// Event is the triggering run's event ("pull_request").
	Event string
	// HeadSHA is the commit the triggering run ran on (a pull request's
	// head for pull_request runs).
	HeadSHA string
	// PullRequests are the pull requests GitHub associates with the run:
	// only those whose head is in this repository (GitHub lists none for
	// a fork's pull request).
	PullRequests []WorkflowRunPR
}

// WorkflowRunPR is one of workflow_run.pull_requests[].
type WorkflowRunPR struct {
	Number  int
	HeadSHA string
}

// PullRequest is a pull request from an event payload.
type PullRequest struct {
	Number int
	Title  string
	Body   string
	Draft  bool
	// Labels are the names of the pull request's labels.
	Labels []string
	// Commits is the number of commits GitHub counts in the pull request.
	Commits int
	// HeadRef and BaseRef are branch names (pull_request.head.ref and
	// base.ref). Never head.label ("owner:branch") or GITHUB_REF
	// ("refs/pull/N/merge").
	HeadRef, BaseRef string
	// HeadSHA and BaseSHA are the commits of head and base when the event
	// fired; BaseSHA..HeadSHA is the pull request's range.
	HeadSHA, BaseSHA string
	// HeadRepo and BaseRepo are "owner/name"; HeadRepo is empty when the
	// head repository was deleted (GitHub sends head.repo null). BaseRepo
	// is the event's repository when the payload lacks base.repo.
	HeadRepo, BaseRepo string
	// HeadFork is head.repo.fork. It says whether the head repository is a
	// fork of anything, not whether it is another repository than the
	// base: inside a repository that is itself a fork it is true for every
	// pull request. FromFork does not use it.
	HeadFork bool
	// PreviousBaseRef is the base before an `edited` event changed it, or
	// empty.
	PreviousBaseRef string
}

// FromFork reports whether the pull request comes from another repository
// than its base: head.repo is not base.repo, or the head repository was
// deleted (a deleted fork; a branch of the base repository itself cannot
// lose its repository while the pull request is open). Its branch names
// are then the fork's, not this repository's. Whether the run's token is
// read-only depends on the event too: see Event.ReadOnlyToken.
func (p *PullRequest) FromFork() bool {
	return p.HeadRepo == "" || !strings.EqualFold(p.HeadRepo, p.BaseRepo)
}

// ReadOnlyToken reports whether GitHub runs this event with a read-only
// GITHUB_TOKEN and without secrets: a pull_request event from a fork.
// Reporting to GitHub (check runs, statuses) then cannot work, so shipflow
// falls back to annotations and the job summary.
//
// A pull_request_target event is never read-only: it runs in the base
// repository with its write token and secrets, whoever opened the pull
// request. That is why its head is untrusted (see UntrustedHead).
func (ev *Event) ReadOnlyToken() bool {
	return ev.Name == "pull_request" && ev.PullRequest != nil && ev.PullRequest.FromFork()
}

// UntrustedHead reports whether the run holds the base repository's write
// token and secrets while the pull request's head is someone else's code:
// a pull_request_target event from a fork. shipflow reads the head's
// commits as data (messages, by SHA, from git) and never runs or loads
// configuration from them; the workflow must not check the head out either
// (actions/checkout's default for pull_request_target is the base), or the
// fork's .shipflow.yaml and commitlint configuration would be read with
// the write token in reach.
func (ev *Event) UntrustedHead() bool {
	return ev.Name == "pull_request_target" && ev.PullRequest != nil && ev.PullRequest.FromFork()
}

// Push is a push event.
type Push struct {
	// Ref is the full ref pushed ("refs/heads/main", "refs/tags/v1.0.0").
	Ref string
	// Before and After are the ref's old and new commits; Before is all
	// zeros when the ref was created.
	Before, After string
	// Created and Deleted say whether the push created or deleted the ref.
	Created, Deleted bool
}

// Branch returns the pushed branch name, or "" when a tag was pushed.
func (p *Push) Branch() string {
	b, ok := strings.CutPrefix(p.Ref, "refs/heads/")
	if !ok {
		return ""
	}
	return b
}

// payload mirrors the webhook fields Event reads.
type payload struct {
	Action     string `json:"action"`
	Repository *struct {
		FullName string `json:"full_name"`
	} `json:"repository"`
	PullRequest *struct {
		Number  int    `json:"number"`
		Title   string `json:"title"`
		Body    string `json:"body"`
		Draft   bool   `json:"draft"`
		Commits int    `json:"commits"`
		Head    ref    `json:"head"`
		Base    ref    `json:"base"`
		Labels  []struct {
			Name string `json:"name"`
		} `json:"labels"`
	} `json:"pull_request"`
	MergeGroup *struct {
		HeadSHA string `json:"head_sha"`
		HeadRef string `json:"head_ref"`
		BaseSHA string `json:"base_sha"`
		BaseRef string `json:"base_ref"`
	} `json:"merge_group"`
	WorkflowRun *struct {
		Event        string `json:"event"`
		HeadSHA      string `json:"head_sha"`
		PullRequests []struct {
			Number int `json:"number"`
			Head   struct {
				SHA string `json:"sha"`
			} `json:"head"`
		} `json:"pull_requests"`
	} `json:"workflow_run"`
	Changes *struct {
		Base *struct {
			Ref *struct {
				From string `json:"from"`
			} `json:"ref"`
		} `json:"base"`
	} `json:"changes"`
	Ref     string `json:"ref"`
	Before  string `json:"before"`
	After   string `json:"after"`
	Created bool   `json:"created"`
	Deleted bool   `json:"deleted"`
}

type ref struct {
	Ref  string `json:"ref"`
	SHA  string `json:"sha"`
	Repo *struct {
		FullName string `json:"full_name"`
		Fork     bool   `json:"fork"`
	} `json:"repo"`
}

// Event reads the triggering event. Without GITHUB_EVENT_PATH (a local run)
// it returns an Event with only the name, repository and SHA from the
// environment.
func (r *Runner) Event() (*Event, error) {
	ev := &Event{
		Name:       r.getenv("GITHUB_EVENT_NAME"),
		Repository: r.getenv("GITHUB_REPOSITORY"),
		SHA:        r.getenv("GITHUB_SHA"),
	}
	path := r.getenv("GITHUB_EVENT_PATH")
	if path == "" {
		return ev, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading the event payload: %w", err)
	}
	if err := ev.decode(data, r.getenv("GITHUB_REF")); err != nil {
		return nil, fmt.Errorf("reading the event payload %s: %w", path, err)
	}
	return ev, nil
}

// ParseEvent decodes the payload of the event name, as the runner writes it
// to GITHUB_EVENT_PATH.
func ParseEvent(name string, data []byte) (*Event, error) {
	ev := &Event{Name: name}
	if err := ev.decode(data, ""); err != nil {
		return nil, err
	}
	return ev, nil
}

// decode reads the payload; ref (GITHUB_REF) stands in for a push
// payload's missing ref.
func (ev *Event) decode(data []byte, ref string) error {
	var p payload
	if err := json.Unmarshal(data, &p); err != nil {
		return fmt.Errorf("decoding %s payload: %w", ev.Name, err)
	}
	ev.Action = p.Action
	if p.Repository != nil && p.Repository.FullName != "" {
		ev.Repository = p.Repository.FullName
	}
	switch ev.Name {
	case "pull_request", "pull_request_target":
		if p.PullRequest == nil {
			return fmt.Errorf("%s payload has no pull_request object", ev.Name)
		}
		pr := p.PullRequest
		if pr.Head.Ref == "" || pr.Base.Ref == "" || pr.Head.SHA == "" || pr.Base.SHA == "" {
			return fmt.Errorf("%s payload: pull_request.head and .base need ref and sha", ev.Name)
		}
		out := &PullRequest{
			Number: pr.Number, Title: pr.Title, Body: pr.Body, Draft: pr.Draft, Commits: pr.Commits,
			HeadRef: pr.Head.Ref, BaseRef: pr.Base.Ref, HeadSHA: pr.Head.SHA, BaseSHA: pr.Base.SHA,
		}
		if pr.Head.Repo != nil {
			out.HeadRepo, out.HeadFork = pr.Head.Repo.FullName, pr.Head.Repo.Fork
		}
		if pr.Base.Repo != nil {
			out.BaseRepo = pr.Base.Repo.FullName
		}
		if out.BaseRepo == "" {
			// The base is always the repository the workflow runs in.
			out.BaseRepo = ev.Repository
		}
		for _, l := range pr.Labels {
			out.Labels = append(out.Labels, l.Name)
		}
		if c := p.Changes; c != nil && c.Base != nil && c.Base.Ref != nil {
			out.PreviousBaseRef = c.Base.Ref.From
		}
		ev.PullRequest = out
		ev.SHA = out.HeadSHA
	case "merge_group":
		mg := p.MergeGroup
		if mg == nil {
			return fmt.Errorf("merge_group payload has no merge_group object")
		}
		head, hok := strings.CutPrefix(mg.HeadRef, "refs/heads/")
		base, bok := strings.CutPrefix(mg.BaseRef, "refs/heads/")
		if !hok || !bok || head == "" || base == "" || mg.HeadSHA == "" || mg.BaseSHA == "" {
			return fmt.Errorf("merge_group payload: merge_group needs head_sha, base_sha and branch refs head_ref and base_ref")
		}
		ev.MergeGroup = &MergeGroup{HeadRef: head, BaseRef: base, HeadSHA: mg.HeadSHA, BaseSHA: mg.BaseSHA}
		// The group's checks are the ones on the queue's commit.
		ev.SHA = mg.HeadSHA
	case "workflow_run":
		wr := p.WorkflowRun
		if wr == nil || wr.HeadSHA == "" {
			return fmt.Errorf("workflow_run payload: workflow_run needs head_sha")
		}
		out := &WorkflowRun{Event: wr.Event, HeadSHA: wr.HeadSHA}
		for _, pr := range wr.PullRequests {
			out.PullRequests = append(out.PullRequests, WorkflowRunPR{Number: pr.Number, HeadSHA: pr.Head.SHA})
		}
		ev.WorkflowRun = out
	case "push":
		if p.Ref == "" {
			// `act` without -e sends an empty payload.
			p.Ref = ref
		}
		if p.Ref == "" {
			return fmt.Errorf("push payload has no ref")
		}
		ev.Push = &Push{Ref: p.Ref, Before: p.Before, After: p.After, Created: p.Created, Deleted: p.Deleted}
		if p.After != "" && strings.Trim(p.After, "0") != "" {
			ev.SHA = p.After
		}
	}
	return nil
}

// refuseUntrustedCheckout refuses a pull_request_target run from a fork
// whose work tree is the pull request's head or its merge commit: the
// fork's files (.shipflow.yaml, commitlint configuration, templates) would
// be read while the run holds the base repository's write token and
// secrets. The base checkout (actions/checkout's default for
// pull_request_target) is fine: shipflow reads the head's commits by SHA.
// A directory that is not a repository has no head to compare.
func (s *step) refuseUntrustedCheckout(ctx context.Context) error {
	if !s.ev.UntrustedHead() {
		return nil
	}
	pr := s.ev.PullRequest
	var gopts []git.Option
	if s.r.InActions() {
		gopts = append(gopts, git.WithConfig("safe.directory", "*"))
	}
	repo, err := git.Open(ctx, s.opt.Dir, gopts...)
	if err != nil {
		return nil
	}
	for _, rev := range []string{"HEAD", "HEAD^2"} {
		if sha, err := repo.ResolveCommit(ctx, rev); err == nil && strings.EqualFold(sha, pr.HeadSHA) {
			return inputErr("pull_request_target from the fork %s: the work tree is the pull request's head %.7s (%s), whose files cannot be trusted while this run holds the base repository's write token and secrets; check out the base (actions/checkout without ref) and fetch the head's commits without checking them out (git fetch origin refs/pull/%d/head)",
				orUnknown(pr.HeadRepo), pr.HeadSHA, rev, pr.Number)
		}
	}
	return nil
}
