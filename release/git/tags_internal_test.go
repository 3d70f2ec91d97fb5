package git

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// parseShowRef reads a whole `git show-ref -d --tags` output, as
// ListTagsEach reads its stream.
func parseShowRef(out string) ([]TagRef, error) {
	var list showRefList
	for line := range strings.SplitSeq(out, "\n") {
		if _, err := list.add(line); err != nil {
			return nil, err
		}
	}
	return list.done(), nil
}

// TestParseShowRef: a peeled line is matched to its tag whether it follows
// it (as git prints it) or not, output out of order is sorted, and a
// peeled line of an unlisted tag or a malformed line is an error.
func TestParseShowRef(t *testing.T) {
	const (
		a = "1111111111111111111111111111111111111111"
		b = "2222222222222222222222222222222222222222"
		c = "3333333333333333333333333333333333333333"
	)
	want := []TagRef{{Name: "v1.0.0", Object: a}, {Name: "v1.1.0", Object: b, Peeled: c}, {Name: "v2.0.0", Object: c}}
	for name, out := range map[string]string{
		"as git prints it":  a + " refs/tags/v1.0.0\n" + b + " refs/tags/v1.1.0\n" + c + " refs/tags/v1.1.0^{}\n" + c + " refs/tags/v2.0.0\n",
		"peeled line later": b + " refs/tags/v1.1.0\n" + a + " refs/tags/v1.0.0\n" + c + " refs/tags/v2.0.0\n" + c + " refs/tags/v1.1.0^{}\n",
	} {
		got, err := parseShowRef(out)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("%s: tags differ (-want +got):\n%s", name, d)
		}
	}
	for _, bad := range []string{
		c + " refs/tags/v9^{}\n",
		a + " refs/tags/v1.0.0\n" + c + " refs/tags/v9^{}\n",
		"no-space-here\n",
		a + " refs/heads/main\n",
	} {
		if _, err := parseShowRef(bad); err == nil {
			t.Errorf("parseShowRef(%q) = nil error, want one", bad)
		}
	}
}
