package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipflow/shipflow/release/image/imagetest"
)

// The default rollback record is a file in the work tree: a committed
// symbolic link there must not send the record's write, or --undo's read,
// outside it. An absolute --record is the caller's own and is used as
// given.
func TestImageRollbackRecordStaysInTheWorkTree(t *testing.T) {
	repo := imagetest.Registry(t) + "/app"
	base := t.TempDir()
	dir := filepath.Join(base, "work")
	outside := filepath.Join(base, "outside.json")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for i, v := range []string{"1.0.0", "1.1.0"} {
		if code, _, stderr := imageRun(t, dir, "push", "--from", imagetest.Tarball(t, 64, int64(i)), "--to", repo, "--version", v); code != exitOK {
			t.Fatalf("push %s: exit %d, %s", v, code, stderr)
		}
	}
	cmdWrite(t, outside, "keep\n")
	cmdLink(t, outside, filepath.Join(dir, "shipflow-rollback.json"))

	code, stdout, stderr := imageRun(t, dir, "rollback", "--repo", repo)
	if code != exitFailure || !strings.Contains(stderr, "writing the rollback record") || !strings.Contains(stderr, "outside the repository") {
		t.Fatalf("rollback through a link out: exit %d, stderr %q; want 3 and the refusal\n%s", code, stderr, stdout)
	}
	if got, _ := os.ReadFile(outside); string(got) != "keep\n" {
		t.Errorf("the record was written outside the work tree: %q", got)
	}

	// --undo does not read through the link either.
	cmdWrite(t, outside, `{"repository": "`+repo+`", "from": "1.1.0", "to": "1.0.0"}`)
	code, _, stderr = imageRun(t, dir, "rollback", "--undo")
	if code != exitUsage || !strings.Contains(stderr, "reading the rollback record") || !strings.Contains(stderr, "outside the repository") {
		t.Fatalf("undo through a link out: exit %d, stderr %q; want 2 and the refusal", code, stderr)
	}

	// The caller's own absolute path is written as given.
	record := filepath.Join(base, "records", "rb.json")
	os.MkdirAll(filepath.Dir(record), 0o755)
	if code, _, stderr := imageRun(t, dir, "rollback", "--repo", repo, "--to", "1.1.0", "--record", record); code != exitOK {
		t.Fatalf("rollback with an absolute --record: exit %d, %s", code, stderr)
	}
	if b, err := os.ReadFile(record); err != nil || !strings.Contains(string(b), `"to": "1.1.0"`) {
		t.Errorf("absolute record: %v\n%s", err, b)
	}
}
