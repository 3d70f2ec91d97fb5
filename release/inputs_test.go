package release

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/shipflow/shipflow/release/config"
)

func TestInputBool(t *testing.T) {
	cases := []struct {
		name    string
		in      Inputs
		def     bool
		want    bool
		wantErr string
	}{
		{name: "not given keeps the default true", in: NoInputs{}, def: true, want: true},
		{name: "not given keeps the default false", in: MapInputs{}, want: false},
		{name: "nil inputs", in: nil, def: true, want: true},
		{name: "empty is not given", in: MapInputs{"x": ""}, def: true, want: true},
		{name: "spaces are not given", in: MapInputs{"x": "  "}, def: true, want: true},
		{name: "true", in: MapInputs{"x": "true"}, want: true},
		{name: "True", in: MapInputs{"x": "True"}, want: true},
		{name: "TRUE", in: MapInputs{"x": "TRUE"}, want: true},
		{name: "trimmed", in: MapInputs{"x": " true\n"}, want: true},
		{name: "false", in: MapInputs{"x": "false"}, def: true, want: false},
		{name: "False", in: MapInputs{"x": "False"}, def: true, want: false},
		{name: "FALSE", in: MapInputs{"x": "FALSE"}, def: true, want: false},
		{name: "yes is refused", in: MapInputs{"x": "yes"}, wantErr: `input x: "yes" is not a boolean (use true or false)`},
		{name: "1 is refused", in: MapInputs{"x": "1"}, wantErr: `input x: "1" is not a boolean (use true or false)`},
		{name: "tRUE is refused", in: MapInputs{"x": "tRUE"}, wantErr: `input x: "tRUE" is not a boolean (use true or false)`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := inputBool(c.in, "x", c.def)
			if c.wantErr != "" {
				var ie *InputError
				if !errors.As(err, &ie) || err.Error() != c.wantErr {
					t.Fatalf("err = %v (%T), want *InputError %q", err, err, c.wantErr)
				}
				return
			}
			if err != nil || got != c.want {
				t.Errorf("inputBool = %v, %v; want %v", got, err, c.want)
			}
		})
	}
}

func TestInputList(t *testing.T) {
	cases := []struct {
		name string
		in   Inputs
		want []string
		ok   bool
	}{
		{name: "not given", in: NoInputs{}},
		{name: "empty", in: MapInputs{"x": ""}},
		{name: "one", in: MapInputs{"x": "a"}, want: []string{"a"}, ok: true},
		{name: "commas", in: MapInputs{"x": "a,b, c"}, want: []string{"a", "b", "c"}, ok: true},
		{name: "lines", in: MapInputs{"x": "a\nb\n\nc\n"}, want: []string{"a", "b", "c"}, ok: true},
		{name: "lines and commas", in: MapInputs{"x": " a, b\n c ,\n"}, want: []string{"a", "b", "c"}, ok: true},
		{name: "only separators", in: MapInputs{"x": ",\n , "}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, ok := inputList(c.in, "x")
			if ok != c.ok || !cmp.Equal(got, c.want) {
				t.Errorf("inputList = %q, %v; want %q, %v", got, ok, c.want, c.ok)
			}
		})
	}
}

func TestInputTagPrefix(t *testing.T) {
	ptr := func(s string) *string { return &s }
	cases := []struct {
		name string
		in   Inputs
		want *string
	}{
		{name: "nil inputs", in: nil},
		{name: "not given", in: NoInputs{}},
		// A flag given empty (--tag-prefix "") says no prefix.
		{name: "given empty", in: MapInputs{"tag-prefix": ""}, want: ptr("")},
		{name: "none is kept for rules", in: MapInputs{"tag-prefix": "none"}, want: ptr("none")},
		{name: "trimmed", in: MapInputs{"tag-prefix": " api/v "}, want: ptr("api/v")},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := inputTagPrefix(c.in)
			if !cmp.Equal(got, c.want) {
				t.Errorf("inputTagPrefix = %v, want %v", deref(got), deref(c.want))
			}
			if got == nil {
				return
			}
			// Every spelling of no prefix plans bare versions.
			_, prefix, err := PlanOptions{TagPrefix: got}.rules()
			if err != nil {
				t.Fatal(err)
			}
			if (*got == "" || *got == config.NoTagPrefix) && prefix != "" {
				t.Errorf("prefix %q plans with %q, want none", *got, prefix)
			}
		})
	}
}

