package version

import (
	"crypto/sha1"
	"encoding/hex"

	"github.com/shipflow/shipflow/commitlint"
)

// parse is how the tests turn a message into the Commit.Parsed that Next
// reads: the production parser.
func parse(msg string) *commitlint.Commit { return commitlint.Parse(msg) }

// fakeHash returns a stable 40-hex hash for a test commit.
func fakeHash(s string) string {
	sum := sha1.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}
