package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/shipflow/shipflow/internal/repofs"
	"github.com/shipflow/shipflow/release"
	"github.com/shipflow/shipflow/release/image"
)

// imageRecord is the rollback record file of `image rollback` and `image
// watch`. An absolute --record is the caller's own path, used as given. A
// relative one (the default, shipflow-rollback.json) names a file in the
// work tree, where a committed symbolic link must not send the write or
// the read anywhere else: it goes through package repofs, inside the
// directory shipflow runs in.
type imageRecord struct{ dir, name string }

func newImageRecord(e *env, flag string) imageRecord {
	if filepath.IsAbs(flag) {
		return imageRecord{name: flag}
	}
	return imageRecord{dir: e.dir, name: flag}
}

// String is the record's path, as messages show it.
func (r imageRecord) String() string {
	if r.dir == "" {
		return r.name
	}
	return filepath.Join(r.dir, r.name)
}

func (r imageRecord) read() ([]byte, error) {
	if r.dir == "" {
		return os.ReadFile(r.name)
	}
	return repofs.ReadFile(r.dir, r.name, repofs.DefaultMaxRead)
}

func (r imageRecord) write(data []byte) error {
	if r.dir == "" {
		return os.WriteFile(r.name, data, 0o644)
	}
	return repofs.WriteFile(r.dir, r.name, data, 0o644)
}

// readRollback reads the rollback that --undo reverses.
func (r imageRecord) readRollback() (*image.RollbackReport, error) {
	b, err := r.read()
	if err != nil {
		return nil, fmt.Errorf("reading the rollback record: %w", err)
	}
	var rb image.RollbackReport
	if err := json.Unmarshal(b, &rb); err != nil {
		return nil, fmt.Errorf("reading the rollback record %s: %w", r, err)
	}
	return &rb, nil
}

// writeRollback saves a rollback that left tags moved (after a failed tag
// write, the tags not put back), so that --undo can reverse it. A
// rollback that left nothing moved writes nothing: it must not overwrite
// the record of an earlier one.
func (r imageRecord) writeRollback(rep *image.RollbackReport) error {
	if !release.ImageRollbackMoved(rep) {
		return nil
	}
	b, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return fmt.Errorf("writing the rollback record: %w", err)
	}
	if err := r.write(append(b, '\n')); err != nil {
		return fmt.Errorf("writing the rollback record: %w", err)
	}
	return nil
}
