package githubfake

import (
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// This file holds what release PRs need: git data (refs, trees, commits),
// pull requests and their labels, branch protection and rulesets, and
// release assets. Git objects are a model, not git: a tree is a flat map of
// paths to entries, and object names are SHA-1s of the model's own
// encoding, 40 hex digits like git's but not equal to them — unless the
// repository is backed by a real git repository (BackWithGit, gitbacked.go).

// TreeEntry is one path of a tree as the fake stores it. Content is set for
// blobs whose content the fake knows (sent as "content" or given to
// AddCommit).
type TreeEntry struct {
	Mode, Type, SHA, Content string
}

// Commit is a git commit object as the fake stores it.
type Commit struct {
	SHA, Tree, Message string
	Parents            []string
	AuthorName         string
	AuthorEmail        string
	// Verified is GitHub's signature verification: commits created through
	// the API without a custom author, committer or signature are signed by
	// GitHub and verified.
	Verified bool
}

// PullRequest is a pull request as the fake stores it.
type PullRequest struct {
	Number              int
	Title, Body         string
	Head, Base          string // branch names
	HeadSHA             string // the head branch's commit when last read or merged
	State               string // "open" or "closed"
	Draft, Merged       bool
	MergeCommitSHA      string
	Labels              []string
	CreatedAt, ClosedAt time.Time
}

// Protection is a branch's classic protection. A protected branch refuses
// ref updates through the API (422 "Protected branch update failed") when
// it requires reviews or status checks.
type Protection struct {
	RequiredApprovingReviews int      // 0: no review required
	RequireReviews           bool     // a pull request is required (with RequiredApprovingReviews approvals)
	RequiredStatusChecks     []string // contexts
	EnforceAdmins            bool
	AllowForcePushes         bool
}

// Rule is one active ruleset rule for a branch, as
// GET /repos/{owner}/{repo}/rules/branches/{branch} reports it. Type is a
// rule type such as "pull_request", "required_status_checks", "update",
// "non_fast_forward", "deletion", "creation", "required_signatures".
// The types "pull_request" and "update" make the fake refuse ref updates of
// the branch through the API.
type Rule struct {
	Type      string
	RulesetID int64
}

// Asset is a release asset as the fake stores it.
type Asset struct {
	ID          int64
	ReleaseID   int64
	Name, Label string
	ContentType string
	Data        []byte
}

type repoMore struct {
	commits    map[string]*Commit
	trees      map[string]map[string]TreeEntry
	refs       map[string]string // "heads/main" -> sha
	pulls      []*PullRequest
	protection map[string]*Protection
	rules      map[string][]Rule
	assets     []*Asset
	git        *gitRepo   // set by BackWithGit (gitbacked.go)
	comments   []*Comment // comments.go
	issues     []*Issue   // issues.go
}

func (r *repo) m() *repoMore {
	if r.more == nil {
		r.more = &repoMore{
			commits: map[string]*Commit{}, trees: map[string]map[string]TreeEntry{"": {}},
			refs: map[string]string{}, protection: map[string]*Protection{}, rules: map[string][]Rule{},
		}
		r.more.trees[treeSHA(nil)] = map[string]TreeEntry{}
	}
	return r.more
}

func (s *Server) repoLocked(owner, name string) *repo {
	r := s.repos[owner+"/"+name]
	if r == nil {
		s.t.Fatalf("githubfake: no repository %s/%s", owner, name)
	}
	return r
}

// objectName hashes the model's encoding of an object.
func objectName(kind string, parts ...string) string {
	h := sha1.New()
	fmt.Fprintf(h, "%s\x00", kind)
	for _, p := range parts {
		fmt.Fprintf(h, "%d:%s\x00", len(p), p)
	}
	return hex.EncodeToString(h.Sum(nil))
}

func blobSHA(content string) string { return objectName("blob", content) }

func treeSHA(entries map[string]TreeEntry) string {
	paths := make([]string, 0, len(entries))
	for p := range entries {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	parts := []string{}
	for _, p := range paths {
		e := entries[p]
		parts = append(parts, e.Mode, e.Type, e.SHA, p)
	}
	return objectName("tree", parts...)
}

func (m *repoMore) addTree(entries map[string]TreeEntry) string {
	sha := treeSHA(entries)
	m.trees[sha] = entries
	return sha
}

func (m *repoMore) addCommit(c *Commit) string {
	c.SHA = objectName("commit", append([]string{c.Tree, c.Message, c.AuthorName, c.AuthorEmail, strconv.FormatBool(c.Verified)}, c.Parents...)...)
	m.commits[c.SHA] = c
	return c.SHA
}

// isAncestor reports whether a is b or an ancestor of b in the fake's
// commit graph.
func (m *repoMore) isAncestor(a, b string) bool {
	if m.git != nil {
		return m.git.isAncestor(a, b)
	}
	seen := map[string]bool{}
	queue := []string{b}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == a {
			return true
		}
		if seen[c] {
			continue
		}
		seen[c] = true
		if o := m.commits[c]; o != nil {
			queue = append(queue, o.Parents...)
		}
	}
	return false
}

// SetBranch points branch of owner/name at sha. A sha the fake does not
// know becomes a commit with an empty tree and no parents, standing for a
// commit pushed from elsewhere (a real remote the test also uses).
func (s *Server) SetBranch(owner, name, branch, sha string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.repoLocked(owner, name).m()
	if m.git != nil {
		m.git.setBranch(branch, sha)
		return
	}
	if m.commits[sha] == nil {
		m.commits[sha] = &Commit{SHA: sha, Tree: treeSHA(nil), Message: "(pushed elsewhere)"}
	}
	m.refs["heads/"+branch] = sha
}

// AddCommit makes a commit on branch of owner/name (creating the branch
// when missing) whose tree is the branch's tree with files set (path to
// content), as a push would, and returns the commit's sha.
func (s *Server) AddCommit(owner, name, branch, message string, files map[string]string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.repoLocked(owner, name).m()
	if m.git != nil {
		return m.git.addCommit(branch, message, files)
	}
	entries := map[string]TreeEntry{}
	var parents []string
	if tip, ok := m.refs["heads/"+branch]; ok {
		parents = []string{tip}
		for p, e := range m.trees[m.commits[tip].Tree] {
			entries[p] = e
		}
	}
	for p, c := range files {
		entries[p] = TreeEntry{Mode: "100644", Type: "blob", SHA: blobSHA(c), Content: c}
	}
	sha := m.addCommit(&Commit{Tree: m.addTree(entries), Message: message, Parents: parents, AuthorName: "dev", AuthorEmail: "dev@example.com"})
	m.refs["heads/"+branch] = sha
	return sha
}

// Ref returns the sha ref ("heads/main", "tags/v1.0.0") of owner/name
// points at.
func (s *Server) Ref(owner, name, ref string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.repoLocked(owner, name).m()
	if m.git != nil {
		if err := m.git.syncRefs(m); err != nil {
			s.t.Fatalf("githubfake: Ref: %v", err)
		}
	}
	sha, ok := m.refs[ref]
	return sha, ok
}

// GitCommit returns a copy of commit sha of owner/name.
func (s *Server) GitCommit(owner, name, sha string) (Commit, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.repoLocked(owner, name).m()
	c := m.commits[sha]
	if m.git != nil {
		c, _ = m.git.readCommit(sha)
	}
	if c == nil {
		return Commit{}, false
	}
	cp := *c
	cp.Parents = slices.Clone(c.Parents)
	return cp, true
}

// Files returns the blob contents of the tree of commit sha (path to
// content; blobs the fake has no content for are left out).
func (s *Server) Files(owner, name, sha string) map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.repoLocked(owner, name).m()
	if m.git != nil {
		return m.git.files(sha)
	}
	out := map[string]string{}
	c := m.commits[sha]
	if c == nil {
		return out
	}
	for p, e := range m.trees[c.Tree] {
		if e.Type == "blob" && (e.Content != "" || e.SHA == blobSHA("")) {
			out[p] = e.Content
		}
	}
	return out
}

