package githubfake

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// This file backs a repository's git data with a real (bare) git
// repository, so that commits, trees and refs made through the API are
// git objects a clone can fetch, and a branch pushed to that repository is
// what the API reads. The git binary does the work; the fake's own writes
// (update-ref) bypass the repository's hooks, as GitHub's writes bypass a
// push hook.

// gitRepo is a bare repository backing a fake repository's git data.
type gitRepo struct {
	t    testing.TB
	dir  string // the git directory
	home string // HOME for git: no user configuration is read
	now  func() time.Time
	// verified holds the commits the fake signed: made through the API
	// without a custom author, committer or signature, or by a merge.
	verified map[string]bool
}

// BackWithGit makes the git data of owner/name (refs, trees, commits, pull
// request heads and merges) live in the git repository gitDir, usually a
// bare repository a test's clone has as its remote. Commits the fake makes
// have "GitHub <noreply@github.com>" as committer and the fake's clock as
// date. Branch protection and rulesets set on the fake still refuse ref
// updates through the API.
func (s *Server) BackWithGit(owner, name, gitDir string) {
	home := s.t.TempDir()
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.repoLocked(owner, name).m()
	m.git = &gitRepo{t: s.t, dir: gitDir, home: home, now: s.now, verified: map[string]bool{}}
}

// gitIdent is a git author or committer.
type gitIdent struct{ name, email string }

var githubIdent = gitIdent{"GitHub", "noreply@github.com"}

// run runs git on the repository with stdin and extra environment, and
// returns its standard output.
func (g *gitRepo) run(stdin string, env []string, args ...string) (string, error) {
	cmd := exec.Command("git", append([]string{"--git-dir", g.dir}, args...)...)
	date := fmt.Sprintf("@%d +0000", g.now().Unix())
	cmd.Env = append(cmd.Environ(),
		"GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null", "HOME="+g.home, "GIT_TERMINAL_PROMPT=0",
		"GIT_AUTHOR_NAME="+githubIdent.name, "GIT_AUTHOR_EMAIL="+githubIdent.email, "GIT_AUTHOR_DATE="+date,
		"GIT_COMMITTER_NAME="+githubIdent.name, "GIT_COMMITTER_EMAIL="+githubIdent.email, "GIT_COMMITTER_DATE="+date,
	)
	cmd.Env = append(cmd.Env, env...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return out.String(), fmt.Errorf("git %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(errb.String()))
	}
	return out.String(), nil
}

// exitCode is the exit status of a failed git run, -1 when it did not run.
func exitCode(err error) int {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	return -1
}

var shaRE = regexp.MustCompile(`^[0-9a-f]{40}$`)

// objectType is the type of object sha ("commit", "tree", "blob", "tag"),
// "" when sha names no object.
func (g *gitRepo) objectType(sha string) string {
	if !shaRE.MatchString(sha) {
		return ""
	}
	out, err := g.run("", nil, "cat-file", "-t", sha)
	if err != nil {
		return ""
	}
	return strings.TrimSpace(out)
}

// syncRefs reads the repository's branches and tags into m.refs.
func (g *gitRepo) syncRefs(m *repoMore) error {
	out, err := g.run("", nil, "for-each-ref", "--format=%(objectname) %(refname)", "refs/heads", "refs/tags")
	if err != nil {
		return err
	}
	refs := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if sha, ref, ok := strings.Cut(line, " "); ok {
			refs[strings.TrimPrefix(ref, "refs/")] = sha
		}
	}
	m.refs = refs
	return nil
}

// isAncestor reports whether a is b or an ancestor of b.
func (g *gitRepo) isAncestor(a, b string) bool {
	if !shaRE.MatchString(a) || !shaRE.MatchString(b) {
		return false
	}
	_, err := g.run("", nil, "merge-base", "--is-ancestor", a, b)
	return err == nil
}

