// Package commitlint parses commit messages as Conventional Commits 1.0.0 and
// lints them with commitlint's rules (same names, same [level, applicable,
// value] configuration, config-conventional defaults).
//
// It is for every surface that checks a message: the commit-msg hook, range
// lint in CI and pull-request titles. It imports only the standard library
// and go-conventionalcommits, and never touches git, the network or the
// environment.
package commitlint

// Commit is a commit message split into its Conventional Commits parts.
//
// Parse is lenient, like commitlint's parser: a header that is not
// `type(scope)!: subject` still yields a Commit (with Type and Subject empty
// and HeaderError set), so that rules such as type-empty can report it.
type Commit struct {
	// Raw is the normalised message the other fields were taken from.
	Raw string
	// Header is the first line of Raw.
	Header string

	// Type is the header's type, as written (case kept).
	Type string
	// Scope is the text between the parentheses, as written; empty when the
	// header has no scope. HasScope tells `feat():` from `feat:`.
	Scope    string
	HasScope bool
	// Bang is true when the header has `!` before the colon.
	Bang bool
	// Subject is the description after ": ".
	Subject string

	// Body is the text between the header's blank line and the footers,
	// without leading or trailing blank lines. BodyLine is the 1-based line
	// of its first line in Raw (0 when there is no body).
	Body     string
	BodyLine int

	// Footers are the git trailers of the last paragraph, in order.
	Footers []Footer
	// FooterLine is the 1-based line of the first footer in Raw (0 when
	// there are none).
	FooterLine int

	// Breaking is true when Bang is set or a BREAKING CHANGE / BREAKING-CHANGE
	// footer (a note of ParserOptions.NoteKeywords, when set) is present.
	Breaking bool
	// BreakingNotes holds the values of the breaking-change footers, or the
	// subject when only `!` marks the commit as breaking.
	BreakingNotes []string

	// References are issue references found in the subject, body and
	// footers (`#123`, `GH-123`, `owner/repo#123`), in order of appearance.
	References []Reference

	// Revert is the hash named by a "This reverts commit <hash>." body line,
	// or empty.
	Revert string

	// HeaderError is set when the header is not a valid Conventional
	// Commits header; nil otherwise.
	HeaderError *ParseError

	// NoteKeywords are the ParserOptions.NoteKeywords the message was
	// parsed with (nil: the defaults); Parsed's notes are the footers they
	// name.
	NoteKeywords []string `json:"-"`
}

// Footer is one git trailer of a commit message: `Token: value` or
// `Token #value`. Continuation lines (starting with whitespace) are joined
// into Value with newlines.
type Footer struct {
	Token string
	// Separator is ": " or " #" (":" for a trailer with an empty value).
	Separator string
	Value     string
	// Line is the 1-based line of the footer's first line in Commit.Raw.
	Line int
}

// Reference is an issue or pull-request reference such as `#12`,
// `GH-12` or `owner/repo#12`.
type Reference struct {
	// Owner and Repo are empty for a same-repository reference.
	Owner, Repo string
	Issue       string
	// Prefix is the text that introduced the reference ("#" or "GH-", or
	// one of ParserOptions.IssuePrefixes), as written.
	Prefix string
	// Action is a closing keyword that came before the reference
	// ("Closes", "Fixes", ...), or empty.
	Action string
}

// ParseError says where and why a message does not parse.
type ParseError struct {
	// Line and Column are 1-based; Column counts characters (runes), not
	// bytes or UTF-16 units.
	Line, Column int
	Message      string
	// Fix is a concrete suggestion ("`!` goes after the scope"), or empty.
	Fix string
}

func (e *ParseError) Error() string { return e.Message }

// Level is a rule's severity, as in commitlint: 0 disabled, 1 warning,
// 2 error.
type Level int

// Rule levels.
const (
	Disabled Level = 0
	Warning  Level = 1
	Error    Level = 2
)

// String returns "disabled", "warning" or "error".
func (l Level) String() string {
	switch l {
	case Warning:
		return "warning"
	case Error:
		return "error"
	default:
		return "disabled"
	}
}

// Finding is one problem in a message.
type Finding struct {
	// Rule is the commitlint rule name ("type-enum"), or a shipflow name for
	// problems no commitlint rule covers ("header-format", "encoding").
	Rule  string
	Level Level
	// Line and Column are 1-based positions in the normalised message;
	// Column counts characters. Zero when the problem has no place.
	Line, Column int
	// Message says what is wrong, naming the bad value and the limit or the
	// valid values ("header is 112 characters, limit is 100").
	Message string
	// Fix is a concrete suggestion ("did you mean `feat`?"), or empty.
	Fix string
	// URL is a help page for the rule, or empty.
	URL string
}