// Protect sets branch's classic protection in owner/name.
func (s *Server) Protect(owner, name, branch string, p Protection) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.repoLocked(owner, name).m().protection[branch] = &p
}

// AddRule adds an active ruleset rule for branch in owner/name.
func (s *Server) AddRule(owner, name, branch string, rule Rule) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.repoLocked(owner, name).m()
	m.rules[branch] = append(m.rules[branch], rule)
}

// PullRequests returns copies of owner/name's pull requests in creation order.
func (s *Server) PullRequests(owner, name string) []PullRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []PullRequest
	for _, p := range s.repoLocked(owner, name).m().pulls {
		cp := *p
		cp.Labels = slices.Clone(p.Labels)
		out = append(out, cp)
	}
	return out
}

// Assets returns copies of the assets of release releaseID in owner/name,
// in upload order.
func (s *Server) Assets(owner, name string, releaseID int64) []Asset {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Asset
	for _, a := range s.repoLocked(owner, name).m().assets {
		if a.ReleaseID == releaseID {
			cp := *a
			cp.Data = slices.Clone(a.Data)
			out = append(out, cp)
		}
	}
	return out
}

// MergePull merges pull request number of owner/name as a person would on
// github.com (branch protection does not stop it) with a merge commit, and
// returns the merge commit's sha.
func (s *Server) MergePull(owner, name string, number int) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.repoLocked(owner, name)
	p := r.m().pull(number)
	if p == nil {
		s.t.Fatalf("githubfake: MergePull: no pull request #%d in %s/%s", number, owner, name)
		return ""
	}
	a := s.merge(r, p, "merge", "", "")
	if a.status != http.StatusOK {
		s.t.Fatalf("githubfake: MergePull #%d: %d %s", number, a.status, a.body)
		return ""
	}
	return p.MergeCommitSHA
}

func (m *repoMore) pull(number int) *PullRequest {
	for _, p := range m.pulls {
		if p.Number == number {
			return p
		}
	}
	return nil
}

// pushRefusal says why a ref update of branch through the API is refused,
// "" when it is not.
func (m *repoMore) pushRefusal(branch string) string {
	if p := m.protection[branch]; p != nil && (p.RequireReviews || p.RequiredApprovingReviews > 0 || len(p.RequiredStatusChecks) > 0) {
		return fmt.Sprintf("Protected branch update failed for refs/heads/%s.", branch)
	}
	for _, r := range m.rules[branch] {
		if r.Type == "pull_request" || r.Type == "update" || r.Type == "required_status_checks" {
			return fmt.Sprintf("Repository rule violations found\n\nChanges must be made through a pull request.\n\nrefs/heads/%s", branch)
		}
	}
	return ""
}