// readCommit reads commit sha.
func (g *gitRepo) readCommit(sha string) (*Commit, bool) {
	if g.objectType(sha) != "commit" {
		return nil, false
	}
	out, err := g.run("", nil, "cat-file", "commit", sha)
	if err != nil {
		return nil, false
	}
	head, msg, _ := strings.Cut(out, "\n\n")
	c := &Commit{SHA: sha, Message: msg, Verified: g.verified[sha]}
	for _, line := range strings.Split(head, "\n") {
		k, v, _ := strings.Cut(line, " ")
		switch k {
		case "tree":
			c.Tree = v
		case "parent":
			c.Parents = append(c.Parents, v)
		case "author":
			if name, rest, ok := strings.Cut(v, " <"); ok {
				c.AuthorName = name
				c.AuthorEmail, _, _ = strings.Cut(rest, ">")
			}
		}
	}
	return c, true
}

// commitTree makes a commit of tree with parents and message, by author
// (GitHub when zero) and committer (GitHub when zero).
func (g *gitRepo) commitTree(tree string, parents []string, message string, author, committer gitIdent) (string, error) {
	args := []string{"commit-tree", tree}
	for _, p := range parents {
		args = append(args, "-p", p)
	}
	var env []string
	if author.name != "" || author.email != "" {
		env = append(env, "GIT_AUTHOR_NAME="+author.name, "GIT_AUTHOR_EMAIL="+author.email)
	}
	if committer.name != "" || committer.email != "" {
		env = append(env, "GIT_COMMITTER_NAME="+committer.name, "GIT_COMMITTER_EMAIL="+committer.email)
	}
	out, err := g.run(message, env, args...)
	return strings.TrimSpace(out), err
}

// updateRef moves ref ("heads/main") to sha when it is at old (zero:
// when it does not exist), bypassing hooks.
func (g *gitRepo) updateRef(ref, sha, old string) error {
	if old == "" {
		old = strings.Repeat("0", 40)
	}
	_, err := g.run("", nil, "update-ref", "refs/"+ref, sha, old)
	return err
}

// index is a temporary index for building a tree.
type index struct {
	g   *gitRepo
	env []string
}

func (g *gitRepo) newIndex() (*index, func(), error) {
	dir, err := os.MkdirTemp("", "githubfake-index-")
	if err != nil {
		return nil, nil, err
	}
	return &index{g: g, env: []string{"GIT_INDEX_FILE=" + filepath.Join(dir, "index")}}, func() { os.RemoveAll(dir) }, nil
}

func (ix *index) run(stdin string, args ...string) (string, error) {
	return ix.g.run(stdin, ix.env, args...)
}

// set puts a blob or gitlink entry at path, replacing what is there.
func (ix *index) set(mode, sha, path string) error {
	_, err := ix.run(fmt.Sprintf("%s %s\t%s\x00", mode, sha, path), "update-index", "--add", "--replace", "-z", "--index-info")
	return err
}

// remove removes path (a file, or everything under a directory) and
// reports whether there was anything to remove.
func (ix *index) remove(path string) (bool, error) {
	out, err := ix.run("", "ls-files", "-z", "--cached", "--", ":(literal)"+path)
	if err != nil {
		return false, err
	}
	var b strings.Builder
	for _, p := range strings.Split(out, "\x00") {
		if p != "" {
			fmt.Fprintf(&b, "0 %s\t%s\x00", strings.Repeat("0", 40), p)
		}
	}
	if b.Len() == 0 {
		return false, nil
	}
	_, err = ix.run(b.String(), "update-index", "-z", "--index-info")
	return true, err
}

// gitPathOK is GitHub's refusal of tree paths: relative, clean, not under .git.
func gitPathOK(p string) bool {
	if p == "" || strings.HasPrefix(p, "/") {
		return false
	}
	for _, part := range strings.Split(p, "/") {
		if part == "" || part == "." || part == ".." || strings.EqualFold(part, ".git") {
			return false
		}
	}
	return true
}

// gitFailed reports an infrastructure failure of git to the test and
// answers 500.
func (g *gitRepo) gitFailed(err error) *answer {
	g.t.Errorf("githubfake: %v", err)
	return errorAnswer(http.StatusInternalServerError, "Server Error")
}

