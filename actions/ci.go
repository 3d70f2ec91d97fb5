package actions

import (
	"github.com/shipflow/shipflow/release"
)

// CIContext reads what GitHub Actions says about the run — the event
// payload at GITHUB_EVENT_PATH and the GITHUB_* variables — as the CI
// context of release's resolvers. Both faces call it: `shipflow action`
// through its step, a plain `shipflow next` in a `run:` step directly, so
// the branch a detached checkout stands for is found one way. Outside
// Actions (no GITHUB_* variables) it is the zero CI.
func CIContext(getenv func(string) string) (release.CI, error) {
	r := &Runner{getenv: getenv}
	ev, err := r.Event()
	if err != nil {
		return release.CI{}, &InputError{Err: err}
	}
	return ev.ci(getenv), nil
}

// ci is the CI context of ev: the branch is the pull request's head
// branch, else the merge queue's branch (with MergeGroup set and the
// group's base and head as From and To), else GITHUB_HEAD_REF, else the
// pushed branch, else the run's branch (GITHUB_REF_NAME, unless
// GITHUB_REF_TYPE says a tag).
func (ev *Event) ci(getenv func(string) string) release.CI {
	c := release.CI{APIURL: getenv("GITHUB_API_URL"), Repository: ev.Repository,
		ServerURL: getenv("GITHUB_SERVER_URL"), SourceDateEpoch: getenv("SOURCE_DATE_EPOCH"),
		Actor: getenv("GITHUB_ACTOR")}
	switch {
	case ev.PullRequest != nil:
		pr := ev.PullRequest
		c.Branch, c.Base, c.From, c.To = pr.HeadRef, pr.BaseRef, pr.BaseSHA, pr.HeadSHA
		c.Number, c.Title, c.HeadFork = pr.Number, pr.Title, pr.FromFork()
		c.Body, c.Draft, c.Labels = pr.Body, pr.Draft, pr.Labels
	case ev.MergeGroup != nil:
		mg := ev.MergeGroup
		c.MergeGroup = true
		c.Branch, c.Base, c.From, c.To = mg.HeadRef, mg.BaseRef, mg.BaseSHA, mg.HeadSHA
	case getenv("GITHUB_HEAD_REF") != "":
		c.Branch, c.Base = getenv("GITHUB_HEAD_REF"), getenv("GITHUB_BASE_REF")
	case ev.Push != nil:
		c.Branch, c.From, c.To = ev.Push.Branch(), ev.Push.Before, ev.Push.After
	}
	if c.Branch == "" && ev.Push == nil {
		if t := getenv("GITHUB_REF_TYPE"); t == "" || t == "branch" {
			c.Branch = getenv("GITHUB_REF_NAME")
		}
	}
	return c
}

// actionInputs are a step's `with:` inputs as release.Inputs. An Action
// cannot tell an empty input from an unset one, so an empty input is not
// given (and "none" says no tag prefix).
type actionInputs struct{ r *Runner }

// Lookup returns the input name when it is not empty.
func (a actionInputs) Lookup(name string) (string, bool) {
	v := a.r.Input(name)
	return v, v != ""
}

// inputs are the step's inputs, for release's resolvers.
func (s *step) inputs() release.Inputs { return actionInputs{s.r} }

// ci is the step's CI context, for release's resolvers.
func (s *step) ci() release.CI { return s.ev.ci(s.r.getenv) }
