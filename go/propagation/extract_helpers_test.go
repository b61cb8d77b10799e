package propagation

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// extractCase is a set of headers and the context an extractor must find
// in it.
type extractCase struct {
	name    string
	headers MapCarrier
	want    Context
}

// headerCase is a set of headers an extractor must reject.
type headerCase struct {
	name    string
	headers MapCarrier
}

// requireExtracts checks that extract finds each case's valid context.
func requireExtracts(t *testing.T, extract func(Getter) (Context, Found), cases []extractCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, found := extract(tc.headers)
			require.Equal(t, Valid, found)
			require.Equal(t, tc.want, got)
		})
	}
}

// requireRejects checks that extract finds nothing in each case, and
// returns the zero context.
func requireRejects(t *testing.T, extract func(Getter) (Context, Found), cases []headerCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, found := extract(tc.headers)
			require.Equal(t, NotFound, found)
			require.Equal(t, Context{}, got)
		})
	}
}
