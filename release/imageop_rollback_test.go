package release

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/image"
)

func TestResolveImageRollback(t *testing.T) {
	cfg := &config.Config{Image: config.Image{Repository: "ghcr.io/acme/app"}}
	o, err := ResolveImageRollback(NoInputs{}, cfg, CI{Actor: "octocat"})
	if err != nil {
		t.Fatal(err)
	}
	if o.Rollback.Repository != "ghcr.io/acme/app" || o.Record != DefaultImageRecord || o.Undo || o.Access.Actor != "octocat" {
		t.Errorf("defaults %+v", o)
	}
	o, err = ResolveImageRollback(MapInputs{"repo": "r.example/app", "to": "1.2.4", "record": "rb.json", "undo": "true"}, cfg, CI{})
	if err != nil {
		t.Fatal(err)
	}
	if o.Rollback.Repository != "r.example/app" || o.Rollback.To != "1.2.4" || o.Record != "rb.json" || !o.Undo {
		t.Errorf("inputs %+v", o)
	}
	// An undo reads the repository from the record; a rollback needs one.
	if _, err := ResolveImageRollback(MapInputs{"undo": "true"}, &config.Config{}, CI{}); err != nil {
		t.Errorf("undo without a repository: %v", err)
	}
	var ie *image.InputError
	if _, err := ResolveImageRollback(NoInputs{}, &config.Config{}, CI{}); !errors.As(err, &ie) || !strings.Contains(err.Error(), "no repository") {
		t.Errorf("err = %v", err)
	}
	var be *InputError
	if _, err := ResolveImageRollback(MapInputs{"undo": "yes"}, cfg, CI{}); !errors.As(err, &be) {
		t.Errorf("undo: yes: err = %v", err)
	}
}

// The watch takes an input over image.watch, image.watch over the
// defaults, as the CLI's flags do.
func TestResolveImageWatch(t *testing.T) {
	cfg := &config.Config{Image: config.Image{Repository: "ghcr.io/acme/app",
		Watch: config.ImageWatch{Health: "https://app.example/healthz", Failures: 5, Interval: time.Minute}}}
	o, err := ResolveImageWatch(NoInputs{}, cfg, CI{})
	if err != nil {
		t.Fatal(err)
	}
	w := o.Watch
	if w.Health != "https://app.example/healthz" || w.Failures != 5 || w.Interval != time.Minute || w.Timeout != 0 ||
		w.MaxDuration != DefaultWatchMaxDuration || w.Rollback.Repository != "ghcr.io/acme/app" || o.Record != DefaultImageRecord {
		t.Errorf("from the config: %+v", o)
	}
	o, err = ResolveImageWatch(MapInputs{"health": "http://127.0.0.1:8080/ok", "failures": "2", "interval": "5s",
		"timeout": "2s", "max-duration": "3m", "repo": "r.example/app", "record": "rb.json"}, cfg, CI{})
	if err != nil {
		t.Fatal(err)
	}
	w = o.Watch
	if w.Health != "http://127.0.0.1:8080/ok" || w.Failures != 2 || w.Interval != 5*time.Second || w.Timeout != 2*time.Second ||
		w.MaxDuration != 3*time.Minute || w.Rollback.Repository != "r.example/app" || o.Record != "rb.json" {
		t.Errorf("from the inputs: %+v", o)
	}
	o, err = ResolveImageWatch(MapInputs{"health": "http://h/", "repo": "r/a"}, nil, CI{})
	if err != nil || o.Watch.Failures != DefaultWatchFailures || o.Watch.Interval != DefaultWatchInterval {
		t.Errorf("defaults %+v, %v", o, err)
	}
	for _, tc := range []struct {
		in   MapInputs
		want string
	}{
		{MapInputs{"repo": "r/a"}, "no health URL"},
		{MapInputs{"health": "http://h/"}, "no repository"},
		{MapInputs{"health": "http://h/", "repo": "r/a", "failures": "0"}, "must be positive"},
		{MapInputs{"health": "http://h/", "repo": "r/a", "interval": "10"}, "a duration"},
		{MapInputs{"health": "http://h/", "repo": "r/a", "failures": "x"}, "a whole number"},
	} {
		if _, err := ResolveImageWatch(tc.in, nil, CI{}); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: err = %v, want %q", tc.in, err, tc.want)
		}
	}
}
