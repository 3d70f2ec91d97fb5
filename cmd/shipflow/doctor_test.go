package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipflow/shipflow/release/git/gittest"
)

// doctor on a fresh `shipflow init` repository exits 0; without
// rollback.sh it exits 1, naming the file and the fix.
func TestDoctorAfterInitCLI(t *testing.T) {
	g := gittest.New(t)
	if code, out, errOut := branchRun(t, g.Dir, nil, "init"); code != 0 {
		t.Fatalf("init: exit %d\n%s%s", code, out, errOut)
	}
	code, out, errOut := branchRun(t, g.Dir, nil, "doctor")
	if code != 0 {
		t.Fatalf("doctor after init: exit %d\n%s%s", code, out, errOut)
	}
	for _, want := range []string{"✔ rollback.sh", "✔ deploy_docker.sh", "✔ every required file and setting is there"} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}

	if err := os.Remove(filepath.Join(g.Dir, "rollback.sh")); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = branchRun(t, g.Dir, nil, "doctor")
	if code != 1 {
		t.Fatalf("doctor without rollback.sh: exit %d, want 1\n%s%s", code, out, errOut)
	}
	for _, want := range []string{
		"✖ rollback.sh",
		"fix: run 'shipflow init': it writes rollback.sh",
		"✖ 1 required file or setting is missing",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}

	code, out, _ = branchRun(t, g.Dir, nil, "doctor", "--format", "github")
	if code != 1 || !strings.Contains(out, "::error file=rollback.sh,title=shipflow doctor%3A rollback.sh::rollback.sh: missing") {
		t.Errorf("github: exit %d\n%s", code, out)
	}
	code, out, _ = branchRun(t, g.Dir, nil, "doctor", "--format", "json")
	var doc struct {
		OK      bool `json:"ok"`
		Missing int  `json:"missing"`
	}
	if err := json.Unmarshal([]byte(out), &doc); code != 1 || err != nil || doc.OK || doc.Missing != 1 {
		t.Errorf("json: exit %d, %v\n%s", code, err, out)
	}
	// init puts it back.
	if code, out, errOut := branchRun(t, g.Dir, nil, "init"); code != 0 {
		t.Fatalf("init again: exit %d\n%s%s", code, out, errOut)
	}
	if code, out, errOut := branchRun(t, g.Dir, nil, "doctor"); code != 0 {
		t.Errorf("doctor after the second init: exit %d\n%s%s", code, out, errOut)
	}
}

func TestDoctorUsageCLI(t *testing.T) {
	g := gittest.New(t)
	if code, _, errOut := branchRun(t, g.Dir, nil, "doctor", "--format", "sarif"); code != 2 || !strings.Contains(errOut, `unknown --format "sarif"`) {
		t.Errorf("--format sarif: exit %d\n%s", code, errOut)
	}
	if code, _, errOut := branchRun(t, t.TempDir(), nil, "doctor"); code != 2 || !strings.Contains(errOut, "not a git repository") {
		t.Errorf("outside a repository: exit %d\n%s", code, errOut)
	}
}