// escapeRef turns the slashes of the ref in a git ref path into "~" (which
// no ref name may contain), so the router sees one path segment; unescapeRef
// undoes it. It returns path unchanged when it is not a ref path.
func escapeRef(path string) (string, bool) {
	for _, marker := range []string{"/git/ref/", "/git/refs/"} {
		if i := strings.Index(path, marker); i >= 0 && strings.HasPrefix(path, BasePath+"repos/") {
			rest := path[i+len(marker):]
			if rest == "" {
				return path, false
			}
			return path[:i+len(marker)] + strings.ReplaceAll(rest, "/", "~"), true
		}
	}
	return path, false
}

func unescapeRef(ref string) string {
	ref, _ = url.PathUnescape(strings.ReplaceAll(ref, "~", "/"))
	return ref
}

// dispatchMore answers the operations of this file; nil when op is not one.
func (s *Server) dispatchMore(req *http.Request, op string, params map[string]string, body []byte, r *repo) *answer {
	m := r.m()
	if a := s.dispatchComments(req, op, params, body, r); a != nil {
		return a
	}
	if a := s.dispatchIssues(op, body, r); a != nil {
		return a
	}
	if m.git != nil {
		if a := s.dispatchGit(op, params, body, r); a != nil {
			return a
		}
	}
	switch op {
	case "GET /repos/{owner}/{repo}/git/ref/{ref}":
		ref := unescapeRef(params["ref"])
		sha, ok := m.refs[ref]
		if !ok {
			return errorAnswer(http.StatusNotFound, "Not Found")
		}
		return jsonAnswer(http.StatusOK, s.refJSON(r, ref, sha))
	case "POST /repos/{owner}/{repo}/git/refs":
		return s.createRef(r, body)
	case "PATCH /repos/{owner}/{repo}/git/refs/{ref}":
		return s.updateRef(r, unescapeRef(params["ref"]), body)
	case "POST /repos/{owner}/{repo}/git/trees":
		return s.createTree(r, body)
	case "POST /repos/{owner}/{repo}/git/commits":
		return s.createCommit(r, body)
	case "GET /repos/{owner}/{repo}/git/commits/{commit_sha}":
		c := m.commits[params["commit_sha"]]
		if c == nil {
			return errorAnswer(http.StatusNotFound, "Not Found")
		}
		return jsonAnswer(http.StatusOK, s.commitJSON(r, c))
	case "GET /repos/{owner}/{repo}/pulls":
		return s.listPulls(req, r)
	case "POST /repos/{owner}/{repo}/pulls":
		return s.createPull(r, body)
	case "GET /repos/{owner}/{repo}/pulls/{pull_number}":
		n, _ := strconv.Atoi(params["pull_number"])
		p := m.pull(n)
		if p == nil {
			return errorAnswer(http.StatusNotFound, "Not Found")
		}
		return jsonAnswer(http.StatusOK, s.pullJSON(r, p, true))
	case "PATCH /repos/{owner}/{repo}/pulls/{pull_number}":
		n, _ := strconv.Atoi(params["pull_number"])
		return s.editPull(r, n, body)
	case "PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge":
		n, _ := strconv.Atoi(params["pull_number"])
		p := m.pull(n)
		if p == nil {
			return errorAnswer(http.StatusNotFound, "Not Found")
		}
		if !r.perms.Push {
			return forbidden("contents=write")
		}
		var in struct {
			CommitTitle   string `json:"commit_title"`
			CommitMessage string `json:"commit_message"`
			SHA           string `json:"sha"`
			MergeMethod   string `json:"merge_method"`
		}
		if len(body) > 0 {
			if err := json.Unmarshal(body, &in); err != nil {
				return validationFailed("Problems parsing JSON")
			}
		}
		if in.SHA != "" && in.SHA != m.refs["heads/"+p.Head] {
			return errorAnswer(http.StatusConflict, "Head branch was modified. Review and try the merge again.")
		}
		return s.merge(r, p, in.MergeMethod, in.CommitTitle, in.CommitMessage)
	case "POST /repos/{owner}/{repo}/issues/{issue_number}/labels":
		return s.addLabels(r, params["issue_number"], body)
	case "DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels/{name}":
		return s.removeLabel(r, params["issue_number"], params["name"])
	case "GET /repos/{owner}/{repo}/branches/{branch}/protection":
		// Classic protection is readable only with the administration
		// permission, which Actions' GITHUB_TOKEN lacks.
		if !r.perms.Admin {
			return forbidden("administration=read")
		}
		branch, _ := url.PathUnescape(params["branch"])
		p := m.protection[branch]
		if p == nil {
			return errorAnswer(http.StatusNotFound, "Branch not protected")
		}
		return jsonAnswer(http.StatusOK, s.protectionJSON(r, branch, p))
	case "GET /repos/{owner}/{repo}/rules/branches/{branch}":
		branch, _ := url.PathUnescape(params["branch"])
		list := []any{}
		for _, rule := range m.rules[branch] {
			list = append(list, ruleJSON(r, rule))
		}
		return jsonAnswer(http.StatusOK, list)
	case "GET /repos/{owner}/{repo}/releases/{release_id}/assets":
		rel := findRelease(r, params["release_id"])
		if rel == nil {
			return errorAnswer(http.StatusNotFound, "Not Found")
		}
		list := []any{}
		for _, a := range m.assets {
			if a.ReleaseID == rel.ID {
				list = append(list, s.assetJSON(r, a))
			}
		}
		return jsonAnswer(http.StatusOK, list)
	case "POST /repos/{owner}/{repo}/releases/{release_id}/assets":
		return s.uploadAsset(req, r, params["release_id"], body)
	case "DELETE /repos/{owner}/{repo}/releases/assets/{asset_id}":
		if !r.perms.Push {
			return forbidden("contents=write")
		}
		id, _ := strconv.ParseInt(params["asset_id"], 10, 64)
		for i, a := range m.assets {
			if a.ID == id {
				m.assets = slices.Delete(m.assets, i, i+1)
				return &answer{status: http.StatusNoContent, header: http.Header{}}
			}
		}
		return errorAnswer(http.StatusNotFound, "Not Found")
	}
	return nil
}

