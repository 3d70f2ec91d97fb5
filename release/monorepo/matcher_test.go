package monorepo_test

import (
	"fmt"
	"path"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shipflow/shipflow/release/monorepo"
)

func testPackages() []monorepo.Package {
	return []monorepo.Package{
		{Name: "root", Paths: []string{"go.mod", "cmd"}, Scopes: []string{}},
		{Name: "api", Paths: []string{"api/"}, Scopes: []string{"api", "server"}},
		{Name: "web", Paths: []string{"./web/**"}},
		{Name: "ui", Paths: []string{"libs/ui", "libs/shared"}},
		{Name: "services", Paths: []string{"services/*/main.go", "services/*/cmd/**"}},
		{Name: "docs", Paths: []string{"*.md", "docs/[a-c]*"}},
		{Name: "nested", Paths: []string{"api/v2"}},
	}
}

func TestOwners(t *testing.T) {
	m, err := monorepo.NewMatcher(testPackages())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		paths []string
		scope string
		want  []int
	}{
		{"plain directory", []string{"api/server.go"}, "", []int{1}},
		{"deep below", []string{"web/src/a/b/c.ts"}, "", []int{2}},
		{"trailing slash and **", []string{"api/x", "web/y"}, "", []int{1, 2}},
		{"plain path is also a file", []string{"go.mod"}, "", []int{0}},
		{"prefix of a name is not a directory", []string{"apis/x", "webapp/y", "go.modx"}, "", nil},
		{"nested package carves its directory out", []string{"api/v2/x.go"}, "", []int{6}},
		{"enclosing package keeps the rest", []string{"api/v3/x.go"}, "", []int{1}},
		{"glob per segment", []string{"services/billing/main.go"}, "", []int{4}},
		{"glob without ** owns no deeper path", []string{"services/billing/main.go/x", "services/billing/other.go"}, "", nil},
		{"glob with ** owns below", []string{"services/billing/cmd/run/main.go"}, "", []int{4}},
		{"root glob", []string{"README.md"}, "", []int{5}},
		{"root glob is one segment", []string{"docs/README.md"}, "", nil},
		{"character class", []string{"docs/bar", "docs/zed"}, "", []int{5}},
		{"several packages sorted", []string{"web/a", "libs/shared/b", "api/c"}, "", []int{1, 2, 3}},
		{"no paths", nil, "", nil},
		{"scope by name", nil, "web", []int{2}},
		{"scope mapped", nil, "server", []int{1}},
		{"empty scopes disable the name", nil, "root", nil},
		{"scope list", nil, "web, server", []int{1, 2}},
		{"unknown scope", nil, "deps", nil},
		{"scope and path", []string{"libs/ui/x"}, "api", []int{1, 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if d := cmp.Diff(tt.want, m.Owners(tt.paths, tt.scope)); d != "" {
				t.Errorf("Owners(%q, %q) (-want +got):\n%s", tt.paths, tt.scope, d)
			}
		})
	}
}

func TestOwnersWholeRepository(t *testing.T) {
	m, err := monorepo.NewMatcher([]monorepo.Package{{Name: "all", Paths: []string{"."}}, {Name: "x", Paths: []string{"x"}}})
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]int{0, 1}, m.Owners([]string{"x/y", "z"}, "")); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	// x carves its directory out of the whole repository's package.
	if d := cmp.Diff([]int{1}, m.Owners([]string{"x/y"}, "")); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

func TestOwnersManyPackages(t *testing.T) {
	var pkgs []monorepo.Package
	for i := range 200 {
		pkgs = append(pkgs, monorepo.Package{Name: fmt.Sprint("p", i), Paths: []string{fmt.Sprint("p", i)}})
	}
	m, err := monorepo.NewMatcher(pkgs)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]int{3, 64, 199}, m.Owners([]string{"p199/a", "p3/b", "p64/c"}, "")); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

func TestNewMatcherRejectsBadPaths(t *testing.T) {
	for _, p := range []string{"", "/etc", "a/../b", "..", ".git/hooks", "a\\b", "a/[", "./.git"} {
		_, err := monorepo.NewMatcher([]monorepo.Package{{Name: "bad", Paths: []string{p}}})
		if err == nil || !strings.Contains(err.Error(), `package "bad"`) {
			t.Errorf("path %q: error %v, want one naming the package", p, err)
		}
	}
}

