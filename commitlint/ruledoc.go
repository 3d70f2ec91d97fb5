package commitlint

// ruleDocs are the rules' short descriptions, worded so that they hold
// whatever the rule's configuration ("always" or "never"). SARIF's
// tool.driver.rules and other reports show them.
var ruleDocs = map[string]string{
	"header-format":                    "The header must read `type(scope)!: subject` (Conventional Commits)",
	"encoding":                         "The message must be valid UTF-8 without NUL bytes",
	"body-case":                        "Case of the body",
	"body-empty":                       "Whether the body is empty",
	"body-full-stop":                   "Full stop at the end of the body",
	"body-leading-blank":               "Blank line between the header and the body",
	"body-max-length":                  "Maximum length of the body",
	"body-max-line-length":             "Maximum length of a body line",
	"body-min-length":                  "Minimum length of the body",
	"breaking-change-exclamation-mark": "A `!` in the header and a BREAKING CHANGE footer go together",
	"footer-empty":                     "Whether the footer is empty",
	"footer-leading-blank":             "Blank line before the footer",
	"footer-max-length":                "Maximum length of the footer",
	"footer-max-line-length":           "Maximum length of a footer line",
	"footer-min-length":                "Minimum length of the footer",
	"header-case":                      "Case of the header",
	"header-full-stop":                 "Full stop at the end of the header",
	"header-max-length":                "Maximum length of the header",
	"header-min-length":                "Minimum length of the header",
	"header-trim":                      "The header has no leading or trailing whitespace",
	"references-empty":                 "Whether the message references an issue",
	"scope-case":                       "Case of the scope",
	"scope-delimiter-style":            "Delimiters between multiple scopes",
	"scope-empty":                      "Whether the scope is empty",
	"scope-enum":                       "The scope is one of the allowed scopes",
	"scope-max-length":                 "Maximum length of the scope",
	"scope-min-length":                 "Minimum length of the scope",
	"signed-off-by":                    "A Signed-off-by trailer",
	"subject-case":                     "Case of the subject",
	"subject-empty":                    "Whether the subject is empty",
	"subject-exclamation-mark":         "A `!` before the colon of the header",
	"subject-full-stop":                "Full stop at the end of the subject",
	"subject-max-length":               "Maximum length of the subject",
	"subject-min-length":               "Minimum length of the subject",
	"trailer-exists":                   "A given trailer is present",
	"type-case":                        "Case of the type",
	"type-empty":                       "Whether the type is empty",
	"type-enum":                        "The type is one of the allowed types",
	"type-max-length":                  "Maximum length of the type",
	"type-min-length":                  "Minimum length of the type",
}

// RuleDoc returns the short description of a rule ("Maximum length of the
// header"), header-format and encoding included, or "" for a name that is
// no rule.
func RuleDoc(name string) string { return ruleDocs[name] }