// dispatchGit answers the git data operations of a git-backed repository;
// nil for the others, which the model answers from the synced refs.
func (s *Server) dispatchGit(op string, params map[string]string, body []byte, r *repo) *answer {
	m := r.m()
	g := m.git
	if err := g.syncRefs(m); err != nil {
		return g.gitFailed(err)
	}
	switch op {
	case "POST /repos/{owner}/{repo}/git/trees":
		return s.createTreeGit(r, body)
	case "POST /repos/{owner}/{repo}/git/commits":
		return s.createCommitGit(r, body)
	case "GET /repos/{owner}/{repo}/git/commits/{commit_sha}":
		c, ok := g.readCommit(params["commit_sha"])
		if !ok {
			return errorAnswer(http.StatusNotFound, "Not Found")
		}
		return jsonAnswer(http.StatusOK, s.commitJSON(r, c))
	}
	return nil
}

func (s *Server) createTreeGit(r *repo, body []byte) *answer {
	if !r.perms.Push {
		return forbidden("contents=write")
	}
	var in treeRequest
	if err := json.Unmarshal(body, &in); err != nil {
		return validationFailed("Problems parsing JSON")
	}
	g := r.m().git
	ix, done, err := g.newIndex()
	if err != nil {
		return g.gitFailed(err)
	}
	defer done()
	if in.BaseTree != nil {
		// A commit's sha is accepted as base_tree too, as GitHub does.
		if typ := g.objectType(*in.BaseTree); typ != "tree" && typ != "commit" {
			return validationFailed("Invalid request.\n\nbase_tree is not a valid tree.")
		}
		if _, err := ix.run("", "read-tree", *in.BaseTree); err != nil {
			return g.gitFailed(err)
		}
	} else if _, err := ix.run("", "read-tree", "--empty"); err != nil {
		return g.gitFailed(err)
	}
	for _, e := range in.Tree {
		if !gitPathOK(e.Path) {
			return validationFailed(fmt.Sprintf("tree.path %q is invalid", e.Path))
		}
		switch {
		case e.Content != nil && e.SHA != nil:
			return validationFailed("Invalid tree info: only one of sha and content may be set")
		case e.Content != nil:
			if e.Type != "blob" {
				return validationFailed("Invalid tree info: content is only for blobs")
			}
			out, err := ix.run(*e.Content, "hash-object", "-w", "--stdin")
			if err != nil {
				return g.gitFailed(err)
			}
			if err := ix.set(e.Mode, strings.TrimSpace(out), e.Path); err != nil {
				return g.gitFailed(err)
			}
		case e.SHA == nil:
			found, err := ix.remove(e.Path)
			if err != nil {
				return g.gitFailed(err)
			}
			if !found {
				return validationFailed(fmt.Sprintf("GitRPC::BadObjectState: cannot delete %s: not in the base tree", e.Path))
			}
		default:
			typ := g.objectType(*e.SHA)
			if e.Type != "commit" && typ != e.Type {
				return validationFailed(fmt.Sprintf("Invalid tree info: %s is not a %s", *e.SHA, e.Type))
			}
			if e.Type == "tree" {
				if _, err := ix.remove(e.Path); err != nil {
					return g.gitFailed(err)
				}
				if _, err := ix.run("", "read-tree", "--prefix="+e.Path+"/", *e.SHA); err != nil {
					return g.gitFailed(err)
				}
				continue
			}
			if !shaRE.MatchString(*e.SHA) {
				return validationFailed(fmt.Sprintf("Invalid tree info: %q is not a sha", *e.SHA))
			}
			if err := ix.set(e.Mode, *e.SHA, e.Path); err != nil {
				return g.gitFailed(err)
			}
		}
	}
	out, err := ix.run("", "write-tree")
	if err != nil {
		return g.gitFailed(err)
	}
	sha := strings.TrimSpace(out)
	list, err := g.treeEntries(sha)
	if err != nil {
		return g.gitFailed(err)
	}
	return jsonAnswer(http.StatusCreated, map[string]any{
		"sha": sha, "url": s.api("repos/%s/%s/git/trees/%s", r.owner, r.name, sha), "tree": list, "truncated": false,
	})
}

// treeEntries renders the top-level entries of tree sha, as GitHub
// answers a tree.
func (g *gitRepo) treeEntries(sha string) ([]any, error) {
	out, err := g.run("", nil, "ls-tree", "-l", "-z", sha)
	if err != nil {
		return nil, err
	}
	list := []any{}
	for _, rec := range strings.Split(out, "\x00") {
		meta, path, ok := strings.Cut(rec, "\t")
		if !ok {
			continue
		}
		f := strings.Fields(meta) // mode type sha size
		if len(f) != 4 {
			continue
		}
		item := map[string]any{"path": path, "mode": f[0], "type": f[1], "sha": f[2]}
		if n, err := strconv.Atoi(f[3]); err == nil {
			item["size"] = n
		}
		list = append(list, item)
	}
	return list, nil
}

