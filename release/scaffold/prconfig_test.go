package scaffold_test

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/shipflow/shipflow/release/config"
	"github.com/shipflow/shipflow/release/scaffold"
)

// TestTemplatePRSection: .shipflow.yaml has a commented pr: section with
// every key of config.PR; uncommented, it parses (release/config.Parse,
// strict) to the defaults: lint what lands, check drafts and WIP titles,
// no ignore labels, no comment, the preview on.
func TestTemplatePRSection(t *testing.T) {
	for _, mode := range scaffold.ReleaseModes {
		t.Run(mode, func(t *testing.T) {
			files, err := scaffold.FilesFor(scaffold.Project{}, mode)
			if err != nil {
				t.Fatal(err)
			}
			var data string
			for _, f := range files {
				if f.Path == config.FileName {
					data = string(f.Data)
				}
			}
			section := regexp.MustCompile(`(?m)^#pr:\n(#  .*\n)+`).FindString(data)
			if section == "" {
				t.Fatalf("%s has no commented pr: section:\n%s", config.FileName, data)
			}
			for _, key := range []string{"merge-method", "check", "drafts", "wip", "ignore-labels", "comment", "preview"} {
				if !strings.Contains(section, "\n#  "+key+": ") {
					t.Errorf("the pr: section lacks %s:\n%s", key, section)
				}
			}
			enabled := regexp.MustCompile(`(?m)^#(\S|  )`).ReplaceAllString(section, "$1")
			cfg, err := config.Parse(config.FileName, []byte(enabled))
			if err != nil {
				t.Fatalf("the pr: section uncommented: %v\n%s", err, enabled)
			}
			pr := cfg.PR
			if !slices.Equal(pr.MergeMethods, config.PRMergeMethods) || pr.Check != "" || pr.Drafts != "check" || pr.WIP != "check" ||
				len(pr.IgnoreLabels) != 0 || pr.Comment != "never" || !pr.PreviewOn() {
				t.Errorf("the pr: section uncommented = %+v; want the defaults", pr)
			}
			// As written the section is all comments: the repository's
			// merge settings decide.
			written, err := config.Parse(config.FileName, []byte(section))
			if err != nil || written.PR.MergeMethods != nil {
				t.Errorf("as written: %+v, %v; want no pr settings", written.PR, err)
			}
		})
	}
}
