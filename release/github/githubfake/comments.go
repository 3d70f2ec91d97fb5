package githubfake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// Comment is a pull request (issue) comment as the fake stores it.
type Comment struct {
	ID     int64
	Number int // the pull request's
	Body   string
	// Login is the author; Bot says the author is an app or Actions'
	// github-actions[bot], as comments made through the API are.
	Login                string
	Bot                  bool
	CreatedAt, UpdatedAt time.Time
}

// TokenLogin is who the fake's API token comments as: Actions' bot.
const TokenLogin = "github-actions[bot]"

// AddComment adds a comment by login (a bot when bot) to pull request
// number of owner/name, as someone on github.com would, and returns its id.
func (s *Server) AddComment(owner, name string, number int, login string, bot bool, body string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.repoLocked(owner, name).m()
	s.nextID++
	m.comments = append(m.comments, &Comment{ID: s.nextID, Number: number, Body: body, Login: login, Bot: bot, CreatedAt: s.now(), UpdatedAt: s.now()})
	return s.nextID
}

// Comments returns copies of the comments on pull request number of
// owner/name, oldest first.
func (s *Server) Comments(owner, name string, number int) []Comment {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Comment
	for _, c := range s.repoLocked(owner, name).m().comments {
		if c.Number == number {
			out = append(out, *c)
		}
	}
	return out
}

// dispatchComments answers the issue comment operations; nil when op is
// not one.
func (s *Server) dispatchComments(req *http.Request, op string, params map[string]string, body []byte, r *repo) *answer {
	m := r.m()
	find := func() (*Comment, int) {
		id, _ := strconv.ParseInt(params["comment_id"], 10, 64)
		for i, c := range m.comments {
			if c.ID == id {
				return c, i
			}
		}
		return nil, -1
	}
	var in struct {
		Body *string `json:"body"`
	}
	switch op {
	case "GET /repos/{owner}/{repo}/issues/{issue_number}/comments":
		n, _ := strconv.Atoi(params["issue_number"])
		var list []*Comment
		for _, c := range m.comments {
			if c.Number == n {
				list = append(list, c)
			}
		}
		return paged(s, req, list, func(c *Comment) any { return s.commentJSON(r, c) })
	case "POST /repos/{owner}/{repo}/issues/{issue_number}/comments":
		n, _ := strconv.Atoi(params["issue_number"])
		if m.pull(n) == nil {
			return errorAnswer(http.StatusNotFound, "Not Found") // the fake has no issues
		}
		if !r.perms.Push {
			return forbidden("pull_requests=write")
		}
		if json.Unmarshal(body, &in) != nil || in.Body == nil {
			return validationFailed("Invalid request.\n\n\"body\" wasn't supplied.")
		}
		s.nextID++
		c := &Comment{ID: s.nextID, Number: n, Body: *in.Body, Login: TokenLogin, Bot: true, CreatedAt: s.now(), UpdatedAt: s.now()}
		m.comments = append(m.comments, c)
		return jsonAnswer(http.StatusCreated, s.commentJSON(r, c))
	case "PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}":
		c, _ := find()
		if c == nil {
			return errorAnswer(http.StatusNotFound, "Not Found")
		}
		if !r.perms.Push {
			return forbidden("pull_requests=write")
		}
		if json.Unmarshal(body, &in) != nil || in.Body == nil {
			return validationFailed("Invalid request.\n\n\"body\" wasn't supplied.")
		}
		c.Body, c.UpdatedAt = *in.Body, s.now()
		return jsonAnswer(http.StatusOK, s.commentJSON(r, c))
	case "DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}":
		c, i := find()
		if c == nil {
			return errorAnswer(http.StatusNotFound, "Not Found")
		}
		if !r.perms.Push {
			return forbidden("pull_requests=write")
		}
		m.comments = append(m.comments[:i], m.comments[i+1:]...)
		return &answer{status: http.StatusNoContent, header: http.Header{}}
	}
	return nil
}

func (s *Server) commentJSON(r *repo, c *Comment) map[string]any {
	user := s.userJSON(c.Login)
	if c.Bot {
		user["type"] = "Bot"
	}
	return map[string]any{
		"id": c.ID, "node_id": fmt.Sprintf("IC_%d", c.ID), "body": c.Body, "user": user,
		"url":        s.api("repos/%s/%s/issues/comments/%d", r.owner, r.name, c.ID),
		"html_url":   fmt.Sprintf("%s/%s/%s/pull/%d#issuecomment-%d", s.srv.URL, r.owner, r.name, c.Number, c.ID),
		"issue_url":  s.api("repos/%s/%s/issues/%d", r.owner, r.name, c.Number),
		"created_at": c.CreatedAt.Format(time.RFC3339), "updated_at": c.UpdatedAt.Format(time.RFC3339),
		"author_association": "NONE",
	}
}
