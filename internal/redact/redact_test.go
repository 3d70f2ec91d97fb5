package redact_test

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/shipflow/shipflow/internal/redact"
)

const (
	sentinel = "ghp_SENTINEL0123456789abcdefghijABCDEFGHIJ"
	deploy   = "deploy-Key-42-xyz"
)

var environ = []string{
	"GITHUB_TOKEN=" + sentinel,
	"my_deploy_token=" + deploy,
	"DB_PASSWORD=hunter2hunter2",
	"QUOTED_SECRET=a<b\"c-secret",
	"SIGNING_SECRET=line-one-secret\nline-two-secret\n",
	"SKIP_TOKEN_CHECK=1",
	"HOME=/home/someone",
}

func TestString(t *testing.T) {
	r := redact.New(environ)
	tests := []struct{ name, in, want string }{
		{"environment token", "Authorization: Bearer " + sentinel, "Authorization: Bearer ***"},
		{"lower-case name", "push to https://x:" + deploy + "@host/r", "push to https://x:***@host/r"},
		{"password", "pw=hunter2hunter2!", "pw=***!"},
		{"multi-line secret, line by line", "a line-two-secret b", "a *** b"},
		{"short values are not secrets", "exit 1, 1 error", "exit 1, 1 error"},
		{"other variables are not secrets", "/home/someone/x", "/home/someone/x"},
		{"token shape from nowhere", "x ghs_abcdefghijABCDEFGHIJ0123456789zz y", "x *** y"},
		{"fine-grained token", "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz", "***"},
		{"token glued to text", "TOKEN=ghu_abcdefghijABCDEFGHIJ0123456789zz,", "TOKEN=***,"},
		{"words that look alike", "ghs_config gh_pages github_path", "ghs_config gh_pages github_path"},
		{"markdown-escaped token", `| log in with ghp\_SENTINEL0123456789abcdefghijABCDEFGHIJ |`, "| log in with *** |"},
		{"markdown-escaped secret", `x a\<b\"c\-secret y`, "x *** y"},
		{"HTML-escaped secret", "x=a&lt;b&#34;c-secret", "x=***"},
		{"JSON-escaped secret", `{"v":"a<b\"c-secret"}`, `{"v":"***"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := r.String(tt.in); got != tt.want {
				t.Errorf("String(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestNilRedactsTokenShapes(t *testing.T) {
	var r *redact.Redactor
	r.Add("ignored-secret")
	if got := r.String("a " + sentinel + " ignored-secret"); got != "a *** ignored-secret" {
		t.Errorf("nil String = %q", got)
	}
	if got := redact.String(sentinel); got != "***" {
		t.Errorf("String = %q", got)
	}
}

func TestFromGetenv(t *testing.T) {
	env := map[string]string{"GITHUB_TOKEN": sentinel, "INPUT_TOKEN": deploy, "GITHUB_REPOSITORY": "o/repository"}
	r := redact.FromGetenv(func(k string) string { return env[k] }, "GITHUB_TOKEN", "INPUT_TOKEN", "GITHUB_REPOSITORY")
	if got := r.String(sentinel + " " + deploy + " o/repository"); got != "*** *** o/repository" {
		t.Errorf("String = %q", got)
	}
}

func TestLongerSecretFirst(t *testing.T) {
	r := redact.New([]string{"A_TOKEN=abcdefgh", "B_TOKEN=abcdefgh-and-more"})
	if got := r.String("abcdefgh-and-more"); got != "***" {
		t.Errorf("String = %q, want the longer secret replaced whole", got)
	}
}

func TestError(t *testing.T) {
	r := redact.New(environ)
	base := errors.New("bad credentials")
	err := fmt.Errorf("calling with %s: %w", sentinel, base)
	got := r.Error(err)
	if strings.Contains(got.Error(), sentinel) || !errors.Is(got, base) {
		t.Errorf("Error = %v (is base: %v)", got, errors.Is(got, base))
	}
	if clean := errors.New("fine"); r.Error(clean) != clean {
		t.Error("a clean error was wrapped")
	}
	if r.Error(nil) != nil {
		t.Error("Error(nil) != nil")
	}
}

// TestWriterSplitSecret: a secret cut across Write calls, at every place,
// never reaches the underlying writer.
func TestWriterSplitSecret(t *testing.T) {
	r := redact.New(environ)
	for _, secret := range []string{sentinel, deploy} {
		text := "token: " + secret + "\nnext " + secret + " line\r\nno end " + secret
		for cut := 1; cut < len(text); cut++ {
			var out bytes.Buffer
			w := redact.NewWriter(&out, r)
			for _, part := range []string{text[:cut], text[cut:]} {
				if n, err := w.Write([]byte(part)); err != nil || n != len(part) {
					t.Fatalf("Write = %d, %v", n, err)
				}
				if strings.Contains(out.String(), secret[:MinPrefix]) {
					t.Fatalf("cut at %d: part of the secret passed: %q", cut, out.String())
				}
			}
			if err := w.Flush(); err != nil {
				t.Fatal(err)
			}
			want := "token: ***\nnext *** line\r\nno end ***"
			if out.String() != want {
				t.Fatalf("cut at %d: wrote %q, want %q", cut, out.String(), want)
			}
		}
	}
}

// MinPrefix is how much of a secret counts as leaked in the tests.
const MinPrefix = 6

// TestWriterLongLine: a line with no end is passed on in parts once it is
// long, and a secret across the parts still never passes.
func TestWriterLongLine(t *testing.T) {
	r := redact.New(environ)
	var out bytes.Buffer
	w := redact.NewWriter(&out, r)
	chunk := strings.Repeat("x", 1000)
	var sent strings.Builder
	for i := 0; i < 200; i++ {
		part := chunk
		if i%7 == 3 {
			// The secret arrives in two writes.
			part = chunk + sentinel[:10]
		}
		if i%7 == 4 {
			part = sentinel[10:] + chunk
		}
		sent.WriteString(part)
		if _, err := w.Write([]byte(part)); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(out.String(), "ghp_SENT") || strings.Contains(out.String(), "ABCDEFGHIJ") {
			t.Fatalf("after write %d a part of the secret passed", i)
		}
	}
	if out.Len() == 0 {
		t.Error("nothing passed on from a 200 kB line")
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if want := strings.ReplaceAll(sent.String(), sentinel, "***"); out.String() != want {
		t.Errorf("wrote %d bytes, want %d", out.Len(), len(want))
	}
}

func TestWriterUnwrap(t *testing.T) {
	var out bytes.Buffer
	if w := redact.NewWriter(&out, nil); w.Unwrap() != &out {
		t.Error("Unwrap does not return the underlying writer")
	}
}