func (s *Server) createCommitGit(r *repo, body []byte) *answer {
	if !r.perms.Push {
		return forbidden("contents=write")
	}
	var in struct {
		Message   string   `json:"message"`
		Tree      string   `json:"tree"`
		Parents   []string `json:"parents"`
		Author    *struct{ Name, Email string }
		Committer *struct{ Name, Email string } `json:"committer"`
		Signature *string                       `json:"signature"`
	}
	if err := json.Unmarshal(body, &in); err != nil {
		return validationFailed("Problems parsing JSON")
	}
	g := r.m().git
	if g.objectType(in.Tree) != "tree" {
		return validationFailed("Tree SHA does not exist")
	}
	for _, p := range in.Parents {
		if g.objectType(p) != "commit" {
			return validationFailed("Parent SHA does not exist or is not a commit object")
		}
	}
	var author, committer gitIdent
	if in.Author != nil {
		author = gitIdent{in.Author.Name, in.Author.Email}
	}
	if in.Committer != nil {
		committer = gitIdent{in.Committer.Name, in.Committer.Email}
	}
	sha, err := g.commitTree(in.Tree, in.Parents, in.Message, author, committer)
	if err != nil {
		return g.gitFailed(err)
	}
	g.verified[sha] = in.Author == nil && in.Committer == nil && in.Signature == nil
	c, ok := g.readCommit(sha)
	if !ok {
		return g.gitFailed(fmt.Errorf("commit %s just made is not readable", sha))
	}
	return jsonAnswer(http.StatusCreated, s.commitJSON(r, c))
}

// mergeGit merges p into its base in the backing repository: "merge" (the
// default) makes a merge commit of the base's tip and the head's tip,
// "squash" one commit of the merge's tree on the base's tip, "rebase"
// replays the head's commits when the base's tip is an ancestor of the head
// (the git here has no merge-tree --merge-base to replay them onto a moved
// base: such a rebase is answered 405). Conflicts are answered 405 "Merge
// conflict". The base branch moves without running hooks.
func (s *Server) mergeGit(r *repo, p *PullRequest, method, title, message string) *answer {
	m := r.m()
	g := m.git
	if err := g.syncRefs(m); err != nil {
		return g.gitFailed(err)
	}
	if p.State != "open" {
		return errorAnswer(http.StatusMethodNotAllowed, "Pull Request is not mergeable")
	}
	headSHA, ok := m.refs["heads/"+p.Head]
	if !ok {
		return errorAnswer(http.StatusMethodNotAllowed, "Head branch was deleted")
	}
	baseSHA, ok := m.refs["heads/"+p.Base]
	if !ok {
		return errorAnswer(http.StatusMethodNotAllowed, "Base branch was deleted")
	}
	if title == "" {
		switch method {
		case "", "merge":
			title = fmt.Sprintf("Merge pull request #%d from %s/%s", p.Number, r.owner, p.Head)
			if message == "" {
				message = p.Title
			}
		default:
			title = fmt.Sprintf("%s (#%d)", p.Title, p.Number)
		}
	}
	msg := title
	if message != "" {
		msg += "\n\n" + message
	}
	var sha string
	switch method {
	case "rebase":
		var a *answer
		if sha, a = g.rebase(baseSHA, headSHA); a != nil {
			return a
		}
	default:
		out, err := g.run("", nil, "merge-tree", "--write-tree", baseSHA, headSHA)
		if exitCode(err) == 1 {
			return errorAnswer(http.StatusMethodNotAllowed, "Merge conflict")
		}
		if err != nil {
			return g.gitFailed(err)
		}
		tree, _, _ := strings.Cut(out, "\n")
		parents := []string{baseSHA}
		if method == "" || method == "merge" {
			parents = append(parents, headSHA)
		}
		if sha, err = g.commitTree(tree, parents, msg, gitIdent{}, gitIdent{}); err != nil {
			return g.gitFailed(err)
		}
		g.verified[sha] = true
	}
	if err := g.updateRef("heads/"+p.Base, sha, baseSHA); err != nil {
		return g.gitFailed(err)
	}
	m.refs["heads/"+p.Base] = sha
	p.State, p.Merged, p.MergeCommitSHA, p.HeadSHA, p.ClosedAt = "closed", true, sha, headSHA, s.now()
	return jsonAnswer(http.StatusOK, map[string]any{"sha": sha, "merged": true, "message": "Pull Request successfully merged"})
}

