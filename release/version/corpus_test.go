package version

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/shipflow/shipflow/internal/jsonl"
)

// corpusPair is one release of testdata/corpus.jsonl.gz (see gen.go): the
// commits between two real stable tags and the bumps rule sets predict.
type corpusPair struct {
	Repo          string            `json:"repo"`
	PrevTag       string            `json:"prev_tag"`
	NextTag       string            `json:"next_tag"`
	ActualBump    string            `json:"actual_bump"`
	PredictedBump map[string]string `json:"predicted_bump"`
	Commits       []struct {
		Hash           string  `json:"hash"`
		Subject        string  `json:"subject"`
		Merge          bool    `json:"merge"`
		BreakingFooter bool    `json:"breaking_footer"`
		Bang           bool    `json:"bang"`
		Reverts        *string `json:"reverts"`
	} `json:"commits"`
}

func readCorpus(t testing.TB) []corpusPair {
	t.Helper()
	return jsonl.ReadGzip[corpusPair](t, "testdata/corpus.jsonl.gz")
}

// message rebuilds a commit message from the corpus fields: the subject,
// git's revert line and a breaking-change footer.
func (p corpusPair) messages() []Commit {
	out := make([]Commit, len(p.Commits))
	for i, c := range p.Commits {
		msg := c.Subject
		if c.Reverts != nil {
			msg += "\n\nThis reverts commit " + *c.Reverts + "."
		}
		if c.BreakingFooter {
			msg += "\n\nBREAKING CHANGE: see the commit body"
		}
		out[i] = Commit{Hash: c.Hash, Merge: c.Merge, Parsed: parse(msg)}
	}
	return out
}

func (p corpusPair) prefix() string {
	if strings.HasPrefix(p.PrevTag, "v") {
		return "v"
	}
	return ""
}

var bumpRank = map[string]Bump{"none": None, "patch": Patch, "minor": Minor, "major": Major}

// TestCorpus replays the 1,205 real release ranges of the shared corpus
// through Next with the default rules.
//
// Our defaults are the corpus' plain Conventional Commits rules with
// breaking → minor while 0.x (plain_full_0x_breaking_minor) and a commit
// and its revert cancelling out (plain_full_cancel_reverts); both
// restrictions hold at once, so the expected bump is the smaller of the two
// predictions. Where our defaults add to the plain rules by design (perf →
// patch, a revert of a released commit → patch) the bump may be higher, and
// then a commit's reason must say so.
func TestCorpus(t *testing.T) {
	pairs := readCorpus(t)
	if len(pairs) != 1205 {
		t.Fatalf("corpus has %d pairs, want 1205", len(pairs))
	}
	type score struct{ n, plainAgree, oursAgree, byDesign int }
	scores := map[string]*score{}
	for _, p := range pairs {
		name := p.Repo + "@" + p.PrevTag + ".." + p.NextTag
		in := Input{
			Prefix: p.prefix(), Branch: "main",
			Tags: []string{p.PrevTag}, Reachable: []string{p.PrevTag},
			Commits: p.messages(),
		}
		plan, err := Next(in, DefaultRules())
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if plan.CurrentTag != p.PrevTag {
			t.Errorf("%s: current tag %q, want %q", name, plan.CurrentTag, p.PrevTag)
		}
		for i, d := range plan.Commits {
			if d.Reason == "" {
				t.Errorf("%s: commit %s %q has no reason", name, p.Commits[i].Hash[:7], p.Commits[i].Subject)
			}
		}
		want := min(bumpRank[p.PredictedBump["plain_full_0x_breaking_minor"]], bumpRank[p.PredictedBump["plain_full_cancel_reverts"]])
		s := scores[p.Repo]
		if s == nil {
			s = &score{}
			scores[p.Repo] = s
		}
		s.n++
		if p.PredictedBump["plain_full"] == p.ActualBump {
			s.plainAgree++
		}
		if plan.Bump.String() == p.ActualBump {
			s.oursAgree++
		}
		switch {
		case plan.Bump == want:
		case plan.Bump == Patch && want == None && slices.ContainsFunc(plan.Commits, byDesignPatch):
			s.byDesign++
		default:
			t.Errorf("%s: bump %s, want %s (plain rules); reasons:\n%s", name, plan.Bump, want, reasons(plan))
		}
		// Next must follow from the bump.
		if plan.Bump == None {
			if plan.Next != nil {
				t.Errorf("%s: bump none but next %s", name, plan.Next)
			}
		} else if plan.Next == nil || plan.NextTag != p.prefix()+apply(plan.Current, plan.Bump).String() {
			t.Errorf("%s: bump %s from %s gave next tag %q", name, plan.Bump, p.PrevTag, plan.NextTag)
		}
	}
	repos := make([]string, 0, len(scores))
	for r := range scores {
		repos = append(repos, r)
	}
	slices.Sort(repos)
	var total score
	for _, r := range repos {
		s := scores[r]
		t.Logf("%-36s %4d pairs: actual bump matched by ours %5.1f%%, by plain rules %5.1f%%; %d patch releases by design (perf, reverts)",
			r, s.n, pct(s.oursAgree, s.n), pct(s.plainAgree, s.n), s.byDesign)
		total.n += s.n
		total.oursAgree += s.oursAgree
		total.plainAgree += s.plainAgree
		total.byDesign += s.byDesign
	}
	t.Logf("%-36s %4d pairs: actual bump matched by ours %5.1f%%, by plain rules %5.1f%%; %d patch releases by design (perf, reverts)",
		"all", total.n, pct(total.oursAgree, total.n), pct(total.plainAgree, total.n), total.byDesign)
}

// byDesignPatch reports a commit that our defaults release as a patch where
// the plain Conventional Commits rules do not.
func byDesignPatch(d Decision) bool {
	return d.Bump == Patch && (strings.HasPrefix(d.Reason, "perf → ") || strings.HasPrefix(d.Reason, "reverts "))
}

func reasons(p *Plan) string {
	var b strings.Builder
	for _, d := range p.Commits {
		fmt.Fprintf(&b, "  %s %-5s %q: %s\n", d.Commit.Short(), d.Bump, d.Commit.Parsed.Header, d.Reason)
	}
	return b.String()
}

func pct(a, n int) float64 {
	if n == 0 {
		return 0
	}
	return 100 * float64(a) / float64(n)
}