func (s *Server) createRef(r *repo, body []byte) *answer {
	if !r.perms.Push {
		return forbidden("contents=write")
	}
	var in struct{ Ref, SHA string }
	if err := json.Unmarshal(body, &in); err != nil {
		return validationFailed("Problems parsing JSON")
	}
	m := r.m()
	if !strings.HasPrefix(in.Ref, "refs/") || strings.Count(in.Ref, "/") < 2 {
		return validationFailed("Reference name must start with 'refs/' and have at least two slashes.")
	}
	if !m.validRefName(in.Ref) {
		return validationFailed("Reference name is invalid")
	}
	ref := strings.TrimPrefix(in.Ref, "refs/")
	if _, ok := m.refs[ref]; ok {
		return validationFailed("Reference already exists")
	}
	return s.setRef(r, ref, in.SHA, "", false, http.StatusCreated)
}

func (s *Server) updateRef(r *repo, ref string, body []byte) *answer {
	if !r.perms.Push {
		return forbidden("contents=write")
	}
	var in struct {
		SHA   string
		Force bool
	}
	if err := json.Unmarshal(body, &in); err != nil {
		return validationFailed("Problems parsing JSON")
	}
	m := r.m()
	old, ok := m.refs[ref]
	if !ok {
		return validationFailed("Reference does not exist")
	}
	return s.setRef(r, ref, in.SHA, old, in.Force, http.StatusOK)
}

// setRef points ref at sha (old is its sha now, "" for a new ref) as
// GitHub does: refused when the object is unknown, when the branch's
// protection or rules refuse the update, a forced one that protection
// forbids, or one that is not a fast forward unless forced.
func (s *Server) setRef(r *repo, ref, sha, old string, force bool, status int) *answer {
	m := r.m()
	if !m.hasObject(sha) {
		return validationFailed("Object does not exist")
	}
	if b, ok := strings.CutPrefix(ref, "heads/"); ok {
		if why := m.pushRefusal(b); why != "" {
			return validationFailed(why)
		}
		if p := m.protection[b]; old != "" && force && p != nil && !p.AllowForcePushes {
			return validationFailed(fmt.Sprintf("Cannot force-push to this branch (refs/heads/%s).", b))
		}
	}
	if old != "" && !force && !m.isAncestor(old, sha) {
		return validationFailed("Update is not a fast forward")
	}
	if m.git != nil {
		if err := m.git.updateRef(ref, sha, old); err != nil {
			return m.git.gitFailed(err)
		}
	}
	m.refs[ref] = sha
	return jsonAnswer(status, s.refJSON(r, ref, sha))
}

// hasObject reports whether sha names an object of the repository.
func (m *repoMore) hasObject(sha string) bool {
	if m.git != nil {
		return m.git.objectType(sha) != ""
	}
	return m.commits[sha] != nil
}

// validRefName reports whether git takes ref as a ref name; the model
// takes any.
func (m *repoMore) validRefName(ref string) bool {
	if m.git == nil {
		return true
	}
	_, err := m.git.run("", nil, "check-ref-format", ref)
	return err == nil
}

// treeRequest is the body of POST /repos/{owner}/{repo}/git/trees.
type treeRequest struct {
	BaseTree *string `json:"base_tree"`
	Tree     []struct {
		Path    string  `json:"path"`
		Mode    string  `json:"mode"`
		Type    string  `json:"type"`
		SHA     *string `json:"sha"`
		Content *string `json:"content"`
	} `json:"tree"`
}

func (s *Server) createTree(r *repo, body []byte) *answer {
	if !r.perms.Push {
		return forbidden("contents=write")
	}
	var in treeRequest
	if err := json.Unmarshal(body, &in); err != nil {
		return validationFailed("Problems parsing JSON")
	}
	m := r.m()
	entries := map[string]TreeEntry{}
	if in.BaseTree != nil {
		base, ok := m.trees[*in.BaseTree]
		if !ok {
			// A commit's sha is accepted as base_tree too, as GitHub does.
			if c := m.commits[*in.BaseTree]; c != nil {
				base, ok = m.trees[c.Tree]
			}
		}
		if !ok {
			return validationFailed("Invalid request.\n\nbase_tree is not a valid tree.")
		}
		for p, e := range base {
			entries[p] = e
		}
	}
	for _, e := range in.Tree {
		if e.Path == "" || strings.HasPrefix(e.Path, "/") || strings.Contains("/"+e.Path+"/", "/../") || strings.Contains("/"+e.Path+"/", "/.git/") {
			return validationFailed(fmt.Sprintf("tree.path %q is invalid", e.Path))
		}
		switch {
		case e.Content != nil && e.SHA != nil:
			return validationFailed("Invalid tree info: only one of sha and content may be set")
		case e.Content != nil:
			if e.Type != "blob" {
				return validationFailed("Invalid tree info: content is only for blobs")
			}
			entries[e.Path] = TreeEntry{Mode: e.Mode, Type: e.Type, SHA: blobSHA(*e.Content), Content: *e.Content}
		case e.SHA == nil:
			if _, ok := entries[e.Path]; !ok {
				return validationFailed(fmt.Sprintf("GitRPC::BadObjectState: cannot delete %s: not in the base tree", e.Path))
			}
			delete(entries, e.Path)
		default:
			entries[e.Path] = TreeEntry{Mode: e.Mode, Type: e.Type, SHA: *e.SHA}
		}
	}
	sha := m.addTree(entries)
	return jsonAnswer(http.StatusCreated, s.treeJSON(r, sha, entries))
}

