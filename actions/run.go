package actions

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/git"
)

// Options configure Run.
type Options struct {
	// Dir is the directory to act on; its work tree's top level is the
	// repository. Default ".".
	Dir string
	// HTTPClient carries GitHub requests. Default: a plain http.Client.
	HTTPClient *http.Client
}

// InputError is a bad input, event or configuration: the workflow is
// wrong, not shipflow or GitHub.
type InputError struct{ Err error }

func (e *InputError) Error() string { return e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }

func inputErr(format string, a ...any) error {
	return &InputError{Err: fmt.Errorf(format, a...)}
}

// step is what a verb gets: the runner, the event, the repository (nil
// when the verb does not need one) and the configuration.
type step struct {
	r      *Runner
	ev     *Event
	opt    Options
	dir    string
	repo   *git.Repo
	config *config.Config
}

// verb is one `shipflow action` verb.
type verb struct {
	name string
	// aliases are other names of the verb.
	aliases []string
	// needsRepo opens the repository before run.
	needsRepo bool
	run       func(ctx context.Context, s *step) (*Report, error)
}

// verbList is every `shipflow action` verb, in one explicit list. A verb's
// name (or an alias) is the CLI verb it runs, so that `shipflow action X`
// and `shipflow X` are the same operation (TestActionVerbsAreCLIVerbs in
// cmd/shipflow). "commitlint" keeps its name, the directory of its action
// since v0, and answers to the CLI's "lint" too.
var verbList = []verb{
	{name: "commitlint", aliases: []string{"lint"}, needsRepo: true, run: runCommitlint},
	{name: "pr", needsRepo: true, run: runPR},
	{name: "branch", run: runBranch},
	{name: "next", needsRepo: true, run: runNext},
	{name: "changelog", needsRepo: true, run: runChangelog},
	{name: "release", needsRepo: true, run: runRelease},
	{name: "test", needsRepo: true, run: runTest},
	{name: "image", needsRepo: true, run: runImage},
	{name: "image-rollback", run: runImageRollback},
	{name: "image-watch", run: runImageWatch},
	{name: "image-promote", run: runImagePromote},
}

// verbs maps every name and alias of verbList to its verb.
var verbs = func() map[string]verb {
	m := map[string]verb{}
	for _, v := range verbList {
		for _, n := range append([]string{v.name}, v.aliases...) {
			m[n] = v
		}
	}
	return m
}()

// Verbs returns the names of the verbs Run knows, sorted (aliases left out).
func Verbs() []string {
	names := make([]string, 0, len(verbList))
	for _, v := range verbList {
		names = append(names, v.name)
	}
	sort.Strings(names)
	return names
}

// Run runs verb as a GitHub Actions step: it reads the inputs and the
// event, calls the release operation the CLI verb calls, and publishes the
// report (outputs, annotations, job summary, check run or status). The
// report's Conclusion says whether the step should fail.
//
// Errors are returned, and also written as an error annotation so they
// show on the run's page. An *InputError means the workflow or the
// configuration is wrong.
func Run(ctx context.Context, r *Runner, verbName string, opt Options) (*Report, error) {
	rep, err := run(ctx, r, verbName, opt)
	if err != nil {
		r.Annotate([]Annotation{{Level: Failure, Title: "shipflow " + verbName, Message: err.Error()}})
	}
	return rep, err
}

func run(ctx context.Context, r *Runner, verbName string, opt Options) (*Report, error) {
	if verbName == PublishVerb {
		return runPublishSaved(ctx, r, opt)
	}
	v, ok := verbs[verbName]
	if !ok {
		return nil, inputErr("unknown verb %q: use one of %s", verbName, strings.Join(Verbs(), ", "))
	}
	token := r.Input("token")
	r.Mask(token)
	mode := ReportMode(r.Input("report"))
	if mode == "" {
		mode = ReportCheck
	}
	if !slices.Contains([]ReportMode{ReportCheck, ReportStatus, ReportNone}, mode) {
		return nil, inputErr("input report: %q is not check, status or none", mode)
	}
	ev, err := r.Event()
	if err != nil {
		return nil, &InputError{Err: err}
	}
	if opt.Dir == "" {
		opt.Dir = "."
	}
	s := &step{r: r, ev: ev, opt: opt, dir: opt.Dir}
	if err := s.refuseUntrustedCheckout(ctx); err != nil {
		return nil, err
	}
	if v.needsRepo {
		if _, err := s.openRepo(ctx); err != nil {
			return nil, err
		}
	}
	cfg, _, err := config.Load(s.dir)
	if err != nil {
		return nil, &InputError{Err: err}
	}
	s.config = cfg

	rep, err := v.run(ctx, s)
	if err != nil {
		return nil, err
	}
	if rep.Name == "" {
		rep.Name = "shipflow " + verbName
	}
	if name := r.Input("check-name"); name != "" {
		// Matrix jobs of one workflow name their check runs apart.
		if strings.ContainsAny(name, "\r\n") || utf8.RuneCountInString(name) > maxSavedName {
			return nil, inputErr("input check-name: %q must be one line of at most %d characters", name, maxSavedName)
		}
		rep.Name = name
	}
	strict, err := r.BoolInput("strict", false)
	if err != nil {
		return nil, &InputError{Err: err}
	}
	if _, warnings := rep.Counts(); strict && warnings > 0 && rep.Conclusion == Success {
		rep.Conclusion = Failed
	}
	workspace := r.getenv("GITHUB_WORKSPACE")
	if workspace == "" {
		workspace = opt.Dir
	}
	popt := PublishOptions{Mode: mode, Token: token, HTTPClient: opt.HTTPClient, SaveReport: r.Input("save-report"), Workspace: workspace}
	if _, err := r.Publish(ctx, rep, ev, popt); err != nil {
		return rep, err
	}
	return rep, nil
}

// openRepo opens the repository of s.opt.Dir once and makes its top level
// s.dir; verbs that need a repository only for some inputs call it
// themselves.
func (s *step) openRepo(ctx context.Context) (*git.Repo, error) {
	if s.repo != nil {
		return s.repo, nil
	}
	var gopts []git.Option
	if s.r.InActions() {
		// Container jobs (and docker:// steps) see the workspace owned
		// by another user, and git refuses it ("dubious ownership"). The
		// workflow chose this checkout, so trust it, for shipflow's own
		// git runs only (a command-line -c, git 2.39+ honours it).
		gopts = append(gopts, git.WithConfig("safe.directory", "*"))
	}
	repo, err := git.Open(ctx, s.opt.Dir, gopts...)
	if err != nil {
		var nr *git.NotRepoError
		if errors.As(err, &nr) {
			return nil, inputErr("%v (add actions/checkout with `fetch-depth: 0` before this step)", err)
		}
		return nil, err
	}
	s.repo, s.dir = repo, repo.Dir()
	return repo, nil
}
