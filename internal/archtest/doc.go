// Package archtest holds the test that keeps shipflow's imports flowing one
// way: cmd → actions → release → release/* → commitlint. It has no code.
package archtest
