package release

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestCutSignsTags: with release.sign-tags the release tag is signed
// with the key git is configured with (here an SSH key, as a runner's
// deploy key), and git verifies it; without a key the tag step fails
// saying which setting asked for a signature.
func TestCutSignsTags(t *testing.T) {
	e := newCutEnv(t)
	dir := t.TempDir()
	key := filepath.Join(dir, "id_ed25519")
	if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "release", "-f", key).CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen: %v\n%s", err, out)
	}
	o := e.opts()
	o.Local = true
	o.Config.SignTags = true

	// No signing key configured: the tag step fails and says why.
	_, err := e.cut(o)
	var ce *CutError
	if !errors.As(err, &ce) || ce.Step != "tag" || !strings.Contains(err.Error(), "release.sign-tags") {
		t.Fatalf("error = %v, want the tag step failing naming release.sign-tags", err)
	}

	e.r.Git("config", "gpg.format", "ssh")
	e.r.Git("config", "user.signingkey", key)
	rep, err := e.cut(o)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Plan.Tag != "v1.1.0" {
		t.Fatalf("tag = %s, want v1.1.0", rep.Plan.Tag)
	}
	if obj := e.r.Git("cat-file", "-p", "v1.1.0"); !strings.Contains(obj, "-----BEGIN SSH SIGNATURE-----") {
		t.Errorf("tag object has no SSH signature:\n%s", obj)
	}
	pub, err := os.ReadFile(key + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	signers := filepath.Join(dir, "allowed_signers")
	if err := os.WriteFile(signers, []byte("bot@example.com namespaces=\"git\" "+string(pub)), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := e.r.TryGit("-c", "gpg.ssh.allowedSignersFile="+signers, "verify-tag", "v1.1.0"); err != nil {
		t.Errorf("git verify-tag v1.1.0: %v\n%s", err, out)
	}
}
