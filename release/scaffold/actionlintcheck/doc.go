// Package actionlintcheck holds a test that runs actionlint on the GitHub
// Actions workflows of `shipflow init` (release/scaffold). See go.mod for
// why it is a module of its own.
package actionlintcheck