func (s *Server) createCommit(r *repo, body []byte) *answer {
	if !r.perms.Push {
		return forbidden("contents=write")
	}
	var in struct {
		Message   string   `json:"message"`
		Tree      string   `json:"tree"`
		Parents   []string `json:"parents"`
		Author    *struct{ Name, Email string }
		Committer json.RawMessage `json:"committer"`
		Signature *string         `json:"signature"`
	}
	if err := json.Unmarshal(body, &in); err != nil {
		return validationFailed("Problems parsing JSON")
	}
	m := r.m()
	if _, ok := m.trees[in.Tree]; !ok {
		return validationFailed("Tree SHA does not exist")
	}
	for _, p := range in.Parents {
		if m.commits[p] == nil {
			return validationFailed("Parent SHA does not exist or is not a commit object")
		}
	}
	c := &Commit{Tree: in.Tree, Message: in.Message, Parents: slices.Clone(in.Parents), AuthorName: "github-actions[bot]", AuthorEmail: "41898282+github-actions[bot]@users.noreply.github.com"}
	if in.Author != nil {
		c.AuthorName, c.AuthorEmail = in.Author.Name, in.Author.Email
	}
	c.Verified = in.Author == nil && len(in.Committer) == 0 && in.Signature == nil
	m.addCommit(c)
	return jsonAnswer(http.StatusCreated, s.commitJSON(r, c))
}

func (s *Server) listPulls(req *http.Request, r *repo) *answer {
	q := req.URL.Query()
	state := q.Get("state")
	if state == "" {
		state = "open"
	}
	head, base := q.Get("head"), q.Get("base")
	var list []*PullRequest
	for _, p := range r.m().pulls {
		if state != "all" && p.State != state {
			continue
		}
		// GitHub filters by head only in the form user:ref-name.
		if head != "" {
			owner, branch, ok := strings.Cut(head, ":")
			if !ok || owner != r.owner || branch != p.Head {
				continue
			}
		}
		if base != "" && base != p.Base {
			continue
		}
		list = append(list, p)
	}
	// Newest first, GitHub's default for sort=created.
	slices.Reverse(list)
	return paged(s, req, list, func(p *PullRequest) any { return s.pullJSON(r, p, false) })
}

func (s *Server) createPull(r *repo, body []byte) *answer {
	if !r.perms.Push {
		return forbidden("pull_requests=write")
	}
	var in struct {
		Title *string `json:"title"`
		Body  string  `json:"body"`
		Head  string  `json:"head"`
		Base  string  `json:"base"`
		Draft bool    `json:"draft"`
	}
	if err := json.Unmarshal(body, &in); err != nil {
		return validationFailed("Problems parsing JSON")
	}
	m := r.m()
	head := in.Head
	if o, b, ok := strings.Cut(head, ":"); ok {
		if o != r.owner {
			return validationFailed("Validation Failed", map[string]string{"resource": "PullRequest", "code": "invalid", "field": "head"})
		}
		head = b
	}
	if in.Title == nil || *in.Title == "" {
		return validationFailed("Validation Failed", map[string]string{"resource": "PullRequest", "code": "missing_field", "field": "title"})
	}
	headSHA, ok := m.refs["heads/"+head]
	if !ok {
		return validationFailed("Validation Failed", map[string]string{"resource": "PullRequest", "code": "invalid", "field": "head"})
	}
	baseSHA, ok := m.refs["heads/"+in.Base]
	if !ok {
		return validationFailed("Validation Failed", map[string]string{"resource": "PullRequest", "code": "invalid", "field": "base"})
	}
	for _, p := range m.pulls {
		if p.State == "open" && p.Head == head && p.Base == in.Base {
			return validationFailed("Validation Failed", map[string]string{"resource": "PullRequest", "code": "custom", "message": fmt.Sprintf("A pull request already exists for %s:%s.", r.owner, head)})
		}
	}
	if m.isAncestor(headSHA, baseSHA) {
		return validationFailed("Validation Failed", map[string]string{"resource": "PullRequest", "code": "custom", "message": fmt.Sprintf("No commits between %s and %s", in.Base, head)})
	}
	s.nextID++
	p := &PullRequest{Number: len(m.pulls) + 1, Title: *in.Title, Body: in.Body, Head: head, Base: in.Base, HeadSHA: headSHA, State: "open", Draft: in.Draft, CreatedAt: s.now()}
	m.pulls = append(m.pulls, p)
	return jsonAnswer(http.StatusCreated, s.pullJSON(r, p, true))
}

