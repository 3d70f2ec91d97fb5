package image

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// A plain `docker save` tarball opens as a seekable file, so that
// archive/tar seeks past the layers before the one go-containerregistry
// looks for instead of reading them (each layer and the config is looked
// for from the start of the tarball); a gzipped one opens gunzipped.
func TestTarballOpener(t *testing.T) {
	plain := tarballOf(t, randomImage(t, 1024, 2))
	raw, err := os.ReadFile(plain)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(raw); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	gz := filepath.Join(t.TempDir(), "image.tar.gz")
	if err := os.WriteFile(gz, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, path string
		seekable   bool
	}{
		{"plain", plain, true},
		{"gzipped", gz, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rc, err := tarballOpener(tc.path)()
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			if _, ok := rc.(io.Seeker); ok != tc.seekable {
				t.Errorf("opened %s: seekable = %v, want %v", tc.name, ok, tc.seekable)
			}
			got, err := io.ReadAll(rc)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, raw) {
				t.Errorf("opened %s: read %d bytes, not the tarball's %d", tc.name, len(got), len(raw))
			}
		})
	}
}
