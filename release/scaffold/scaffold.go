// Package scaffold holds the files `shipflow init` writes into a repository
// to set up the seed's release process: .shipflow.yaml with commented
// defaults, the CI and release workflows, CHANGELOG.md with its insert
// marker, .env.template, and `.env` in .gitignore. It never overwrites a
// file unless asked to, and appending to .gitignore is idempotent.
//
// It is for `shipflow init`; the commit-msg hook is written by the release
// package's InstallHook, not here.
package scaffold

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/shipflow/shipflow/internal/atomicfile"
)

//go:embed templates
var templates embed.FS

// File is one file of the scaffold.
type File struct {
	// Path is slash-separated and relative to the repository root.
	Path string
	// Data is the file's content.
	Data []byte
	// Mode is the permission the file is created with.
	Mode fs.FileMode
}

// GitignorePath is the file `.env` is appended to.
const GitignorePath = ".gitignore"

// GitignoreLine is the line appended to .gitignore so secrets stay out of git.
const GitignoreLine = ".env"

// sources maps each scaffold path to its embedded template (embed skips
// dot-files, so the templates have plain names).
var sources = []struct{ path, template string }{
	{".shipflow.yaml", "shipflow.yaml"},
	{".github/workflows/ci.yml", "ci.yml"},
	{".github/workflows/release.yml", "release.yml"},
	{"CHANGELOG.md", "CHANGELOG.md"},
	{".env.template", "env.template"},
}

// Files returns the files Write creates, in the order it writes them
// (.gitignore, which is appended to, is not among them).
func Files() []File {
	out := make([]File, 0, len(sources))
	for _, s := range sources {
		b, err := templates.ReadFile("templates/" + s.template)
		if err != nil {
			panic(fmt.Sprintf("scaffold template %q missing: %v", s.template, err)) // a build mistake, caught by tests
		}
		out = append(out, File{Path: s.path, Data: b, Mode: 0o644})
	}
	return out
}

// Action says what Write did with one path.
type Action string

// Actions in a Report.
const (
	Written     Action = "written"     // the file did not exist
	Overwritten Action = "overwritten" // it existed, differed, and Force was set
	Skipped     Action = "skipped"     // it existed and differed; Reason says how to overwrite
	Unchanged   Action = "unchanged"   // it already had the scaffold's content
	Appended    Action = "appended"    // a line was added (.gitignore)
)

// Entry is what happened to one path.
type Entry struct {
	Path   string
	Action Action
	// Reason explains a skip or an unchanged .gitignore, or is empty.
	Reason string
}

// Report lists what Write did, one entry per path, in order.
type Report struct {
	Entries []Entry
}

// Count returns the number of entries with action a.
func (r *Report) Count(a Action) int {
	n := 0
	for _, e := range r.Entries {
		if e.Action == a {
			n++
		}
	}
	return n
}

// Options are the knobs of Write.
type Options struct {
	// Force overwrites files that exist with other content. Default false:
	// they are skipped. .gitignore is only ever appended to.
	Force bool
}

// Write writes the scaffold into dir (the repository's top level) and
// appends `.env` to .gitignore unless a line already ignores it. Files that
// exist are skipped unless opt.Force is set. It stops at the first error,
// returning the report so far.
func Write(ctx context.Context, dir string, opt Options) (*Report, error) {
	rep := &Report{}
	for _, f := range Files() {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		e, err := writeFile(dir, f, opt.Force)
		if err != nil {
			return rep, fmt.Errorf("writing %s: %w", f.Path, err)
		}
		rep.Entries = append(rep.Entries, e)
	}
	e, err := appendGitignore(dir)
	if err != nil {
		return rep, fmt.Errorf("updating %s: %w", GitignorePath, err)
	}
	rep.Entries = append(rep.Entries, e)
	return rep, nil
}

func writeFile(dir string, f File, force bool) (Entry, error) {
	path := filepath.Join(dir, filepath.FromSlash(f.Path))
	e := Entry{Path: f.Path, Action: Written}
	old, err := os.ReadFile(path)
	switch {
	case err == nil && bytes.Equal(old, f.Data):
		e.Action = Unchanged
		return e, nil
	case err == nil && !force:
		e.Action, e.Reason = Skipped, "exists with other content; --force overwrites it"
		return e, nil
	case err == nil:
		e.Action = Overwritten
	case !errors.Is(err, fs.ErrNotExist):
		return e, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return e, err
	}
	return e, atomicfile.Write(path, f.Data, f.Mode)
}

// appendGitignore adds `.env` to .gitignore unless a line already ignores
// it exactly (`.env` or `/.env`).
func appendGitignore(dir string) (Entry, error) {
	path := filepath.Join(dir, GitignorePath)
	e := Entry{Path: GitignorePath, Action: Appended}
	old, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return e, err
	}
	for line := range strings.SplitSeq(string(old), "\n") {
		line = strings.TrimSpace(line)
		if line == GitignoreLine || line == "/"+GitignoreLine {
			e.Action, e.Reason = Unchanged, "already ignores "+GitignoreLine
			return e, nil
		}
	}
	if old == nil {
		e.Action = Written
	}
	data := old
	if len(data) > 0 && data[len(data)-1] != '\n' {
		data = append(data, '\n')
	}
	data = append(data, GitignoreLine+"\n"...)
	mode := fs.FileMode(0o644)
	if fi, err := os.Stat(path); err == nil {
		mode = fi.Mode().Perm()
	}
	return e, atomicfile.Write(path, data, mode)
}
