package config

// Test is the `test:` section of .shipflow.yaml: how `shipflow test` and the
// test action run the tests and report them.
type Test struct {
	// Command is the test command, as a list of arguments, run when
	// `shipflow test` gets no command after `--`. Default none: give one on
	// the command line or JUnit files.
	Command []string `yaml:"command"`
	// JUnit are globs of JUnit XML files to read after the command (`**`
	// matches any number of directories), relative to the repository root;
	// they match only files inside it, never under .git/ (a link out of the
	// repository is not followed). Default none.
	JUnit []string `yaml:"junit"`
	// Slowest is how many of the slowest tests the report lists. Default 10;
	// 0 lists none.
	Slowest *int `yaml:"slowest"`
	// OutputLimit caps the output kept per test, in bytes (the first and the
	// last half). Default 65536.
	OutputLimit int `yaml:"output-limit"`

	src *source // where Parse read the section; nil when built in code
}

// KeyError returns an *Error about the value of key, a key of this section
// ("junit[1]"), with the value's line and column when Parse read the
// section.
func (c Test) KeyError(key, format string, a ...any) *Error {
	return c.src.errorf("test."+key, format, a...)
}
