package branch

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCheckDefaultPolicy(t *testing.T) {
	type want struct {
		allowed  bool
		skipped  bool
		headKind string
		baseKind string
		rules    []string
	}
	cases := []struct {
		name       string
		head, base string
		want       want
	}{
		{"feature to dev", "feature/add-login", "dev", want{true, false, "feature/*", "dev", nil}},
		{"feature nested parts", "feature/tts/speech-cache_v2.1", "dev", want{true, false, "feature/*", "dev", nil}},
		{"feature to main", "feature/add-login", "main", want{false, false, "feature/*", "main", []string{RuleFlow}}},
		{"dev to main", "dev", "main", want{true, false, "dev", "main", nil}},
		{"dev to dev", "dev", "dev", want{false, false, "dev", "dev", []string{RuleFlow}}},
		{"main to dev sync", "main", "dev", want{true, false, "main", "dev", nil}},
		{"hotfix to main", "hotfix/cve-2024-1", "main", want{true, false, "hotfix/*", "main", nil}},
		{"hotfix back-merge to dev", "hotfix/cve-2024-1", "dev", want{true, false, "hotfix/*", "dev", nil}},
		{"dependabot to dev", "dependabot/npm_and_yarn/@types/node-20.1.0", "dev", want{true, false, "dependabot/*", "dev", nil}},
		{"dependabot to main", "dependabot/go_modules/golang.org/x/net-0.23.0", "main", want{false, false, "dependabot/*", "main", []string{RuleFlow}}},
		{"renovate to dev", "renovate/lodash-4.x", "dev", want{true, false, "renovate/*", "dev", nil}},
		{"release PR to main", "shipflow/release-main", "main", want{true, false, "shipflow/*", "main", nil}},
		{"release PR to dev", "shipflow/release-main", "dev", want{false, false, "shipflow/*", "dev", []string{RuleFlow}}},
		{"merge queue skipped", "gh-readonly-queue/main/pr-12-0123456789abcdef", "main", want{true, true, "gh-readonly-queue/*", "", nil}},
		{"refs heads stripped", "refs/heads/feature/x", "refs/heads/dev", want{true, false, "feature/*", "dev", nil}},
		{"refs heads stripped once", "refs/heads/refs/heads/feature/x", "dev", want{false, false, "", "dev", []string{RuleHeadKind}}},
		{"remote head not stripped", "origin/feature/x", "dev", want{false, false, "", "dev", []string{RuleHeadKind}}},
		{"remote base not stripped", "feature/x", "origin/dev", want{false, false, "feature/*", "", []string{RuleBaseKind}}},
		{"release not in model", "release/1.2", "main", want{false, false, "", "main", []string{RuleHeadKind}}},
		{"bugfix not in model", "bugfix/x", "dev", want{false, false, "", "dev", []string{RuleHeadKind}}},
		{"develop not in model", "develop", "main", want{false, false, "", "main", []string{RuleHeadKind}}},
		{"master base not in model", "feature/x", "master", want{false, false, "feature/*", "", []string{RuleBaseKind}}},
		{"prefix case-sensitive", "Feature/x", "dev", want{false, false, "", "dev", []string{RuleHeadKind}}},
		{"bare prefix", "feature", "dev", want{false, false, "", "dev", []string{RuleHeadKind}}},
		{"empty tail", "feature/", "dev", want{false, false, "feature/*", "dev", []string{RuleName}}},
		{"space in name", "feature/Add thing", "dev", want{false, false, "feature/*", "dev", []string{RuleName}}},
		{"tail starts with dash", "feature/-x", "dev", want{false, false, "feature/*", "dev", []string{RuleName}}},
		{"tail part starts with dot", "feature/a/.b", "dev", want{false, false, "feature/*", "dev", []string{RuleName}}},
		{"non-ASCII tail", "feature/café", "dev", want{false, false, "feature/*", "dev", []string{RuleName}}},
		{"double dot git rule", "feature/a..b", "dev", want{false, false, "feature/*", "dev", []string{RuleName}}},
		{"lock suffix git rule", "hotfix/x.lock", "main", want{false, false, "hotfix/*", "main", []string{RuleName}}},
		{"trailing dot git rule", "feature/x.", "dev", want{false, false, "feature/*", "dev", []string{RuleName}}},
		{"double slash", "feature/a//b", "dev", want{false, false, "feature/*", "dev", []string{RuleName}}},
		{"100 characters", "feature/" + strings.Repeat("a", 92), "dev", want{true, false, "feature/*", "dev", nil}},
		{"101 characters", "feature/" + strings.Repeat("a", 93), "dev", want{false, false, "feature/*", "dev", []string{RuleLength}}},
		{"bad name and wrong base", "feature/a b", "main", want{false, false, "feature/*", "main", []string{RuleName, RuleFlow}}},
		{"bot name with git-invalid char", "renovate/a~b", "dev", want{false, false, "renovate/*", "dev", []string{RuleName}}},
		{"empty head", "", "dev", want{false, false, "", "dev", []string{RuleHeadKind}}},
	}
	p := DefaultPolicy()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := Check(c.head, c.base, p)
			var rules []string
			for _, f := range r.Findings {
				rules = append(rules, f.Rule)
				if f.Message == "" {
					t.Errorf("finding %s has no message", f.Rule)
				}
			}
			got := want{r.Allowed, r.Skipped, r.HeadKind, r.BaseKind, rules}
			if diff := cmp.Diff(c.want, got, cmp.AllowUnexported(want{})); diff != "" {
				t.Errorf("Check(%q, %q) mismatch (-want +got):\n%s\nfindings: %+v", c.head, c.base, diff, r.Findings)
			}
		})
	}
}

