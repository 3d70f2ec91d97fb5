package secrets

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/spf13/viper"
	"github.com/zricethezav/gitleaks/v8/config"

	"github.com/shipflow/shipflow/internal/repofs"
)

// ConfigFile and IgnoreFile are gitleaks' conventional names, read from
// the top of the work tree as gitleaks does.
const (
	ConfigFile = ".gitleaks.toml"
	IgnoreFile = ".gitleaksignore"
)

// maxConfig caps what is read of .gitleaks.toml, an extended config and
// .gitleaksignore: gitleaks' own default config is 100 KiB.
const maxConfig = 1 << 20

// maxExtendDepth is gitleaks' limit on chained extends (config.go
// maxExtendDepth): a config, what it extends, and what that extends.
const maxExtendDepth = 2

// ConfigError is a .gitleaks.toml (or a file it extends) that cannot be
// used: File names it, Err says why.
type ConfigError struct {
	File string
	Err  error
}

func (e *ConfigError) Error() string { return fmt.Sprintf("gitleaks config %s: %v", e.File, e.Err) }

func (e *ConfigError) Unwrap() error { return e.Err }

// loadConfig returns the gitleaks configuration of the work tree at root:
// its .gitleaks.toml when there is one, else gitleaks' default rules.
//
// gitleaks' own loader extends configs through a process-wide counter
// that never goes back down (config.go extendDepth) and reads extended
// paths with the global viper, relative to the working directory: a
// second load in one process would skip its extends and its checks. So
// shipflow merges extends itself, on gitleaks' ViperConfig, as gitleaks'
// Config.extend does, and hands gitleaks one config without extends.
func loadConfig(root string) (config.Config, error) {
	data, err := repofs.ReadFile(root, ConfigFile, maxConfig)
	if errors.Is(err, fs.ErrNotExist) {
		return translate("gitleaks' default config", []byte(config.DefaultConfig), root, 0)
	}
	if err != nil {
		return config.Config{}, &ConfigError{File: ConfigFile, Err: err}
	}
	return translate(ConfigFile, data, root, 0)
}

// translate parses the TOML data of the config named name, merges what it
// extends and builds gitleaks' Config.
func translate(name string, data []byte, root string, depth int) (cfg config.Config, err error) {
	vc, err := parseViper(name, data, root, depth)
	if err != nil {
		return config.Config{}, err
	}
	// gitleaks compiles the config's regular expressions with MustCompile.
	defer func() {
		if r := recover(); r != nil {
			err = &ConfigError{File: name, Err: fmt.Errorf("%v", r)}
		}
	}()
	cfg, err = vc.Translate()
	if err != nil {
		return config.Config{}, &ConfigError{File: name, Err: err}
	}
	return cfg, nil
}

// parseViper reads one config file into gitleaks' ViperConfig with what
// it extends merged in, and no extend left.
func parseViper(name string, data []byte, root string, depth int) (config.ViperConfig, error) {
	v := viper.New()
	v.SetConfigType("toml")
	var vc config.ViperConfig
	if err := v.ReadConfig(bytes.NewReader(data)); err != nil {
		return vc, &ConfigError{File: name, Err: err}
	}
	if err := v.Unmarshal(&vc); err != nil {
		return vc, &ConfigError{File: name, Err: err}
	}
	ext := vc.Extend
	vc.Extend = config.Extend{}
	switch {
	case ext.URL != "":
		return vc, &ConfigError{File: name, Err: fmt.Errorf("extend.url %q: shipflow reads no configuration from the network; copy the file into the repository and use extend.path", ext.URL)}
	case ext.Path != "" && ext.UseDefault:
		return vc, &ConfigError{File: name, Err: errors.New("extend.path and extend.useDefault are both set; pick one")}
	case ext.Path == "" && !ext.UseDefault:
		return vc, nil
	case depth >= maxExtendDepth:
		return vc, &ConfigError{File: name, Err: fmt.Errorf("extends more than %d configs deep", maxExtendDepth)}
	}
	baseName, baseData := "gitleaks' default config", []byte(config.DefaultConfig)
	if ext.Path != "" {
		b, err := repofs.ReadFile(root, ext.Path, maxConfig)
		if err != nil {
			return vc, &ConfigError{File: name, Err: fmt.Errorf("extend.path: %w", err)}
		}
		baseName, baseData = ext.Path, b
	}
	base, err := parseViper(baseName, baseData, root, depth+1)
	if err != nil {
		return vc, err
	}
	extend(&vc, base, ext.DisabledRules)
	return vc, nil
}

