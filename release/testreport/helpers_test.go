package testreport

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/shipflow/shipflow/internal/golden"
)

// copyFixture copies testdata/name into a fresh temporary directory and
// returns that directory.
func copyFixture(t *testing.T, name string) string {
	t.Helper()
	src := filepath.Join("testdata", name)
	dst := t.TempDir()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// goModDir is one copy of testdata/gomod shared by the tests that only run
// `go test` in it, so its packages are compiled once per test run.
var goModDir struct {
	once sync.Once
	dir  string
	err  error
}

// goFixture returns the shared copy of testdata/gomod. Tests must not
// change it.
func goFixture(t *testing.T) string {
	t.Helper()
	goModDir.once.Do(func() {
		goModDir.dir, goModDir.err = os.MkdirTemp("", "testreport-gomod-")
		if goModDir.err == nil {
			goModDir.err = os.CopyFS(goModDir.dir, os.DirFS(filepath.Join("testdata", "gomod")))
		}
	})
	if goModDir.err != nil {
		t.Fatal(goModDir.err)
	}
	return goModDir.dir
}

func TestMain(m *testing.M) {
	code := m.Run()
	if goModDir.dir != "" {
		os.RemoveAll(goModDir.dir)
	}
	os.Exit(code)
}

// goEnv is the environment of `go test` runs over fixture modules: no
// network, no workspace, no toolchain switch.
func goEnv() []string {
	return append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off", "GOTOOLCHAIN=local", "GOPROXY=off")
}

// pythonWithPytest returns a python interpreter that can import pytest.
// Debian's python3-pytest installs for /usr/bin/python3, which may not be
// the first python3 on PATH.
func pythonWithPytest(t *testing.T) string {
	t.Helper()
	for _, py := range []string{"python3", "/usr/bin/python3"} {
		cmd := exec.Command(py, "-c", "import pytest")
		cmd.Dir = t.TempDir()
		if cmd.Run() == nil {
			return py
		}
	}
	t.Fatal("no python3 with pytest found; install it: apt-get install -y python3-pytest")
	return ""
}

// goldenCheck compares got with testdata/golden/name, or rewrites it with
// -update.
func goldenCheck(t *testing.T, name, got string) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", "golden", name), got)
}
