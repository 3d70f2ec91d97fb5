// Module actionlintcheck runs actionlint (as a Go library) on the workflows
// that `shipflow init` writes. It is a module of its own because actionlint
// v1.7.12 only compiles against go.yaml.in/yaml/v4 v4.0.0-rc.3, while
// shipflow's main module gets v4.0.0 from kin-openapi; upstream's fix,
// rhysd/actionlint#730, is unreleased. Run: cd release/scaffold/actionlintcheck && go test ./...
module github.com/shipflow/shipflow/release/scaffold/actionlintcheck

go 1.26

require (
	github.com/rhysd/actionlint v1.7.12
	github.com/shipflow/shipflow v0.0.0
)

require (
	github.com/bmatcuk/doublestar/v4 v4.10.0 // indirect
	github.com/clipperhouse/uax29/v2 v2.7.0 // indirect
	github.com/fatih/color v1.19.0 // indirect
	github.com/mattn/go-colorable v0.1.14 // indirect
	github.com/mattn/go-isatty v0.0.20 // indirect
	github.com/mattn/go-runewidth v0.0.21 // indirect
	github.com/mattn/go-shellwords v1.0.12 // indirect
	github.com/robfig/cron/v3 v3.0.1 // indirect
	go.yaml.in/yaml/v4 v4.0.0 // indirect
	golang.org/x/sync v0.22.0 // indirect
	golang.org/x/sys v0.47.0 // indirect
)

replace github.com/shipflow/shipflow => ../../..

replace go.yaml.in/yaml/v4 => go.yaml.in/yaml/v4 v4.0.0-rc.3
