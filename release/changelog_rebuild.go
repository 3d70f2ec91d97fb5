package release

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/Masterminds/semver/v3"
	"github.com/shipflow/shipflow/release/git"
	"github.com/shipflow/shipflow/release/version"
)

// notesVersionTags lists the version tags reachable from rev (all tags
// when rev is "") with one `git for-each-ref`, prereleases included,
// oldest version first, and the set of versions tagged. The date is the
// tagger's for annotated tags and the committer's for lightweight ones.
func notesVersionTags(ctx context.Context, repo *git.Repo, prefix, rev string) ([]notesTag, map[string]bool, error) {
	args := []string{"for-each-ref", "--format=%(refname:strip=2)%00%(objectname)%00%(*objectname)%00%(creatordate:iso-strict)"}
	if rev != "" {
		args = append(args, "--merged", rev)
	}
	out, err := repo.Run(ctx, append(args, "refs/tags")...)
	if err != nil {
		return nil, nil, fmt.Errorf("listing tags: %w", err)
	}
	var names []string
	fields := map[string][]string{}
	for line := range strings.SplitSeq(strings.TrimSpace(string(out)), "\n") {
		f := strings.Split(line, "\x00")
		if len(f) != 4 {
			continue
		}
		names = append(names, f[0])
		fields[f[0]] = f
	}
	parsed, _ := version.ParseTags(names, prefix)
	var tags []notesTag
	tagged := map[string]bool{}
	for _, t := range parsed {
		tagged[t.Version.String()] = true
		f := fields[t.Name]
		commit := f[2] // the tagged commit of an annotated tag
		if commit == "" {
			commit = f[1]
		}
		date, _ := time.Parse(time.RFC3339, f[3])
		tags = append(tags, notesTag{name: t.Name, version: t.Version, commit: commit, date: date})
	}
	slices.SortFunc(tags, func(a, b notesTag) int { return a.version.Compare(b.version) })
	return tags, tagged, nil
}

// notesFold returns the tags of a rebuild that get a section, oldest
// version first, from tags (the version tags HEAD reaches, oldest first),
// and remap, which maps the section of a commit in tags (1 + the tag's
// index; 0 for next, the version written for the commits since the last
// tag) to its section in the tags returned.
//
// Every tag gets its section, unless fold (changelog.prereleases: fold):
// then a prerelease tag with a stable version above it (a stable tag, or
// next when it is stable) gets none, and the commits its section would
// list go to the section of the lowest stable version above it, whether
// or not that tag contains them (a squashed promotion does not). So a
// stable section lists every commit since the previous stable tag. A
// prerelease with no stable version above it keeps its section: folding
// it into nothing would leave its commits out until the stable release.
func notesFold(tags []notesTag, next *semver.Version, fold bool) ([]notesTag, []int) {
	remap := make([]int, len(tags)+1)
	for i := range remap {
		remap[i] = i
	}
	if !fold {
		return tags, remap
	}
	var top *semver.Version // the highest stable version written
	if next != nil && next.Prerelease() == "" {
		top = next
	}
	for _, t := range tags {
		if t.version.Prerelease() == "" && (top == nil || top.LessThan(t.version)) {
			top = t.version
		}
	}
	folded := func(t notesTag) bool {
		return t.version.Prerelease() != "" && top != nil && t.version.LessThan(top)
	}
	var kept []notesTag
	into := make([]int, len(tags)) // index in tags of the section listing tags[i]'s commits; -1 next
	for i := len(tags) - 1; i >= 0; i-- {
		switch {
		case !folded(tags[i]):
			into[i] = i
		case i+1 < len(tags) && tags[i+1].version.Prerelease() == "":
			into[i] = i + 1 // the stable version right above
		case i+1 < len(tags):
			into[i] = into[i+1] // a folded prerelease: the same stable version
		default:
			into[i] = -1 // next
		}
	}
	at := make([]int, len(tags)) // index in kept of tags[i], when kept
	for i, t := range tags {
		if into[i] == i {
			at[i] = len(kept)
			kept = append(kept, t)
		}
	}
	for i := range tags {
		if into[i] >= 0 {
			remap[i+1] = at[into[i]] + 1
		} else {
			remap[i+1] = 0
		}
	}
	return kept, remap
}
