package githubfake

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// recorder stands in for the test the fake reports to.
type recorder struct {
	testing.TB
	errs []string
}

func (r *recorder) Errorf(format string, a ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, a...))
}
func (r *recorder) Fatalf(format string, a ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, a...))
}

func do(t *testing.T, method, url, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestFakeCatchesClientMistakes(t *testing.T) {
	tests := []struct {
		name     string
		method   string
		path     string // relative to the server root
		body     string
		wantErr  string // in what the fake reports; empty: nothing reported
		wantCode int
	}{
		{
			name: "valid status", method: "POST", path: "/api/v3/repos/o/r/statuses/abc",
			body: `{"state":"success","context":"ci"}`, wantCode: 201,
		},
		{
			name: "absolute URL outside the base path", method: "GET", path: "/repos/o/r",
			wantErr: "outside the base path", wantCode: 404,
		},
		{
			name: "operation not in the description", method: "DELETE", path: "/api/v3/repos/o/r",
			wantErr: "not an operation of the REST description", wantCode: 404,
		},
		{
			name: "bad enum in the body", method: "POST", path: "/api/v3/repos/o/r/statuses/abc",
			body: `{"state":"great"}`, wantErr: "request does not match", wantCode: 422,
		},
		{
			name: "too many annotations", method: "POST", path: "/api/v3/repos/o/r/check-runs",
			body: `{"name":"x","head_sha":"abc","output":{"title":"t","summary":"s","annotations":[` +
				strings.TrimSuffix(strings.Repeat(`{"path":"a","start_line":1,"end_line":1,"annotation_level":"notice","message":"m"},`, 51), ",") + `]}}`,
			wantErr: "request does not match", wantCode: 422,
		},
		{
			name: "missing required field", method: "POST", path: "/api/v3/repos/o/r/check-runs",
			body: `{"name":"x"}`, wantErr: "request does not match", wantCode: 422,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{TB: t}
			s := New(rec)
			s.AddRepo("o", "r", Permissions{Push: true, Pull: true})
			code, body := do(t, tt.method, strings.TrimSuffix(s.URL, BasePath)+tt.path, tt.body)
			if code != tt.wantCode {
				t.Errorf("status %d (%s), want %d", code, body, tt.wantCode)
			}
			reported := strings.Join(rec.errs, "\n")
			switch {
			case tt.wantErr == "" && reported != "":
				t.Errorf("fake reported %q, want nothing", reported)
			case tt.wantErr != "" && !strings.Contains(reported, tt.wantErr):
				t.Errorf("fake reported %q, want %q", reported, tt.wantErr)
			}
			if calls := s.Calls(); len(calls) != 1 {
				t.Errorf("recorded %d calls, want 1", len(calls))
			}
		})
	}
}

func TestFakeValidatesResponses(t *testing.T) {
	rec := &recorder{TB: t}
	s := New(rec)
	s.AddRepo("o", "r", Permissions{Push: true})
	// A state GitHub never reports: the fake's own answer must be refused.
	s.repos["o/r"].checkRuns = append(s.repos["o/r"].checkRuns, &CheckRun{ID: 7, Name: "x", HeadSHA: "abc", Status: "exploded"})
	do(t, "GET", s.URL+"repos/o/r/check-runs/7", "")
	if got := strings.Join(rec.errs, "\n"); !strings.Contains(got, "response 200 does not match") {
		t.Errorf("fake reported %q, want a response validation failure", got)
	}
}

func TestFailUnknownOperation(t *testing.T) {
	rec := &recorder{TB: t}
	s := New(rec)
	s.Fail("DELETE /repos/{owner}/{repo}/releases", 1, Fault{Status: 500})
	if len(rec.errs) != 1 || !strings.Contains(rec.errs[0], "no such operation") {
		t.Errorf("fake reported %q, want no such operation", rec.errs)
	}
}

func TestFaultsCountDown(t *testing.T) {
	s := New(t)
	s.AddRepo("o", "r", Permissions{Pull: true})
	s.Fail("GET /repos/{owner}/{repo}", 2, Fault{Status: 502})
	var codes []int
	for range 3 {
		code, _ := do(t, "GET", s.URL+"repos/o/r", "")
		codes = append(codes, code)
	}
	if fmt.Sprint(codes) != "[502 502 200]" {
		t.Errorf("codes = %v, want [502 502 200]", codes)
	}
}

func BenchmarkLoadDescription(b *testing.B) {
	for b.Loop() {
		loadOnce = sync.Once{}
		if _, _, err := load(); err != nil {
			b.Fatal(err)
		}
	}
}
