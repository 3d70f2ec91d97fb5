package image

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shipflow/shipflow/release/image/imagetest"
)

// Promote points the environment tag at the version's digest; Undo puts
// the digest it named before back; a second promote to the same version
// moves nothing.
func TestPromoteThenUndo(t *testing.T) {
	ctx := ctxT(t)
	repo := memRegistry(t) + "/app"
	d := seedReleases(t, repo, testKnobs(), "1.2.3", "1.3.0")

	first, err := Promote(ctx, PromoteOptions{Repository: repo, Version: "1.2.3", Env: "prod"}, testKnobs()...)
	if err != nil {
		t.Fatal(err)
	}
	if first.FromDigest != "" || first.ToDigest != d["1.2.3"] || len(first.Tags) != 1 || !first.Tags[0].Written {
		t.Fatalf("first promote = %+v, want prod created at 1.2.3", first)
	}
	if _, err := Undo(ctx, first, testKnobs()...); err == nil || !strings.Contains(err.Error(), "did not exist before") {
		t.Errorf("undo of a promote that created the tag: error = %v, want one saying it did not exist before", err)
	}

	rep, err := Promote(ctx, PromoteOptions{Repository: repo, Version: "1.3.0", Env: "prod"}, testKnobs()...)
	if err != nil {
		t.Fatal(err)
	}
	if rep.From != "1.2.3" || rep.FromDigest != d["1.2.3"] || rep.To != "1.3.0" || rep.ToDigest != d["1.3.0"] || rep.Env != "prod" {
		t.Errorf("promote = %s (%s) → %s (%s) env %q; want 1.2.3 → 1.3.0 env prod", rep.From, rep.FromDigest, rep.To, rep.ToDigest, rep.Env)
	}
	if got := imagetest.Tags(t, repo)["prod"]; got != d["1.3.0"] {
		t.Errorf("prod = %s after the promote, want %s", got, d["1.3.0"])
	}
	same, err := Promote(ctx, PromoteOptions{Repository: repo, Version: "1.3.0", Env: "prod"}, testKnobs()...)
	if err != nil || len(same.Tags) != 0 {
		t.Errorf("promote to the version prod names: tags %+v, err %v; want nothing moved", same.Tags, err)
	}

	before := imagetest.Tags(t, repo)
	undo, err := Undo(ctx, rep, testKnobs()...)
	if err != nil {
		t.Fatal(err)
	}
	if len(undo.Tags) != 1 || undo.Tags[0].Reason != "undo promote" {
		t.Errorf("undo moved %+v, want prod, undo promote", undo.Tags)
	}
	want := before
	want["prod"] = d["1.2.3"]
	if diff := cmp.Diff(want, imagetest.Tags(t, repo)); diff != "" {
		t.Errorf("after undo (-want +got):\n%s", diff)
	}
}

func TestPromoteRefuses(t *testing.T) {
	repo := memRegistry(t) + "/app"
	seedReleases(t, repo, testKnobs(), "1.2.3")
	cases := []struct{ name, version, env, want string }{
		{"version without a tag", "9.9.9", "prod", "version 9.9.9 has no image"},
		{"not a version", "v1.2.3", "prod", `version "v1.2.3" is not X.Y.Z`},
		{"option-shaped env", "1.2.3", "--prod", "is not a tag name"},
		{"version-shaped env", "1.2.3", "1.2", "is not a tag name"},
		{"latest", "1.2.3", "latest", "a tag that image push moves itself"},
		{"sha tag", "1.2.3", "sha-abc1234", "a tag that image push moves itself"},
		{"no env", "1.2.3", "", "no environment"},
	}
	before := imagetest.Tags(t, repo)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Promote(ctxT(t), PromoteOptions{Repository: repo, Version: c.version, Env: c.env}, testKnobs()...)
			if err == nil || !strings.Contains(err.Error(), c.want) || !errors.As(err, new(*InputError)) {
				t.Errorf("error = %v, want an *InputError saying %q", err, c.want)
			}
		})
	}
	if diff := cmp.Diff(before, imagetest.Tags(t, repo)); diff != "" {
		t.Errorf("refused promotes changed tags (-before +after):\n%s", diff)
	}
}
