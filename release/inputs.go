package release

import (
	"fmt"
	"strings"
)

// Inputs are the values one face of shipflow was given by name: a verb's
// flags on the command line, the `with:` inputs of its Action. Both faces
// use the same names and the same spellings, and each verb has one
// function (ResolveNext, ResolveLint, ...) that turns Inputs, the
// repository's .shipflow.yaml and the CI context into the operation's
// options, in one order of precedence:
//
//	flag or input > .shipflow.yaml > the event and CI environment > default
//
// The defaults are in package config (config.DefaultRemote and the rest).
type Inputs interface {
	// Lookup returns the value given for name, and whether one was given.
	// A list is one value, its items separated by newlines or commas.
	Lookup(name string) (string, bool)
}

// NoInputs is Inputs of a run given nothing: every value comes from the
// configuration, the CI context or the defaults.
type NoInputs struct{}

// Lookup reports nothing given.
func (NoInputs) Lookup(string) (string, bool) { return "", false }

// MapInputs is Inputs held in a map, for tests and for callers that build
// inputs in code.
type MapInputs map[string]string

// Lookup returns m[name].
func (m MapInputs) Lookup(name string) (string, bool) {
	v, ok := m[name]
	return v, ok
}

// InputError is an input whose value is not one its verb accepts. It is a
// usage error (exit 2 on the CLI, a failed step in an Action).
type InputError struct {
	// Name is the input ("tag-prefix"), Value what was given.
	Name, Value string
	// Want says what was expected ("a boolean (use true or false)").
	Want string
}

func (e *InputError) Error() string {
	return fmt.Sprintf("input %s: %q is not %s", e.Name, e.Value, e.Want)
}

// inputString returns the input name, trimmed, and whether it was given
// (an input of only spaces is not given).
func inputString(in Inputs, name string) (string, bool) {
	if in == nil {
		return "", false
	}
	v, ok := in.Lookup(name)
	v = strings.TrimSpace(v)
	return v, ok && v != ""
}

// inputBool returns the boolean input name, or def when it was not given.
// The YAML 1.2 core schema's spellings are accepted, as flags and
// @actions/core getBooleanInput accept them: true, True, TRUE, false,
// False, FALSE.
func inputBool(in Inputs, name string, def bool) (bool, error) {
	v, ok := inputString(in, name)
	if !ok {
		return def, nil
	}
	switch v {
	case "true", "True", "TRUE":
		return true, nil
	case "false", "False", "FALSE":
		return false, nil
	}
	return def, &InputError{Name: name, Value: v, Want: "a boolean (use true or false)"}
}

// inputList returns the list input name, split at newlines and commas,
// items trimmed and empty ones dropped, and whether it was given.
func inputList(in Inputs, name string) ([]string, bool) {
	v, ok := inputString(in, name)
	if !ok {
		return nil, false
	}
	var out []string
	for _, line := range strings.Split(v, "\n") {
		for _, item := range strings.Split(line, ",") {
			if item = strings.TrimSpace(item); item != "" {
				out = append(out, item)
			}
		}
	}
	return out, len(out) > 0
}

// inputTagPrefix returns the tag-prefix input as PlanOptions.TagPrefix
// takes it: nil when not given, so .shipflow.yaml's applies; "none" is
// kept, for PlanOptions.rules reads it as no prefix. A flag given empty
// (`--tag-prefix ""`) is no prefix too; an Action's empty input is not
// given.
func inputTagPrefix(in Inputs) *string {
	if in == nil {
		return nil
	}
	if v, ok := in.Lookup("tag-prefix"); ok {
		v = strings.TrimSpace(v)
		return &v
	}
	return nil
}

// CI is what the CI system says about the run, read once from the event
// payload and the environment by the face that knows it (actions.CIContext
// for GitHub Actions; a run outside CI has the zero CI). It comes after
// flags, inputs and .shipflow.yaml, and before the defaults.
type CI struct {
	// Branch is the branch the run is for: a pull request's head branch,
	// else the pushed branch. Empty outside CI and for a tag push.
	Branch string
	// Base is a pull request's base branch, or empty.
	Base string
	// From and To are the commits the event brought: a pull request's
	// base and head shas, a push's before and after. Either may be empty.
	From, To string
	// APIURL is the forge's REST API base URL the CI system names
	// (GITHUB_API_URL), or empty.
	APIURL string
	// Repository is "owner/name", or empty.
	Repository string
	// ServerURL is the forge's web root the CI system names
	// (GITHUB_SERVER_URL, "https://github.com"), or empty.
	ServerURL string
	// SourceDateEpoch is SOURCE_DATE_EPOCH (reproducible-builds.org):
	// seconds since 1970 that date a changelog section or a release, or
	// empty for today.
	SourceDateEpoch string
	// Number and Title are a pull request's number and title; Number is 0
	// outside a pull request event. HeadFork says its head branch lives in
	// another repository (a fork), so its name is the fork's.
	Number   int
	Title    string
	HeadFork bool
	// Body, Draft and Labels are the pull request's description, whether
	// it is a draft, and its label names.
	Body   string
	Draft  bool
	Labels []string
	// MergeGroup is set for a merge queue's merge_group event: From and To
	// are then the group's base and head shas (the commits the queue
	// adds), Branch the queue's temporary branch and Base its target.
	MergeGroup bool
	// Actor is the user the run acts for (GITHUB_ACTOR): the user name
	// sent with the GitHub token to ghcr.io. Empty outside CI.
	Actor string
}
