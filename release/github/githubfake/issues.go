package githubfake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// Issue is an issue as the fake stores it. Issues and pull requests share
// numbers on GitHub; the fake numbers an issue after every pull request
// and issue it holds.
type Issue struct {
	Number    int
	Title     string
	Body      string
	Labels    []string
	CreatedAt time.Time
}

// Issues returns copies of the issues of owner/name, oldest first.
func (s *Server) Issues(owner, name string) []Issue {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Issue
	for _, is := range s.repoLocked(owner, name).m().issues {
		c := *is
		c.Labels = append([]string(nil), is.Labels...)
		out = append(out, c)
	}
	return out
}

// dispatchIssues answers POST /repos/{owner}/{repo}/issues; nil for other
// operations. Opening an issue needs issues: write, which the fake's
// tokens have with push access.
func (s *Server) dispatchIssues(op string, body []byte, r *repo) *answer {
	if op != "POST /repos/{owner}/{repo}/issues" {
		return nil
	}
	if !r.perms.Push {
		return forbidden("issues=write")
	}
	var in struct {
		Title  *json.RawMessage  `json:"title"`
		Body   *string           `json:"body"`
		Labels []json.RawMessage `json:"labels"`
	}
	if err := json.Unmarshal(body, &in); err != nil {
		return validationFailed("Problems parsing JSON")
	}
	var title string
	if in.Title == nil || json.Unmarshal(*in.Title, &title) != nil || title == "" {
		return validationFailed("Validation Failed", map[string]string{"resource": "Issue", "field": "title", "code": "missing_field"})
	}
	m := r.m()
	is := &Issue{Number: len(m.pulls) + len(m.issues) + 1, Title: title, CreatedAt: s.now()}
	if in.Body != nil {
		is.Body = *in.Body
	}
	for _, raw := range in.Labels {
		var name string
		if json.Unmarshal(raw, &name) != nil {
			var obj struct{ Name string }
			json.Unmarshal(raw, &obj)
			name = obj.Name
		}
		if name != "" {
			is.Labels = append(is.Labels, name)
		}
	}
	m.issues = append(m.issues, is)
	return jsonAnswer(http.StatusCreated, s.issueJSON(r, is))
}

func (s *Server) issueJSON(r *repo, is *Issue) map[string]any {
	u := s.api("repos/%s/%s/issues/%d", r.owner, r.name, is.Number)
	labels := []any{}
	for _, l := range is.Labels {
		labels = append(labels, s.labelJSON(r, l))
	}
	return map[string]any{
		"id": int64(is.Number) + 9000, "node_id": fmt.Sprintf("I_%d", is.Number), "number": is.Number,
		"url": u, "repository_url": s.api("repos/%s/%s", r.owner, r.name),
		"labels_url": u + "/labels{/name}", "comments_url": u + "/comments", "events_url": u + "/events",
		"html_url": fmt.Sprintf("%s/%s/%s/issues/%d", s.srv.URL, r.owner, r.name, is.Number),
		"state":    "open", "locked": false, "title": is.Title, "body": is.Body,
		"user": s.userJSON(TokenLogin), "labels": labels, "assignee": nil, "milestone": nil,
		"comments": 0, "closed_at": nil,
		"created_at": is.CreatedAt.Format(time.RFC3339), "updated_at": is.CreatedAt.Format(time.RFC3339),
		"author_association": "NONE",
	}
}