// rebase replays the commits of base..head on base, keeping each commit's
// tree, message and author, with GitHub as committer; it returns the last.
func (g *gitRepo) rebase(base, head string) (string, *answer) {
	if !g.isAncestor(base, head) {
		return "", errorAnswer(http.StatusMethodNotAllowed, "This branch can't be rebased")
	}
	out, err := g.run("", nil, "rev-list", "--reverse", "--topo-order", "--parents", base+".."+head)
	if err != nil {
		return "", g.gitFailed(err)
	}
	tip := base
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		if len(f) > 2 {
			return "", errorAnswer(http.StatusMethodNotAllowed, "This branch can't be rebased")
		}
		c, ok := g.readCommit(f[0])
		if !ok {
			return "", g.gitFailed(fmt.Errorf("commit %s is not readable", f[0]))
		}
		if tip, err = g.commitTree(c.Tree, []string{tip}, c.Message, gitIdent{c.AuthorName, c.AuthorEmail}, gitIdent{}); err != nil {
			return "", g.gitFailed(err)
		}
		g.verified[tip] = true
	}
	return tip, nil
}

// The test helpers of gitdata.go for a git-backed repository.

func (g *gitRepo) setBranch(branch, sha string) {
	if g.objectType(sha) != "commit" {
		g.t.Fatalf("githubfake: SetBranch: %s is not a commit of %s", sha, g.dir)
	}
	if _, err := g.run("", nil, "update-ref", "refs/heads/"+branch, sha); err != nil {
		g.t.Fatalf("githubfake: SetBranch: %v", err)
	}
}

func (g *gitRepo) addCommit(branch, message string, files map[string]string) string {
	fail := func(err error) string {
		g.t.Fatalf("githubfake: AddCommit: %v", err)
		return ""
	}
	ix, done, err := g.newIndex()
	if err != nil {
		return fail(err)
	}
	defer done()
	var parents []string
	if tip, err := g.run("", nil, "rev-parse", "--verify", "--quiet", "refs/heads/"+branch); err == nil {
		parents = []string{strings.TrimSpace(tip)}
		_, err = ix.run("", "read-tree", parents[0])
		if err != nil {
			return fail(err)
		}
	} else if _, err := ix.run("", "read-tree", "--empty"); err != nil {
		return fail(err)
	}
	for p, c := range files {
		out, err := ix.run(c, "hash-object", "-w", "--stdin")
		if err != nil {
			return fail(err)
		}
		if err := ix.set("100644", strings.TrimSpace(out), p); err != nil {
			return fail(err)
		}
	}
	tree, err := ix.run("", "write-tree")
	if err != nil {
		return fail(err)
	}
	sha, err := g.commitTree(strings.TrimSpace(tree), parents, message, gitIdent{"dev", "dev@example.com"}, gitIdent{"dev", "dev@example.com"})
	if err != nil {
		return fail(err)
	}
	old := ""
	if len(parents) > 0 {
		old = parents[0]
	}
	if err := g.updateRef("heads/"+branch, sha, old); err != nil {
		return fail(err)
	}
	return sha
}

func (g *gitRepo) files(sha string) map[string]string {
	out := map[string]string{}
	if g.objectType(sha) != "commit" {
		return out
	}
	list, err := g.run("", nil, "ls-tree", "-r", "-z", sha)
	if err != nil {
		g.t.Errorf("githubfake: Files: %v", err)
		return out
	}
	for _, rec := range strings.Split(list, "\x00") {
		meta, path, ok := strings.Cut(rec, "\t")
		if f := strings.Fields(meta); !ok || len(f) != 3 || f[1] != "blob" {
			continue
		} else if content, err := g.run("", nil, "cat-file", "blob", f[2]); err == nil {
			out[path] = content
		}
	}
	return out
}
