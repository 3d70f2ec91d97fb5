package release

import (
	"errors"
	"strconv"
	"strings"

	"github.com/shipflow/shipflow/release/config"
)

// ResolveTest turns the inputs of `shipflow test` and of the test Action
// into TestRunOptions, flag or input first, then .shipflow.yaml, then the
// default:
//
//	test-command  the input, split into words at spaces, else test.command
//	              (the CLI's command after -- replaces both)
//	junit         the input's globs, one per line or comma-separated, read
//	              with test.junit's
//	slowest       the input, else test.slowest, else TestDefaultSlowest;
//	              below 0 is 0
//
// Root, Dir, the output writers and Progress are the caller's. A slowest
// that is not a number is an *InputError. Call Validate once the command
// is known.
func ResolveTest(in Inputs, cfg *config.Config, _ CI) (TestRunOptions, error) {
	var o TestRunOptions
	if cfg != nil {
		o.Config = cfg.Test
	}
	if v, ok := inputString(in, "test-command"); ok {
		o.Command = strings.Fields(v)
	}
	o.JUnit, _ = inputList(in, "junit")
	o.Slowest = TestSlowest(o.Config)
	if v, ok := inputString(in, "slowest"); ok {
		n, err := strconv.Atoi(v)
		if err != nil {
			return o, &InputError{Name: "slowest", Value: v, Want: "a number of tests"}
		}
		o.Slowest = max(0, n)
	}
	return o, nil
}

// ErrTestNothing is returned by TestRunOptions.Validate when there is
// neither a command to run nor a JUnit file to read.
var ErrTestNothing = errors.New("nothing to run: give a test command (after -- on the command line, the test-command input of the Action, or test.command in .shipflow.yaml) or JUnit files (--junit, the junit input, or test.junit)")

// Validate reports options that cannot run: no command and no JUnit glob
// anywhere (ErrTestNothing), or a command with an empty name.
func (o TestRunOptions) Validate() error {
	cmd := o.command()
	if len(cmd) == 0 && len(o.JUnit) == 0 && len(o.Config.JUnit) == 0 {
		return ErrTestNothing
	}
	if len(cmd) > 0 && cmd[0] == "" {
		return errors.New("running the tests: empty command name")
	}
	return nil
}

// command is the command TestRun runs: Command, else the config's.
func (o TestRunOptions) command() []string {
	if len(o.Command) > 0 {
		return o.Command
	}
	return o.Config.Command
}
