package github_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/shipflow/shipflow/release/github"
	"github.com/shipflow/shipflow/release/github/githubfake"
)

const token = "ghp_s3cr3tT0kenValue1234567890abcdefXYZ"

// sleeper records waits instead of sleeping.
type sleeper struct{ waits []time.Duration }

func (s *sleeper) sleep(_ context.Context, d time.Duration) error {
	s.waits = append(s.waits, d)
	return nil
}

var clock = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func newClient(t *testing.T, f *githubfake.Server, sl *sleeper, opts ...github.Option) *github.Client {
	t.Helper()
	opts = append([]github.Option{
		github.WithBaseURL(f.URL),
		github.WithSleep(sl.sleep),
		github.WithClock(func() time.Time { return clock }),
	}, opts...)
	c, err := github.New(token, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func newFake(t *testing.T) *githubfake.Server {
	f := githubfake.New(t)
	f.RequireToken(token)
	f.AddRepo("o", "r", githubfake.Permissions{Push: true, Pull: true})
	return f
}

func TestReleaseLifecycle(t *testing.T) {
	ctx := context.Background()
	f := newFake(t)
	c := newClient(t, f, &sleeper{})

	got, err := c.ReleaseByTag(ctx, "o", "r", "v1.2.0")
	if err != nil || got != nil {
		t.Fatalf("ReleaseByTag before creation = %v, %v; want nil, nil", got, err)
	}
	draft, err := c.CreateRelease(ctx, "o", "r", github.NewRelease{Tag: "v1.2.0", Target: "main", Name: "v1.2.0", Draft: true})
	if err != nil {
		t.Fatal(err)
	}
	// Drafts are not found by tag on GitHub: the client must list.
	found, err := c.ReleaseByTag(ctx, "o", "r", "v1.2.0")
	if err != nil {
		t.Fatal(err)
	}
	if found == nil || found.ID != draft.ID || !found.Draft {
		t.Fatalf("ReleaseByTag(draft) = %+v, want draft %d", found, draft.ID)
	}
	if _, err := c.UpdateReleaseNotes(ctx, "o", "r", draft.ID, "v1.2.0", "## notes\n"); err != nil {
		t.Fatal(err)
	}
	pub, err := c.PublishRelease(ctx, "o", "r", draft.ID)
	if err != nil {
		t.Fatal(err)
	}
	if pub.Draft || pub.Body != "## notes\n" {
		t.Errorf("published release = %+v", pub)
	}
	found, err = c.ReleaseByTag(ctx, "o", "r", "v1.2.0")
	if err != nil {
		t.Fatal(err)
	}
	want := &github.Release{ID: draft.ID, Tag: "v1.2.0", Target: "main", Name: "v1.2.0", Body: "## notes\n", HTMLURL: pub.HTMLURL,
		UploadURL: strings.Replace(f.URL, "/api/v3/", "/api/uploads/", 1) + fmt.Sprintf("repos/o/r/releases/%d/assets{?name,label}", draft.ID)}
	if diff := cmp.Diff(want, found); diff != "" {
		t.Errorf("ReleaseByTag(published) mismatch (-want +got):\n%s", diff)
	}

	_, err = c.CreateRelease(ctx, "o", "r", github.NewRelease{Tag: "v1.2.0"})
	if !github.IsValidation(err) {
		t.Fatalf("second CreateRelease error = %v, want a 422", err)
	}
	if want := `creating release "v1.2.0" in o/r: 422 Validation Failed (Release.tag_name already_exists)`; err.Error() != want {
		t.Errorf("error = %q, want %q", err, want)
	}
	if n := len(f.Releases("o", "r")); n != 1 {
		t.Errorf("fake has %d releases, want 1", n)
	}
}

func TestReleaseByTagPaginates(t *testing.T) {
	ctx := context.Background()
	f := newFake(t)
	c := newClient(t, f, &sleeper{})
	f.AddRelease("o", "r", githubfake.Release{TagName: "v0.1.0", Draft: true})
	for i := 1; i <= 150; i++ {
		f.AddRelease("o", "r", githubfake.Release{TagName: fmt.Sprintf("v0.0.%d", i)})
	}
	got, err := c.ReleaseByTag(ctx, "o", "r", "v0.1.0")
	if err != nil {
		t.Fatal(err)
	}
	if got == nil || !got.Draft {
		t.Fatalf("ReleaseByTag = %+v, want the draft on page 2", got)
	}
}

func TestPermissions(t *testing.T) {
	tests := []struct {
		name     string
		perms    githubfake.Permissions
		scopes   string
		hidden   bool
		want     github.Permissions
		wantPush bool
	}{
		{
			name:     "writer",
			perms:    githubfake.Permissions{Push: true, Pull: true},
			want:     github.Permissions{Known: true, Push: true, Pull: true},
			wantPush: true,
		},
		{
			name:  "reader",
			perms: githubfake.Permissions{Pull: true},
			want:  github.Permissions{Known: true, Pull: true},
		},
		{
			name:     "classic token with repo scope",
			perms:    githubfake.Permissions{Admin: true, Push: true, Pull: true},
			scopes:   "read:org, repo",
			want:     github.Permissions{Known: true, Admin: true, Push: true, Pull: true, Scopes: []string{"read:org", "repo"}},
			wantPush: true,
		},
		{
			name:   "app token",
			perms:  githubfake.Permissions{Push: true, Pull: true},
			hidden: true,
			want:   github.Permissions{},
		},
		{
			name:   "classic token without repo scope",
			perms:  githubfake.Permissions{Admin: true, Push: true, Pull: true},
			scopes: "read:org",
			want:   github.Permissions{Known: true, Admin: true, Push: true, Pull: true, Scopes: []string{"read:org"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := githubfake.New(t)
			f.AddRepo("o", "r", tt.perms)
			if tt.hidden {
				f.HidePermissions("o", "r")
			}
			f.SetScopes(tt.scopes)
			c := newClient(t, f, &sleeper{})
			got, err := c.Permissions(context.Background(), "o", "r")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Permissions mismatch (-want +got):\n%s", diff)
			}
			if got.CanPush() != tt.wantPush {
				t.Errorf("CanPush() = %v, want %v", got.CanPush(), tt.wantPush)
			}
		})
	}
}

func TestRetry(t *testing.T) {
	const editRelease = "PATCH /repos/{owner}/{repo}/releases/{release_id}"
	const createRelease = "POST /repos/{owner}/{repo}/releases"
	tests := []struct {
		name      string
		op        string
		n         int
		fault     githubfake.Fault
		wantWaits []time.Duration
		wantErr   string // empty: success
		forbidden bool
		ratelimit bool
	}{
		{
			name:      "5xx backs off and succeeds",
			op:        editRelease,
			n:         2,
			fault:     githubfake.Fault{Status: 502},
			wantWaits: []time.Duration{time.Second, 2 * time.Second},
		},
		{
			name:      "503 with Retry-After",
			op:        editRelease,
			n:         1,
			fault:     githubfake.Fault{Status: 503, RetryAfter: 5 * time.Second},
			wantWaits: []time.Duration{5 * time.Second},
		},
		{
			name:      "5xx gives up after 3 retries",
			op:        editRelease,
			n:         10,
			fault:     githubfake.Fault{Status: 503},
			wantWaits: []time.Duration{time.Second, 2 * time.Second, 4 * time.Second},
			wantErr:   `publishing release 1001 in o/r: 503 Service Unavailable`,
		},
		{
			name:      "secondary rate limit honours Retry-After",
			op:        editRelease,
			n:         1,
			fault:     githubfake.Fault{Status: 403, RetryAfter: 7 * time.Second},
			wantWaits: []time.Duration{7 * time.Second},
		},
		{
			name:      "secondary rate limit on a POST retries too",
			op:        createRelease,
			n:         1,
			fault:     githubfake.Fault{Status: 429, RetryAfter: 3 * time.Second},
			wantWaits: []time.Duration{3 * time.Second},
		},
		{
			name:      "primary rate limit waits for X-RateLimit-Reset",
			op:        editRelease,
			n:         1,
			fault:     githubfake.Fault{Status: 403, RateLimitReset: clock.Add(30 * time.Second)},
			wantWaits: []time.Duration{31 * time.Second},
		},
		{
			name:      "Retry-After beyond the bound is not waited for",
			op:        editRelease,
			n:         1,
			fault:     githubfake.Fault{Status: 403, RetryAfter: time.Hour},
			wantErr:   "publishing release 1001 in o/r: 403 You have exceeded a secondary rate limit",
			ratelimit: true,
		},
		{
			name:    "POST is not retried on 5xx",
			op:      createRelease,
			n:       1,
			fault:   githubfake.Fault{Status: 500},
			wantErr: `creating release "v9.9.9" in o/r: 500 Internal Server Error`,
		},
		{
			name:      "403 is final and forbidden",
			op:        editRelease,
			n:         1,
			fault:     githubfake.Fault{Status: 403},
			wantErr:   "publishing release 1001 in o/r: 403 Resource not accessible by integration",
			forbidden: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			f := newFake(t)
			id := f.AddRelease("o", "r", githubfake.Release{TagName: "v1.0.0", Draft: true})
			sl := &sleeper{}
			c := newClient(t, f, sl)
			f.Fail(tt.op, tt.n, tt.fault)
			var err error
			if tt.op == createRelease {
				_, err = c.CreateRelease(ctx, "o", "r", github.NewRelease{Tag: "v9.9.9"})
			} else {
				_, err = c.PublishRelease(ctx, "o", "r", id)
			}
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tt.wantErr != "" && (err == nil || !strings.HasPrefix(err.Error(), tt.wantErr)):
				t.Fatalf("error = %v, want prefix %q", err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.wantWaits, sl.waits, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("waits mismatch (-want +got):\n%s", diff)
			}
			if got := github.IsForbidden(err); got != tt.forbidden {
				t.Errorf("IsForbidden = %v, want %v", got, tt.forbidden)
			}
			var ge *github.Error
			if errors.As(err, &ge) && ge.RateLimited != tt.ratelimit {
				t.Errorf("RateLimited = %v, want %v", ge.RateLimited, tt.ratelimit)
			}
			if tt.wantErr == "" && tt.op == editRelease {
				if rels := f.Releases("o", "r"); rels[0].Draft {
					t.Errorf("release still a draft after retries")
				}
			}
		})
	}
}

func TestCheckRunBatchesAnnotations(t *testing.T) {
	ctx := context.Background()
	f := newFake(t)
	c := newClient(t, f, &sleeper{})
	var anns []github.Annotation
	for i := 1; i <= 120; i++ {
		anns = append(anns, github.Annotation{Path: "a.go", StartLine: i, Level: "warning", Message: fmt.Sprintf("m%d", i)})
	}
	summary := strings.Repeat("é", 70000)
	id, err := c.CreateCheckRun(ctx, "o", "r", github.CheckRun{
		Name: "shipflow", HeadSHA: strings.Repeat("a", 40), Status: "completed", Conclusion: "failure",
		Title: "lint", Summary: summary, Annotations: anns,
	})
	if err != nil {
		t.Fatal(err)
	}
	runs := f.CheckRuns("o", "r")
	if len(runs) != 1 || runs[0].ID != id {
		t.Fatalf("fake check runs = %+v, want one with id %d", runs, id)
	}
	if n := len(runs[0].Annotations); n != 120 {
		t.Errorf("fake holds %d annotations, want 120", n)
	}
	for i, a := range runs[0].Annotations {
		if a.Message != fmt.Sprintf("m%d", i+1) {
			t.Fatalf("annotation %d = %q, order lost", i, a.Message)
		}
	}
	if n := len([]rune(runs[0].Summary)); n > github.MaxSummary || !strings.HasSuffix(runs[0].Summary, "65535 characters)") {
		t.Errorf("summary is %d characters ending %q, want ≤ %d with the truncation marker", n, runs[0].Summary[len(runs[0].Summary)-20:], github.MaxSummary)
	}
	var ops []string
	for _, call := range f.Calls() {
		ops = append(ops, call.Operation)
	}
	want := []string{
		"POST /repos/{owner}/{repo}/check-runs",
		"PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}",
		"PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}",
	}
	if diff := cmp.Diff(want, ops); diff != "" {
		t.Errorf("calls mismatch (-want +got):\n%s", diff)
	}

	// Updating adds the next annotations.
	if err := c.UpdateCheckRun(ctx, "o", "r", id, github.CheckRun{Name: "shipflow", Title: "lint", Summary: "s", Annotations: anns[:60]}); err != nil {
		t.Fatal(err)
	}
	if n := len(f.CheckRuns("o", "r")[0].Annotations); n != 180 {
		t.Errorf("after update the fake holds %d annotations, want 180", n)
	}
}

func TestCreateStatusTruncatesDescription(t *testing.T) {
	ctx := context.Background()
	f := newFake(t)
	c := newClient(t, f, &sleeper{})
	sha := strings.Repeat("b", 40)
	desc := strings.Repeat("ü", 200)
	if err := c.CreateStatus(ctx, "o", "r", sha, github.Status{State: "failure", Context: "shipflow/lint", Description: desc}); err != nil {
		t.Fatal(err)
	}
	sts := f.Statuses("o", "r")
	if len(sts) != 1 {
		t.Fatalf("fake has %d statuses, want 1", len(sts))
	}
	got := sts[0].Description
	if n := len([]rune(got)); n != github.MaxStatusDescription || !strings.HasSuffix(got, "…") {
		t.Errorf("description has %d characters (%q...), want %d ending in …", n, got[:10], github.MaxStatusDescription)
	}
}

func TestForbiddenCheckRun(t *testing.T) {
	f := githubfake.New(t)
	f.AddRepo("o", "r", githubfake.Permissions{Pull: true})
	c := newClient(t, f, &sleeper{})
	_, err := c.CreateCheckRun(context.Background(), "o", "r", github.CheckRun{Name: "x", HeadSHA: strings.Repeat("c", 40)})
	if !github.IsForbidden(err) {
		t.Fatalf("error = %v, want forbidden", err)
	}
	want := `creating check run "x" in o/r: 403 Resource not accessible by integration (the token needs checks=write)`
	if err.Error() != want {
		t.Errorf("error = %q, want %q", err, want)
	}
	err = c.CreateStatus(context.Background(), "o", "r", strings.Repeat("c", 40), github.Status{State: "success", Context: "ci"})
	if !github.IsForbidden(err) || !strings.HasSuffix(err.Error(), "(the token needs statuses=write)") {
		t.Errorf("CreateStatus error = %v, want forbidden needing statuses=write", err)
	}
}

// TestTokenNeverInErrors makes requests fail in every way with a token set,
// including a server that echoes the Authorization header back, and checks
// the token appears nowhere in the error chain.
func TestTokenNeverInErrors(t *testing.T) {
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, `{"message":"bad credentials %s","errors":[{"resource":"x","code":"custom","message":"got %s"}]}`,
			r.Header.Get("Authorization"), r.Header.Get("Authorization"))
	}))
	defer echo.Close()
	closed := httptest.NewServer(http.NotFoundHandler())
	closedURL := closed.URL
	closed.Close()
	f := newFake(t)
	f.Fail("GET /repos/{owner}/{repo}", 1, githubfake.Fault{Status: 403})

	tests := []struct {
		name string
		base string
	}{
		{"403 from the fake", f.URL},
		{"server echoes the token", echo.URL + "/api/v3/"},
		{"connection refused", closedURL + "/api/v3/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := github.New(token, github.WithBaseURL(tt.base), github.WithSleep((&sleeper{}).sleep))
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.Permissions(context.Background(), "o", "r")
			if err == nil {
				t.Fatal("no error")
			}
			for e := err; e != nil; e = errors.Unwrap(e) {
				for _, s := range []string{e.Error(), fmt.Sprintf("%+v", e), fmt.Sprintf("%#v", e)} {
					if strings.Contains(s, token) {
						t.Errorf("token leaked in %T: %s", e, s)
					}
				}
			}
			if !strings.HasPrefix(err.Error(), "reading permissions of o/r: ") {
				t.Errorf("error %q does not say what was attempted", err)
			}
		})
	}

	_, err := github.New(token, github.WithBaseURL("https://x-access-token:"+token+"@ghe.example.com/api/v3/"))
	if err == nil || strings.Contains(err.Error(), token) {
		t.Errorf("New with credentials in the URL: error %v, want one without the token", err)
	}
}

func TestEnterpriseBaseURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://ghe.example.com", "https://ghe.example.com/api/v3/"},
		{"https://ghe.example.com/api/v3", "https://ghe.example.com/api/v3/"},
		{"https://api.github.com/", "https://api.github.com/"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			c, err := github.New("", github.WithBaseURL(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if got := c.BaseURL(); got != tt.want {
				t.Errorf("BaseURL() = %q, want %q", got, tt.want)
			}
		})
	}
	if _, err := github.New("", github.WithBaseURL("ftp://x")); err == nil {
		t.Error("New accepted an ftp base URL")
	}
}

// BenchmarkCreateStatus measures one call through the client and the fake,
// with the fake validating request and response against the description.
func BenchmarkCreateStatus(b *testing.B) {
	f := githubfake.New(b)
	f.AddRepo("o", "r", githubfake.Permissions{Push: true})
	c, err := github.New(token, github.WithBaseURL(f.URL))
	if err != nil {
		b.Fatal(err)
	}
	sha := strings.Repeat("d", 40)
	for b.Loop() {
		if err := c.CreateStatus(context.Background(), "o", "r", sha, github.Status{State: "success", Context: "ci"}); err != nil {
			b.Fatal(err)
		}
	}
}