// ownersReference is the obvious, slow reading of the matching rules:
// every package with a matching glob, and of the plain paths holding a
// changed path, the deepest.
func ownersReference(pkgs []monorepo.Package, paths []string) []int {
	var out []int
	for _, changed := range paths {
		out = append(out, ownersReferenceOne(pkgs, changed)...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func ownersReferenceOne(pkgs []monorepo.Package, changed string) []int {
	var globs []int
	deepest, depth := []int(nil), -1
	for i, p := range pkgs {
		for _, pat := range p.Paths {
			n, plain, ok := referenceMatch(pat, changed)
			switch {
			case !ok:
			case !plain:
				globs = append(globs, i)
			case n > depth:
				deepest, depth = []int{i}, n
			case n == depth && !slices.Contains(deepest, i):
				deepest = append(deepest, i)
			}
		}
	}
	return append(globs, deepest...)
}

// referenceMatch reports whether pat matches changed, whether pat is a
// plain path, and its number of segments.
func referenceMatch(pat, changed string) (segs int, plain, ok bool) {
	pat = strings.TrimSuffix(pat, "/")
	below := strings.HasSuffix(pat, "/**") || pat == "**"
	if below {
		pat = strings.TrimSuffix(pat, "**")
	}
	var psegs []string
	for _, s := range strings.Split(pat, "/") {
		if s != "" && s != "." {
			psegs = append(psegs, s)
		}
	}
	plain = !strings.ContainsAny(pat, `*?[\`)
	csegs := strings.Split(changed, "/")
	if len(csegs) < len(psegs) || (!plain && !below && len(csegs) != len(psegs)) {
		return 0, plain, false
	}
	for j, s := range psegs {
		if m, _ := path.Match(s, csegs[j]); !m {
			return 0, plain, false
		}
	}
	return len(psegs), plain, true
}

func FuzzOwners(f *testing.F) {
	f.Add("api", "services/*/main.go", "api/x.go", "services/a/main.go", "api")
	f.Add("a/**", "[a-c]*/**", "b/c/d", "", "a,b")
	f.Add(".", "**", "x", "y/z", "")
	f.Fuzz(func(t *testing.T, p1, p2, c1, c2, scope string) {
		pkgs := []monorepo.Package{{Name: "a", Paths: []string{p1}}, {Name: "b", Paths: []string{p2}, Scopes: []string{"b", scope}}}
		m, err := monorepo.NewMatcher(pkgs)
		if err != nil {
			return
		}
		paths := []string{c1, c2}
		got := m.Owners(paths, scope)
		for i := 1; i < len(got); i++ {
			if got[i] <= got[i-1] {
				t.Fatalf("Owners = %v, not increasing", got)
			}
		}
		// Against the reference, for the changed paths git can report.
		for _, c := range paths {
			if c == "" || strings.HasPrefix(c, "/") || strings.HasSuffix(c, "/") || strings.Contains(c, "//") {
				return
			}
		}
		if d := cmp.Diff(ownersReference(pkgs, paths), m.Owners(paths, "")); d != "" {
			t.Fatalf("Owners(%q) with paths %q, %q (-reference +got):\n%s", paths, p1, p2, d)
		}
	})
}

// BenchmarkOwners is the per-commit cost in the monorepo benchmark's
// shape: 50 packages (45 plain directories, 5 globs), 1–3 paths a commit.
func BenchmarkOwners(b *testing.B) {
	var pkgs []monorepo.Package
	for i := range 50 {
		p := fmt.Sprintf("packages/p%02d", i)
		if i%10 == 9 {
			p += "/*/*.go"
		}
		pkgs = append(pkgs, monorepo.Package{Name: fmt.Sprintf("p%02d", i), Paths: []string{p}})
	}
	m, err := monorepo.NewMatcher(pkgs)
	if err != nil {
		b.Fatal(err)
	}
	commits := make([][]string, 1024)
	for i := range commits {
		for j := range 1 + i%3 {
			commits[i] = append(commits[i], fmt.Sprintf("packages/p%02d/src/f%02d.go", (i*7+j*13)%50, (i+j)%20))
		}
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		m.Owners(commits[i%len(commits)], "p07")
	}
}