func (s *Server) editPull(r *repo, number int, body []byte) *answer {
	if !r.perms.Push {
		return forbidden("pull_requests=write")
	}
	m := r.m()
	p := m.pull(number)
	if p == nil {
		return errorAnswer(http.StatusNotFound, "Not Found")
	}
	var in struct {
		Title, Body, Base, State *string
	}
	if err := json.Unmarshal(body, &in); err != nil {
		return validationFailed("Problems parsing JSON")
	}
	if in.Base != nil {
		if _, ok := m.refs["heads/"+*in.Base]; !ok {
			return validationFailed("Validation Failed", map[string]string{"resource": "PullRequest", "code": "invalid", "field": "base"})
		}
	}
	if in.State != nil && *in.State == "open" && p.Merged {
		return validationFailed("Validation Failed", map[string]string{"resource": "PullRequest", "code": "custom", "field": "state", "message": "state cannot be changed. The pull request is merged."})
	}
	if in.Title != nil {
		p.Title = *in.Title
	}
	if in.Body != nil {
		p.Body = *in.Body
	}
	if in.Base != nil {
		p.Base = *in.Base
	}
	if in.State != nil && *in.State != p.State {
		p.State = *in.State
		p.ClosedAt = time.Time{}
		if p.State == "closed" {
			p.ClosedAt = s.now()
		}
	}
	return jsonAnswer(http.StatusOK, s.pullJSON(r, p, true))
}

// merge merges p into its base: the head's tree on top of the base's tip,
// with the head as second parent for "merge" (the default) and none for
// "squash" and "rebase". The head is assumed to contain the base's changes
// (a release branch is cut from the base); the fake does not merge trees.
func (s *Server) merge(r *repo, p *PullRequest, method, title, message string) *answer {
	m := r.m()
	if m.git != nil {
		return s.mergeGit(r, p, method, title, message)
	}
	if p.State != "open" {
		return errorAnswer(http.StatusMethodNotAllowed, "Pull Request is not mergeable")
	}
	headSHA, ok := m.refs["heads/"+p.Head]
	if !ok {
		return errorAnswer(http.StatusMethodNotAllowed, "Head branch was deleted")
	}
	baseSHA := m.refs["heads/"+p.Base]
	if title == "" {
		title = p.Title
		if method == "" || method == "merge" {
			title = fmt.Sprintf("Merge pull request #%d from %s/%s", p.Number, r.owner, p.Head)
		}
	}
	msg := title
	if message != "" {
		msg += "\n\n" + message
	}
	parents := []string{baseSHA}
	if method == "" || method == "merge" {
		parents = append(parents, headSHA)
	}
	c := &Commit{Tree: m.commits[headSHA].Tree, Message: msg, Parents: parents, AuthorName: "merger", AuthorEmail: "merger@example.com", Verified: true}
	sha := m.addCommit(c)
	m.refs["heads/"+p.Base] = sha
	p.State, p.Merged, p.MergeCommitSHA, p.HeadSHA, p.ClosedAt = "closed", true, sha, headSHA, s.now()
	return jsonAnswer(http.StatusOK, map[string]any{"sha": sha, "merged": true, "message": "Pull Request successfully merged"})
}

func (s *Server) addLabels(r *repo, number string, body []byte) *answer {
	if !r.perms.Push {
		return forbidden("issues=write")
	}
	n, _ := strconv.Atoi(number)
	p := r.m().pull(n)
	if p == nil {
		// The fake has no issues: only pull requests take labels.
		return errorAnswer(http.StatusNotFound, "Not Found")
	}
	var names []string
	var in struct {
		Labels []json.RawMessage `json:"labels"`
	}
	var list []json.RawMessage
	if err := json.Unmarshal(body, &in); err == nil && in.Labels != nil {
		list = in.Labels
	} else if err := json.Unmarshal(body, &list); err != nil {
		return validationFailed("Problems parsing JSON")
	}
	for _, raw := range list {
		var name string
		if json.Unmarshal(raw, &name) != nil {
			var obj struct{ Name string }
			json.Unmarshal(raw, &obj)
			name = obj.Name
		}
		names = append(names, name)
	}
	for _, name := range names {
		if name != "" && !slices.Contains(p.Labels, name) {
			p.Labels = append(p.Labels, name)
		}
	}
	out := []any{}
	for _, l := range p.Labels {
		out = append(out, s.labelJSON(r, l))
	}
	return jsonAnswer(http.StatusOK, out)
}

// removeLabel takes label off pull request number and answers the labels
// left; 404 "Label does not exist" when it is not on it, as GitHub.
func (s *Server) removeLabel(r *repo, number, label string) *answer {
	if !r.perms.Push {
		return forbidden("issues=write")
	}
	n, _ := strconv.Atoi(number)
	p := r.m().pull(n)
	if p == nil {
		return errorAnswer(http.StatusNotFound, "Not Found")
	}
	label, _ = url.PathUnescape(label)
	i := slices.Index(p.Labels, label)
	if i < 0 {
		return errorAnswer(http.StatusNotFound, "Label does not exist")
	}
	p.Labels = slices.Delete(p.Labels, i, i+1)
	out := []any{}
	for _, l := range p.Labels {
		out = append(out, s.labelJSON(r, l))
	}
	return jsonAnswer(http.StatusOK, out)
}

func (s *Server) uploadAsset(req *http.Request, r *repo, releaseID string, body []byte) *answer {
	if !r.perms.Push {
		return forbidden("contents=write")
	}
	rel := findRelease(r, releaseID)
	if rel == nil {
		return errorAnswer(http.StatusNotFound, "Not Found")
	}
	name := req.URL.Query().Get("name")
	if name == "" {
		return validationFailed("Validation Failed", map[string]string{"resource": "ReleaseAsset", "code": "missing_field", "field": "name"})
	}
	if req.ContentLength >= 0 && req.ContentLength != int64(len(body)) {
		return validationFailed("Validation Failed", map[string]string{"resource": "ReleaseAsset", "code": "custom", "field": "size", "message": "size does not match the body"})
	}
	m := r.m()
	for _, a := range m.assets {
		if a.ReleaseID == rel.ID && a.Name == name {
			return validationFailed("Validation Failed", map[string]string{"resource": "ReleaseAsset", "code": "already_exists", "field": "name"})
		}
	}
	s.nextID++
	a := &Asset{ID: s.nextID, ReleaseID: rel.ID, Name: name, Label: req.URL.Query().Get("label"), ContentType: req.Header.Get("Content-Type"), Data: body}
	m.assets = append(m.assets, a)
	return jsonAnswer(http.StatusCreated, s.assetJSON(r, a))
}

