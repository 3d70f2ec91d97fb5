package changelog

import "strings"

// The built-in layouts are text/templates (Preset.Layout returns them, as a
// starting point for WithTemplate); writing them in Go as well makes a
// 1000-commit section several times faster. TestLayoutsMatchTemplates
// keeps both the same, byte for byte.

// Layout returns the preset's layout as a text/template, which WithTemplate
// accepts; "" for an unknown preset. The templates "version", "entry" and
// "ref" it uses are defined for every WithTemplate template too.
func (p Preset) Layout() string {
	switch p {
	case PresetConventionalCommits:
		return conventionalLayout
	case PresetAngular:
		return angularLayout
	case PresetKeepAChangelog:
		return keepAChangelogLayout
	}
	return ""
}

// writeLayout renders c with the built-in layout of preset p.
func writeLayout(b *strings.Builder, p Preset, c *Context) {
	switch p {
	case PresetAngular:
		if c.IsPatch {
			b.WriteString("## ")
		} else {
			b.WriteString("# ")
		}
		writeVersion(b, c)
		b.WriteString("\n\n")
		writeSections(b, c, writeEntry)
		if len(c.Breaking) > 0 {
			b.WriteString("\n### BREAKING CHANGES\n\n")
			writeNotes(b, c, "* ")
		}
	case PresetKeepAChangelog:
		b.WriteString("## [" + c.Version + "]")
		if c.Date != "" {
			b.WriteString(" - " + c.Date)
		}
		b.WriteString("\n")
		if len(c.Breaking) > 0 {
			b.WriteString("\n### ⚠ Breaking Changes\n\n")
			writeNotes(b, c, "- ")
		}
		for _, s := range c.Sections {
			b.WriteString("\n### " + s.Title + "\n\n")
			for i := range s.Entries {
				e := &s.Entries[i]
				b.WriteString("- ")
				if e.Scope != "" {
					b.WriteString("**" + e.Scope + ":** ")
				}
				b.WriteString(e.Subject)
				switch {
				case e.CommitURL != "":
					b.WriteString(" ([" + e.ShortHash + "](" + e.CommitURL + "))")
				case e.ShortHash != "":
					b.WriteString(" (" + e.ShortHash + ")")
				}
				b.WriteString("\n")
			}
		}
		if c.CompareURL != "" {
			b.WriteString("\n[" + c.Version + "]: " + c.CompareURL + "\n")
		}
	default:
		b.WriteString("## ")
		writeVersion(b, c)
		b.WriteString("\n\n")
		if len(c.Breaking) > 0 {
			b.WriteString("\n### ⚠ BREAKING CHANGES\n\n")
			writeNotes(b, c, "* ")
		}
		writeSections(b, c, writeEntry)
	}
}

func writeVersion(b *strings.Builder, c *Context) {
	if c.CompareURL != "" {
		b.WriteString("[" + c.Version + "](" + c.CompareURL + ")")
	} else {
		b.WriteString(c.Version)
	}
	if c.Date != "" {
		b.WriteString(" (" + c.Date + ")")
	}
}

func writeNotes(b *strings.Builder, c *Context, bullet string) {
	for _, n := range c.Breaking {
		b.WriteString(bullet)
		if n.Scope != "" {
			b.WriteString("**" + n.Scope + ":** ")
		}
		b.WriteString(n.Text + "\n")
	}
}

func writeSections(b *strings.Builder, c *Context, entry func(*strings.Builder, *Entry)) {
	for _, s := range c.Sections {
		b.WriteString("\n### " + s.Title + "\n\n")
		for i := range s.Entries {
			entry(b, &s.Entries[i])
			b.WriteString("\n")
		}
		b.WriteString("\n")
	}
}

// writeEntry is the "entry" template.
func writeEntry(b *strings.Builder, e *Entry) {
	b.WriteString("*")
	if e.Scope != "" {
		b.WriteString(" **" + e.Scope + ":**")
	}
	b.WriteString(" " + e.Subject)
	switch {
	case e.CommitURL != "":
		b.WriteString(" ([" + e.ShortHash + "](" + e.CommitURL + "))")
	case e.ShortHash != "":
		b.WriteString(" " + e.ShortHash)
	}
	writeRefs(b, e.References, true, ", closes")
	writeRefs(b, e.References, false, ", references")
}

// writeRefs writes the references whose Closes is closes after intro.
func writeRefs(b *strings.Builder, refs []Reference, closes bool, intro string) {
	for _, r := range refs {
		if r.Closes != closes {
			continue
		}
		b.WriteString(intro + " ")
		intro = ""
		if r.URL != "" {
			b.WriteString("[" + r.Text + "](" + r.URL + ")")
		} else {
			b.WriteString(r.Text)
		}
	}
}
