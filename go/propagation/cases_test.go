package propagation

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// The case types and table runners of the format tests. A format's test
// writes its own cases, with its own expected contexts and headers; what
// is shared is only how a table is run and checked.

// findCase is an input, a set of headers or one header's value, and the
// context an extractor or a parser must find in it.
type findCase[In any] struct {
	name string
	in   In
	want Context
}

// extractCase is a set of headers and the context an extractor must find
// in it.
type extractCase = findCase[Getter]

// parseCase is one header's value and the context a parser must find in it.
type parseCase = findCase[string]

// headerCase is a set of headers an extractor must reject.
type headerCase struct {
	name    string
	headers MapCarrier
}

// valueCase is a header value a parser must reject.
type valueCase struct{ name, value string }

// injectCase is a context and the headers an injector must write for it.
type injectCase struct {
	name string
	c    Context
	want MapCarrier
}

// requireFinds checks that find reports found and the case's context for
// each case's input.
func requireFinds[In any](t *testing.T, find func(In) (Context, Found), found Found, cases []findCase[In]) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, gotFound := find(tc.in)
			require.Equal(t, found, gotFound)
			require.Equal(t, tc.want, got)
		})
	}
}

// requireRejects checks that extract finds nothing in each case's
// headers, and returns the zero context.
func requireRejects(t *testing.T, extract func(Getter) (Context, Found), cases []headerCase) {
	t.Helper()
	rejected := make([]extractCase, len(cases))
	for i, tc := range cases {
		rejected[i] = extractCase{name: tc.name, in: tc.headers}
	}
	requireFinds(t, extract, NotFound, rejected)
}

// requireParseRejects checks that parse finds nothing in each case's
// value, and returns the zero context.
func requireParseRejects(t *testing.T, parse func(string) (Context, Found), cases []valueCase) {
	t.Helper()
	rejected := make([]parseCase, len(cases))
	for i, tc := range cases {
		rejected[i] = parseCase{name: tc.name, in: tc.value}
	}
	requireFinds(t, parse, NotFound, rejected)
}

// parsed adapts a parser that reports only whether the value was valid to
// the table runners, as extractSingle adapts it to a codec.
func parsed(parse func(string) (Context, bool)) func(string) (Context, Found) {
	return func(s string) (Context, Found) {
		c, ok := parse(s)
		if ok {
			return c, Valid
		}
		return c, NotFound // c as the parser left it, which must be zero
	}
}

// requireInjects checks that inject writes exactly each case's headers.
func requireInjects(t *testing.T, inject func(Context, *Baggage, Setter), cases []injectCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := MapCarrier{}
			inject(tc.c, nil, m)
			require.Equal(t, tc.want, m)
		})
	}
}