// extend merges base into vc as gitleaks' Config.extend does: base rules
// not disabled are added, a rule vc redefines keeps base's fields it
// leaves empty and gets both rules' tags, keywords and allowlists; global
// allowlists are appended.
func extend(vc *config.ViperConfig, base config.ViperConfig, disabled []string) {
	off := make(map[string]bool, len(disabled))
	for _, id := range disabled {
		off[id] = true
	}
	index := make(map[string]int, len(vc.Rules))
	for i, r := range vc.Rules {
		index[r.ID] = i
	}
	for _, br := range base.Rules {
		if off[br.ID] {
			continue
		}
		i, ok := index[br.ID]
		if !ok {
			vc.Rules = append(vc.Rules, br)
			continue
		}
		cr := vc.Rules[i]
		merged := br
		if cr.Description != "" {
			merged.Description = cr.Description
		}
		if cr.Entropy != 0 {
			merged.Entropy = cr.Entropy
		}
		if cr.SecretGroup != 0 {
			merged.SecretGroup = cr.SecretGroup
		}
		if cr.Regex != "" {
			merged.Regex = cr.Regex
		}
		if cr.Path != "" {
			merged.Path = cr.Path
		}
		merged.Tags = append(append([]string(nil), br.Tags...), cr.Tags...)
		merged.Keywords = append(append([]string(nil), br.Keywords...), cr.Keywords...)
		// The older single [rules.allowlist] joins the list, so the two
		// forms never meet in one rule (Translate refuses that).
		merged.Allowlists = append(merged.Allowlists[:len(merged.Allowlists):len(merged.Allowlists)], cr.Allowlists...)
		if br.AllowList != nil {
			merged.Allowlists = append(merged.Allowlists, br.AllowList)
		}
		if cr.AllowList != nil {
			merged.Allowlists = append(merged.Allowlists, cr.AllowList)
		}
		merged.AllowList = nil
		vc.Rules[i] = merged
	}
	if vc.AllowList != nil {
		vc.Allowlists = append(vc.Allowlists, vc.AllowList)
		vc.AllowList = nil
	}
	if base.AllowList != nil {
		vc.Allowlists = append(vc.Allowlists, base.AllowList)
	}
	vc.Allowlists = append(vc.Allowlists, base.Allowlists...)
}

// ignoreFile reads the work tree's .gitleaksignore into a temporary file
// for gitleaks' loader (Detector.AddGitleaksIgnore opens a path; the
// repository's file is read confined and capped, as every file from a
// repository). It returns "" when there is none.
func ignoreFile(root string) (path string, cleanup func(), err error) {
	data, err := repofs.ReadFile(root, IgnoreFile, maxConfig)
	if errors.Is(err, fs.ErrNotExist) {
		return "", func() {}, nil
	}
	if err != nil {
		return "", nil, &ConfigError{File: IgnoreFile, Err: err}
	}
	f, err := os.CreateTemp("", "shipflow-gitleaksignore-*")
	if err != nil {
		return "", nil, fmt.Errorf("reading %s: %w", IgnoreFile, err)
	}
	cleanup = func() { os.Remove(f.Name()) }
	if _, err := f.Write(data); err != nil {
		f.Close()
		cleanup()
		return "", nil, fmt.Errorf("reading %s: %w", IgnoreFile, err)
	}
	if err := f.Close(); err != nil {
		cleanup()
		return "", nil, fmt.Errorf("reading %s: %w", IgnoreFile, err)
	}
	return f.Name(), cleanup, nil
}
