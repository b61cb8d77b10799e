// Package optiontable reads test/testdata/options-table.json, the option
// cases that go/options, go/tracing and the TypeScript facade all check:
// valid options with what they decode to, invalid ones with their exact
// message, and calls whose arguments JSON cannot hold. It reads the table
// strictly: a misspelt key in it fails rather than comparing a zero value.
package optiontable

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/stretchr/testify/require"
)

// Table is the whole file.
type Table struct {
	Comment        string               `json:"$comment"`
	Valid          []Valid[Want]        `json:"valid"`
	Invalid        []Invalid            `json:"invalid"`
	BrowserValid   []Valid[BrowserWant] `json:"browserValid"`
	BrowserInvalid []Invalid            `json:"browserInvalid"`
	Calls          []Call               `json:"calls"`
}

// Valid is options that decode, and what they decode to.
type Valid[W any] struct {
	Name    string          `json:"name"`
	Options json.RawMessage `json:"options"`
	Want    W               `json:"want"`
}

// Invalid is options that fail, with the message.
type Invalid struct {
	Name    string          `json:"name"`
	Options json.RawMessage `json:"options"`
	Error   string          `json:"error"`
}

// Call is JS source that aborts the test in VU code, with the reason.
type Call struct {
	Name  string `json:"name"`
	Call  string `json:"call"`
	Error string `json:"error"`
}

// Want is decoded HTTP options as the table writes them.
type Want struct {
	Propagator    string  `json:"propagator"`
	Sampling      float64 `json:"sampling"`
	TraceState    string  `json:"tracestate"`
	Baggage       string  `json:"baggage"`
	K6Baggage     bool    `json:"k6Baggage"`
	TraceIDFormat string  `json:"traceIdFormat"`
}

// BrowserWant is decoded browser options as the table writes them.
type BrowserWant struct {
	Want
	Mode        string `json:"mode"`
	TraceScope  string `json:"traceScope"`
	PropagateTo struct {
		All      bool     `json:"all"`
		Origins  []string `json:"origins"`
		Prefixes []string `json:"prefixes"`
	} `json:"propagateTo"`
}

// Load reads the table; every list must have cases.
func Load(t testing.TB) Table {
	t.Helper()
	_, self, _, _ := runtime.Caller(0)
	raw, err := os.ReadFile(filepath.Join(filepath.Dir(self), "..", "..", "testdata", "options-table.json"))
	require.NoError(t, err)
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var table Table
	require.NoError(t, dec.Decode(&table))
	for name, n := range map[string]int{
		"valid": len(table.Valid), "invalid": len(table.Invalid), "browserValid": len(table.BrowserValid),
		"browserInvalid": len(table.BrowserInvalid), "calls": len(table.Calls),
	} {
		require.NotZero(t, n, "the table's %s list is empty", name)
	}
	return table
}