func TestCheckMessages(t *testing.T) {
	cases := []struct {
		name       string
		head, base string
		want       []Finding
	}{
		{
			name: "flow names the rule and the allowed bases",
			head: "feature/x", base: "main",
			want: []Finding{{
				Rule: RuleFlow, Branch: "feature/x",
				Message: "feature/* may only target dev; it targets main",
				Fix:     "change the pull request's base to dev",
				Allowed: []string{"dev"},
			}},
		},
		{
			name: "bad character has a place",
			head: "feature/Add thing", base: "dev",
			want: []Finding{{
				Rule: RuleName, Branch: "feature/Add thing", Column: 12,
				Message: `' ' (space) is not allowed; parts after "feature/" use only A-Z a-z 0-9 . _ -`,
			}},
		},
		{
			name: "case hint",
			head: "Feature/Login", base: "dev",
			want: []Finding{{
				Rule: RuleHeadKind, Branch: "Feature/Login",
				Message: `head branch is not part of the model; allowed heads are feature/*, hotfix/*, dev, main, dependabot/*, renovate/*, shipflow/*`,
				Fix:     `branch names are case-sensitive: did you mean "feature/Login"?`,
				Allowed: []string{"feature/*", "hotfix/*", "dev", "main", "dependabot/*", "renovate/*", "shipflow/*"},
			}},
		},
		{
			name: "remote hint",
			head: "hotfix/x", base: "origin/main",
			want: []Finding{{
				Rule: RuleBaseKind, Branch: "origin/main",
				Message: `base branch is not part of the model; allowed bases are dev, main`,
				Fix:     `"origin/main" looks like a remote-tracking name; pass the branch name "main" without the remote "origin"`,
				Allowed: []string{"dev", "main"},
			}},
		},
		{
			name: "length",
			head: "hotfix/" + strings.Repeat("b", 94), base: "main",
			want: []Finding{{
				Rule: RuleLength, Branch: "hotfix/" + strings.Repeat("b", 94), Column: 101,
				Message: "name is 101 characters, limit is 100",
			}},
		},
		{
			name: "hotfix into a third base lists both",
			head: "hotfix/x", base: "feature/y",
			want: []Finding{{
				Rule: RuleBaseKind, Branch: "feature/y",
				Message: `base branch is not part of the model; allowed bases are dev, main`,
				Allowed: []string{"dev", "main"},
			}},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Check(c.head, c.base, DefaultPolicy()).Findings
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("findings mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCheckConfiguredPolicy(t *testing.T) {
	p := DefaultPolicy()
	p.Flows = append(p.Flows,
		Flow{Head: "release/*", Bases: []string{"main"}},
		Flow{Head: "feature/special", Bases: []string{"main"}},
	)
	p.StrictNames = append(p.StrictNames, "release/*")
	p.MaxLength = 20
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		head, base string
		allowed    bool
		kind       string
	}{
		{"release/1.2", "main", true, "release/*"},
		{"release/1.2", "dev", false, "release/*"},
		{"release/1.2 x", "main", false, "release/*"},
		{"feature/special", "main", true, "feature/special"}, // exact wins over the pattern
		{"feature/other", "main", false, "feature/*"},
		{"feature/abcdefghijklm", "dev", false, "feature/*"}, // 21 characters
	}
	for _, c := range cases {
		r := Check(c.head, c.base, p)
		if r.Allowed != c.allowed || r.HeadKind != c.kind {
			t.Errorf("Check(%q, %q) = allowed %v kind %q, want %v %q; findings %+v", c.head, c.base, r.Allowed, r.HeadKind, c.allowed, c.kind, r.Findings)
		}
	}
}

func TestPolicyValidate(t *testing.T) {
	cases := []struct {
		name    string
		p       Policy
		wantErr string
	}{
		{"default", DefaultPolicy(), ""},
		{"bad head", Policy{Flows: []Flow{{Head: "feat ure/*", Bases: []string{"dev"}}}}, `flow head: pattern "feat ure/*"`},
		{"glob in the middle", Policy{Flows: []Flow{{Head: "f*/x", Bases: []string{"dev"}}}}, `pattern "f*/x"`},
		{"bad base", Policy{Flows: []Flow{{Head: "dev", Bases: []string{"ma..in"}}}}, `base of "dev": pattern "ma..in"`},
		{"duplicate", Policy{Flows: []Flow{{Head: "dev", Bases: []string{"main"}}, {Head: "dev"}}}, `flow head "dev" is listed twice`},
		{"negative length", Policy{MaxLength: -1}, "max length -1 is negative"},
		{"no flows", Policy{Flows: []Flow{}}, "the model has no flows, so every branch would be rejected"},
		{"zero policy", Policy{}, "the model has no flows"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.p.Validate()
			switch {
			case c.wantErr == "" && err != nil:
				t.Fatalf("Validate() = %v, want nil", err)
			case c.wantErr != "" && (err == nil || !strings.Contains(err.Error(), c.wantErr)):
				t.Fatalf("Validate() = %v, want error containing %q", err, c.wantErr)
			}
		})
	}
}

func TestCheckFork(t *testing.T) {
	cases := []struct {
		name, head, base string
		allowed          bool
		rules            []string
	}{
		{"fork feature into dev", "feature/x", "dev", true, nil},
		{"fork main into dev is feature work, not a sync", "main", "dev", true, nil},
		{"fork any name into dev", "patch-1", "dev", true, nil},
		{"fork dev into main is not a release", "dev", "main", false, []string{RuleFork}},
		{"fork hotfix into main", "hotfix/x", "main", false, []string{RuleFork}},
		{"fork merge-queue name is not skipped", "gh-readonly-queue/main/pr-1-abc", "main", false, []string{RuleFork}},
		{"fork bad git name", "a..b", "dev", false, []string{RuleName}},
		{"fork refs heads stripped", "refs/heads/main", "refs/heads/dev", true, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := Check(c.head, c.base, DefaultPolicy(), FromFork("dev"))
			var rules []string
			for _, f := range r.Findings {
				rules = append(rules, f.Rule)
			}
			if r.Allowed != c.allowed || !cmp.Equal(rules, c.rules) || r.HeadKind != "fork" || r.Skipped {
				t.Errorf("Check(%q, %q, fork) = allowed %v kind %q rules %v, want %v %v; findings %+v", c.head, c.base, r.Allowed, r.HeadKind, rules, c.allowed, c.rules, r.Findings)
			}
		})
	}
	got := Check("dev", "main", DefaultPolicy(), FromFork("dev")).Findings
	want := []Finding{{
		Rule: RuleFork, Branch: "dev",
		Message: "a fork's branch is outside this repository's model and counts as feature work: it may only target dev; it targets main",
		Fix:     "change the pull request's base to dev (releases and syncs are made from this repository's own branches)",
		Allowed: []string{"dev"},
	}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("message (-want +got):\n%s", diff)
	}
	if r := Check("dev", "main", DefaultPolicy()); !r.Allowed {
		t.Errorf("without FromFork dev → main is a release: %+v", r.Findings)
	}
}

func TestFindingsPointInsideTheName(t *testing.T) {
	for _, name := range []string{"feature/Add thing", "feature/é/x y", "hotfix/a..b", "feature/x.lock", "feature//", "feature/a/", "renovate/a:b"} {
		for _, f := range Check(name, "dev", DefaultPolicy()).Findings {
			if f.Rule != RuleName {
				continue
			}
			n := len([]rune(name))
			if f.Column < 0 || f.Column > n {
				t.Errorf("%q: column %d outside 1..%d", name, f.Column, n)
			}
		}
	}
}
