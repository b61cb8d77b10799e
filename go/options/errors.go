package options

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/grafana/sobek"

	"github.com/xk6-tracing/xk6-tracing/go/jsvalue"
)

// Sentinel errors; every error of this package wraps one of them.
var (
	// ErrInvalidOptions means the options argument is not an object.
	ErrInvalidOptions = errors.New("invalid options")
	// ErrInvalidOption means an option has a value of the wrong type or range.
	ErrInvalidOption = errors.New("invalid option")
	// ErrUnknownOption means the options object has a key the module does not know.
	ErrUnknownOption = errors.New("unknown option")
)

// Invalid is the error of a bad option value, in the one form every such
// message takes: `invalid option "name": problem; allowed: allowed`. An
// empty allowed leaves that part out, for a problem that already says it.
func Invalid(name, problem, allowed string) error {
	return invalidFrom(name, "", problem, allowed)
}

// invalidFrom is [Invalid] for a value that came from somewhere other
// than the script, which from says: `"name" (from): problem`.
func invalidFrom(name, from, problem, allowed string) error {
	if from != "" {
		from = " (" + from + ")"
	}
	if allowed != "" {
		allowed = "; allowed: " + allowed
	}
	return fmt.Errorf("%w %q%s: %s%s", ErrInvalidOption, name, from, problem, allowed)
}

// invalidBecause is the error of an option whose value a parser rejected
// with err, which says what is wrong and what is allowed.
func invalidBecause(name string, err error) error {
	return fmt.Errorf("%w %q: %w", ErrInvalidOption, name, err)
}

// InvalidOptions is the error of an options argument v that is not an
// object; allowed says what is.
func InvalidOptions(v sobek.Value, allowed string) error {
	return fmt.Errorf("%w: %s is not an object; allowed: %s", ErrInvalidOptions, jsvalue.Describe(v), allowed)
}

// Unknown is the error for an unknown key among names, with a "did you
// mean" hint. A nested key ("spans.compresion") is compared with its
// siblings' own names, so that their shared prefix does not make every
// name look close.
func Unknown(key string, names []string) error {
	prefix := key[:strings.LastIndexByte(key, '.')+1]
	bare := make([]string, 0, len(names))
	for _, n := range names {
		if strings.HasPrefix(n, prefix) {
			bare = append(bare, n[len(prefix):])
		}
	}
	hint := ""
	if s := Suggest(key[len(prefix):], bare); s != "" {
		hint = fmt.Sprintf(" (did you mean %q?)", prefix+s)
	}
	return fmt.Errorf("%w %q%s; allowed options: %s", ErrUnknownOption, key, hint, quoteAll(names))
}

func quoteAll(names []string) string {
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = strconv.Quote(n)
	}
	return strings.Join(quoted, ", ")
}

// Suggest returns the candidate that word most plausibly misspells: one a
// third of its letters away at most, or one whose first five letters it
// shares (samplingRate, sampler). It returns "" when none is plausible.
func Suggest(word string, candidates []string) string {
	best, bestDist := "", -1
	for _, c := range candidates {
		d := editDistance(word, c)
		plausible := d <= max(1, len(c)/3) || commonPrefix(strings.ToLower(word), c) >= min(5, len(c))
		if plausible && (bestDist < 0 || d < bestDist) {
			best, bestDist = c, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, case-folded
// only for ASCII letters (option names are ASCII).
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if lowerASCII(a[i-1]) == lowerASCII(b[j-1]) {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func commonPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}