// JSON renderings, with every field the description requires.

func (s *Server) refJSON(r *repo, ref, sha string) map[string]any {
	typ := "commit"
	return map[string]any{
		"ref": "refs/" + ref, "node_id": "REF_" + objectName("ref", ref)[:12],
		"url":    s.api("repos/%s/%s/git/refs/%s", r.owner, r.name, ref),
		"object": map[string]any{"type": typ, "sha": sha, "url": s.api("repos/%s/%s/git/commits/%s", r.owner, r.name, sha)},
	}
}

func (s *Server) treeJSON(r *repo, sha string, entries map[string]TreeEntry) map[string]any {
	paths := make([]string, 0, len(entries))
	for p := range entries {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	list := []any{}
	for _, p := range paths {
		e := entries[p]
		item := map[string]any{"path": p, "mode": e.Mode, "type": e.Type, "sha": e.SHA}
		if e.Type == "blob" {
			item["size"] = len(e.Content)
		}
		list = append(list, item)
	}
	return map[string]any{"sha": sha, "url": s.api("repos/%s/%s/git/trees/%s", r.owner, r.name, sha), "tree": list, "truncated": false}
}

func (s *Server) commitJSON(r *repo, c *Commit) map[string]any {
	ts := s.now().Format(time.RFC3339)
	parents := []any{}
	for _, p := range c.Parents {
		parents = append(parents, map[string]any{
			"sha": p, "url": s.api("repos/%s/%s/git/commits/%s", r.owner, r.name, p),
			"html_url": fmt.Sprintf("%s/%s/%s/commit/%s", s.srv.URL, r.owner, r.name, p),
		})
	}
	reason := "unsigned"
	var verifiedAt any
	if c.Verified {
		reason, verifiedAt = "valid", ts
	}
	person := map[string]any{"name": c.AuthorName, "email": c.AuthorEmail, "date": ts}
	return map[string]any{
		"sha": c.SHA, "node_id": "C_" + c.SHA[:12], "url": s.api("repos/%s/%s/git/commits/%s", r.owner, r.name, c.SHA),
		"html_url": fmt.Sprintf("%s/%s/%s/commit/%s", s.srv.URL, r.owner, r.name, c.SHA),
		"author":   person, "committer": person, "message": c.Message,
		"tree":         map[string]any{"sha": c.Tree, "url": s.api("repos/%s/%s/git/trees/%s", r.owner, r.name, c.Tree)},
		"parents":      parents,
		"verification": map[string]any{"verified": c.Verified, "reason": reason, "signature": nil, "payload": nil, "verified_at": verifiedAt},
	}
}

func (s *Server) labelJSON(r *repo, name string) map[string]any {
	id := int64(len(name)) + 7000
	return map[string]any{
		"id": id, "node_id": "LA_" + name, "url": s.api("repos/%s/%s/labels/%s", r.owner, r.name, url.PathEscape(name)),
		"name": name, "description": "", "color": "ededed", "default": false,
	}
}

func (s *Server) pullJSON(r *repo, p *PullRequest, full bool) map[string]any {
	m := r.m()
	u := s.api("repos/%s/%s/pulls/%d", r.owner, r.name, p.Number)
	html := fmt.Sprintf("%s/%s/%s/pull/%d", s.srv.URL, r.owner, r.name, p.Number)
	issue := s.api("repos/%s/%s/issues/%d", r.owner, r.name, p.Number)
	headSHA := p.HeadSHA
	if sha, ok := m.refs["heads/"+p.Head]; ok && !p.Merged {
		headSHA = sha
	}
	repoJSON := s.repoJSON(r)
	repoJSON["has_downloads"] = true
	branch := func(name, sha string) map[string]any {
		return map[string]any{"label": r.owner + ":" + name, "ref": name, "sha": sha, "repo": repoJSON, "user": s.userJSON(r.owner)}
	}
	labels := []any{}
	for _, l := range p.Labels {
		labels = append(labels, s.labelJSON(r, l))
	}
	var closed, merged, mergeSHA, mergedBy any
	if !p.ClosedAt.IsZero() {
		closed = p.ClosedAt.Format(time.RFC3339)
	}
	if p.Merged {
		merged, mergeSHA, mergedBy = p.ClosedAt.Format(time.RFC3339), p.MergeCommitSHA, s.userJSON("merger")
	}
	link := func(h string) map[string]any { return map[string]any{"href": h} }
	out := map[string]any{
		"id": int64(p.Number) + 5000, "node_id": fmt.Sprintf("PR_%d", p.Number), "number": p.Number,
		"url": u, "html_url": html, "diff_url": html + ".diff", "patch_url": html + ".patch", "issue_url": issue,
		"commits_url": u + "/commits", "review_comments_url": u + "/comments",
		"review_comment_url": s.api("repos/%s/%s/pulls/comments{/number}", r.owner, r.name),
		"comments_url":       issue + "/comments", "statuses_url": s.api("repos/%s/%s/statuses/%s", r.owner, r.name, headSHA),
		"state": p.State, "locked": false, "title": p.Title, "body": p.Body, "draft": p.Draft,
		"user": s.userJSON("github-actions[bot]"), "labels": labels, "assignee": nil, "milestone": nil,
		"created_at": p.CreatedAt.Format(time.RFC3339), "updated_at": s.now().Format(time.RFC3339),
		"closed_at": closed, "merged_at": merged, "merge_commit_sha": mergeSHA,
		"head": branch(p.Head, headSHA), "base": branch(p.Base, m.refs["heads/"+p.Base]),
		"author_association": "NONE", "auto_merge": nil,
		"_links": map[string]any{
			"comments": link(issue + "/comments"), "commits": link(u + "/commits"), "html": link(html),
			"issue": link(issue), "review_comment": link(s.api("repos/%s/%s/pulls/comments{/number}", r.owner, r.name)),
			"review_comments": link(u + "/comments"), "self": link(u),
			"statuses": link(s.api("repos/%s/%s/statuses/%s", r.owner, r.name, headSHA)),
		},
	}
	if full {
		out["merged"] = p.Merged
		out["mergeable"] = nil
		out["mergeable_state"] = "unknown"
		out["merged_by"] = mergedBy
		out["maintainer_can_modify"] = false
		for _, k := range []string{"comments", "review_comments", "commits", "additions", "deletions", "changed_files"} {
			out[k] = 0
		}
	}
	return out
}

func (s *Server) protectionJSON(r *repo, branch string, p *Protection) map[string]any {
	u := s.api("repos/%s/%s/branches/%s/protection", r.owner, r.name, url.PathEscape(branch))
	out := map[string]any{
		"url":                u,
		"enforce_admins":     map[string]any{"url": u + "/enforce_admins", "enabled": p.EnforceAdmins},
		"allow_force_pushes": map[string]any{"enabled": p.AllowForcePushes},
	}
	if len(p.RequiredStatusChecks) > 0 {
		checks := []any{}
		for _, c := range p.RequiredStatusChecks {
			checks = append(checks, map[string]any{"context": c, "app_id": nil})
		}
		out["required_status_checks"] = map[string]any{
			"url": u + "/required_status_checks", "strict": true, "contexts": p.RequiredStatusChecks,
			"contexts_url": u + "/required_status_checks/contexts", "checks": checks,
		}
	}
	if p.RequireReviews || p.RequiredApprovingReviews > 0 {
		out["required_pull_request_reviews"] = map[string]any{
			"url": u + "/required_pull_request_reviews", "dismiss_stale_reviews": false,
			"require_code_owner_reviews": false, "required_approving_review_count": p.RequiredApprovingReviews,
		}
	}
	return out
}

func ruleJSON(r *repo, rule Rule) map[string]any {
	out := map[string]any{
		"type": rule.Type, "ruleset_source_type": "Repository", "ruleset_source": r.owner + "/" + r.name,
		"ruleset_id": cmpOr(rule.RulesetID, 1),
	}
	switch rule.Type {
	case "pull_request":
		out["parameters"] = map[string]any{
			"dismiss_stale_reviews_on_push": false, "require_code_owner_review": false,
			"require_last_push_approval": false, "required_approving_review_count": 1,
			"required_review_thread_resolution": false,
		}
	case "update":
		out["parameters"] = map[string]any{"update_allows_fetch_and_merge": false}
	case "required_status_checks":
		out["parameters"] = map[string]any{"required_status_checks": []any{map[string]any{"context": "ci"}}, "strict_required_status_checks_policy": false}
	}
	return out
}

func cmpOr(v, def int64) int64 {
	if v == 0 {
		return def
	}
	return v
}

func (s *Server) assetJSON(r *repo, a *Asset) map[string]any {
	ts := s.now().Format(time.RFC3339)
	var label any
	if a.Label != "" {
		label = a.Label
	}
	sum := sha256.Sum256(a.Data)
	return map[string]any{
		"id": a.ID, "node_id": fmt.Sprintf("RA_%d", a.ID), "name": a.Name, "label": label,
		"url":                  s.api("repos/%s/%s/releases/assets/%d", r.owner, r.name, a.ID),
		"browser_download_url": fmt.Sprintf("%s/%s/%s/releases/download/%d/%s", s.srv.URL, r.owner, r.name, a.ReleaseID, url.PathEscape(a.Name)),
		"content_type":         a.ContentType, "size": len(a.Data), "digest": "sha256:" + hex.EncodeToString(sum[:]),
		"state": "uploaded", "download_count": 0, "created_at": ts, "updated_at": ts,
		"uploader": s.userJSON("github-actions[bot]"),
	}
}

// assetsJSON is the "assets" of a release.
func (s *Server) assetsJSON(r *repo, rel *Release) []any {
	out := []any{}
	if r.more == nil {
		return out
	}
	for _, a := range r.more.assets {
		if a.ReleaseID == rel.ID {
			out = append(out, s.assetJSON(r, a))
		}
	}
	return out
}

// Latest returns the release GitHub would show as "Latest" in owner/name:
// of the published releases that are not prereleases and were not sent
// make_latest "false", the last created ("legacy" and "true" are not told
// apart: the fake does not order by version).
func (s *Server) Latest(owner, name string) (Release, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var latest *Release
	for _, rel := range s.repoLocked(owner, name).releases {
		if !rel.Draft && !rel.Prerelease && rel.MakeLatest != "false" {
			latest = rel
		}
	}
	if latest == nil {
		return Release{}, false
	}
	return *latest, true
}
