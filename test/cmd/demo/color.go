package main

import (
	"os"
	"strings"
)

// ANSI SGR sequences of the waterfall.
const (
	ansiReset = "\x1b[0m"
	ansiBold  = "\x1b[1m"
	ansiDim   = "\x1b[2m"
	ansiRed   = "\x1b[31m"
)

// serviceColors fixes the demo's three services (k6 in its brand purple);
// any other service takes the next of otherColors in order of appearance.
var (
	serviceColors = map[string]string{
		"k6":       "\x1b[35m", // magenta
		"frontend": "\x1b[36m", // cyan
		"backend":  "\x1b[33m", // yellow
	}
	otherColors = []string{"\x1b[32m", "\x1b[34m", "\x1b[91m", "\x1b[96m"}
)

// painter colors text, or does nothing when color is off, so that the
// renderer has a single code path for both outputs.
type painter struct {
	on     bool
	others map[string]string
}

func (p *painter) paint(code, s string) string {
	if !p.on || s == "" {
		return s
	}
	return code + s + ansiReset
}

// service returns the color of a service.
func (p *painter) service(name string) string {
	if c, ok := serviceColors[name]; ok {
		return c
	}
	if p.others == nil {
		p.others = map[string]string{}
	}
	if c, ok := p.others[name]; ok {
		return c
	}
	c := otherColors[len(p.others)%len(otherColors)]
	p.others[name] = c
	return c
}

// useColor says whether to color the output: only on a terminal, and
// never when NO_COLOR is set (https://no-color.org) or TERM is dumb.
func useColor(f *os.File) bool {
	if os.Getenv("NO_COLOR") != "" || strings.EqualFold(os.Getenv("TERM"), "dumb") {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