func deref(p *string) string {
	if p == nil {
		return "<nil>"
	}
	return "&" + *p
}

// TestResolveNext: input > .shipflow.yaml > CI context > default, for
// every option of `next`.
func TestResolveNext(t *testing.T) {
	ptr := func(s string) *string { return &s }
	cfg := &config.Config{Version: config.Version{TagPrefix: ptr("release-")}}
	ci := CI{Branch: "feature/from-ci"}
	cases := []struct {
		name    string
		in      Inputs
		cfg     *config.Config
		ci      CI
		want    PlanOptions
		wantErr string
	}{
		{name: "defaults", in: NoInputs{}, want: PlanOptions{}},
		{name: "config", in: NoInputs{}, cfg: cfg, want: PlanOptions{Config: cfg.Version}},
		{
			name: "CI branch stands for a detached HEAD only", in: NoInputs{}, ci: ci,
			want: PlanOptions{DetachedBranch: "feature/from-ci"},
		},
		{
			name: "inputs over config and CI", cfg: cfg, ci: ci,
			in: MapInputs{"tag-prefix": "none", "branch": "dev", "major": "true", "allow-bump": "True", "no-fetch": "TRUE"},
			want: PlanOptions{
				Config: cfg.Version, TagPrefix: ptr("none"), Branch: "dev", DetachedBranch: "feature/from-ci",
				Major: true, AllowBump: true, NoFetch: true,
			},
		},
		{
			name: "empty inputs are not given", cfg: cfg, ci: ci,
			in:   MapInputs{"branch": "", "major": "", "allow-bump": " "},
			want: PlanOptions{Config: cfg.Version, DetachedBranch: "feature/from-ci"},
		},
		{name: "bad boolean", in: MapInputs{"allow-bump": "yes"}, wantErr: `input allow-bump: "yes" is not a boolean (use true or false)`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := ResolveNext(c.in, c.cfg, c.ci)
			if c.wantErr != "" {
				if err == nil || err.Error() != c.wantErr {
					t.Fatalf("err = %v, want %q", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("ResolveNext (-want +got):\n%s", diff)
			}
		})
	}
}

// TestResolveNextTagPrefixPrecedence: the input's prefix wins over
// version.tag-prefix, which wins over the default "v".
func TestResolveNextTagPrefixPrecedence(t *testing.T) {
	ptr := func(s string) *string { return &s }
	cases := []struct {
		name string
		in   Inputs
		cfg  *config.Config
		want string
	}{
		{name: "default", in: NoInputs{}, want: config.DefaultTagPrefix},
		{name: "config", in: NoInputs{}, cfg: &config.Config{Version: config.Version{TagPrefix: ptr("release-")}}, want: "release-"},
		{name: "config none", in: NoInputs{}, cfg: &config.Config{Version: config.Version{TagPrefix: ptr("none")}}, want: ""},
		{name: "input over config", in: MapInputs{"tag-prefix": "api/v"}, cfg: &config.Config{Version: config.Version{TagPrefix: ptr("release-")}}, want: "api/v"},
		{name: "input none over config", in: MapInputs{"tag-prefix": "none"}, cfg: &config.Config{Version: config.Version{TagPrefix: ptr("release-")}}, want: ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o, err := ResolveNext(c.in, c.cfg, CI{})
			if err != nil {
				t.Fatal(err)
			}
			_, prefix, err := o.rules()
			if err != nil || prefix != c.want {
				t.Errorf("prefix = %q, %v; want %q", prefix, err, c.want)
			}
		})
	}
}
