// Command gencorpus rebuilds commitlint/testdata/corpus from the shared
// release-history data (../shared/data): a deterministic sample of real
// commit subjects from next-version-corpus.jsonl, and every full commit
// message from changelog-cases/*.json.
//
//	go run ./commitlint/internal/gencorpus -data /work/shared/data -out commitlint/testdata/corpus
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"
)

// Subject is one sampled subject with the corpus's own `!` flag.
type Subject struct {
	Repo    string `json:"repo"`
	Hash    string `json:"hash"`
	Subject string `json:"subject"`
	Bang    bool   `json:"bang"`
	Merge   bool   `json:"merge"`
}

// Message is one full commit message.
type Message struct {
	Source  string `json:"source"`
	Hash    string `json:"hash"`
	Message string `json:"message"`
}

func main() {
	data := flag.String("data", "/work/shared/data", "directory of the shared release-history data")
	out := flag.String("out", "commitlint/testdata/corpus", "output directory")
	every := flag.Int("every", 40, "keep every n-th subject (plus every unusual one)")
	flag.Parse()
	if err := run(*data, *out, *every); err != nil {
		log.Fatal(err)
	}
}

func run(data, out string, every int) error {
	subjects, err := readSubjects(filepath.Join(data, "next-version-corpus.jsonl"), every)
	if err != nil {
		return err
	}
	messages, err := readMessages(filepath.Join(data, "changelog-cases"))
	if err != nil {
		return err
	}
	if err := writeJSONL(filepath.Join(out, "subjects.jsonl"), subjects); err != nil {
		return err
	}
	return writeJSONL(filepath.Join(out, "messages.jsonl"), messages)
}

func readSubjects(path string, every int) ([]Subject, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []Subject
	seen := map[string]bool{}
	n := 0
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 64<<20)
	for sc.Scan() {
		var rel struct {
			Repo    string `json:"repo"`
			Commits []struct {
				Hash    string `json:"hash"`
				Subject string `json:"subject"`
				Bang    bool   `json:"bang"`
				Merge   bool   `json:"merge"`
			} `json:"commits"`
		}
		if err := json.Unmarshal(sc.Bytes(), &rel); err != nil {
			return nil, fmt.Errorf("reading %s: %w", path, err)
		}
		for _, c := range rel.Commits {
			n++
			unusual := c.Bang || !isASCII(c.Subject)
			if (n%every != 0 && !unusual) || seen[c.Subject] {
				continue
			}
			seen[c.Subject] = true
			out = append(out, Subject{Repo: rel.Repo, Hash: c.Hash, Subject: c.Subject, Bang: c.Bang, Merge: c.Merge})
		}
	}
	return out, sc.Err()
}

func readMessages(dir string) ([]Message, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	var out []Message
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			return nil, err
		}
		var c struct {
			Commits []struct {
				Hash    string `json:"hash"`
				Subject string `json:"subject"`
				Body    string `json:"body"`
			} `json:"commits"`
		}
		if err := json.Unmarshal(b, &c); err != nil {
			return nil, fmt.Errorf("reading %s: %w", file, err)
		}
		for _, m := range c.Commits {
			msg := m.Subject
			if m.Body != "" {
				msg += "\n\n" + m.Body
			}
			out = append(out, Message{Source: filepath.Base(file), Hash: m.Hash, Message: msg})
		}
	}
	return out, nil
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func writeJSONL[T any](path string, rows []T) error {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	for _, r := range rows {
		if err := enc.Encode(r); err != nil {
			return err
		}
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}
