package propagation

import (
	"errors"
	"fmt"
	"maps"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func mustTraceState(t *testing.T, s string) TraceState {
	t.Helper()
	ts, ok := ParseTraceState(s)
	require.True(t, ok, s)
	return ts
}

func TestTraceStateAccessors(t *testing.T) {
	t.Parallel()
	ts := mustTraceState(t, " rojo=00f067aa0ba902b7 ,congo=t61rcWkgMzE")
	require.Equal(t, 2, ts.Len())
	require.Equal(t, []string{"rojo", "congo"}, ts.Keys())
	v, ok := ts.Get("congo")
	require.True(t, ok)
	require.Equal(t, "t61rcWkgMzE", v)
	_, ok = ts.Get("absent")
	require.False(t, ok)
	require.Equal(t, map[string]string{"rojo": "00f067aa0ba902b7", "congo": "t61rcWkgMzE"}, maps.Collect(ts.All()))
	require.Equal(t, "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE", ts.String())

	var zero TraceState
	require.Equal(t, 0, zero.Len())
	require.Empty(t, zero.String())
	require.Empty(t, zero.Keys())
}

func TestTraceStateSet(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, key, value, want string
	}{
		{"new key goes first", "rojo=1,congo=2", "k6", "abc", "k6=abc,rojo=1,congo=2"},
		{"updated key moves first", "rojo=1,congo=2,dd=3", "congo", "9", "congo=9,rojo=1,dd=3"},
		{"first key updated in place", "rojo=1,congo=2", "rojo", "5", "rojo=5,congo=2"},
		{"into the empty list", "", "k6@grafana", "x", "k6@grafana=x"},
		{"new key on a full list drops the right-most", bars32, "new", "1", "new=1," + bars32[:strings.LastIndex(bars32, ",")]},
		{"existing key on a full list drops nothing", bars32, "bar32", "x", "bar32=x," + bars32[:strings.LastIndex(bars32, ",")]},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ts := mustTraceState(t, tc.in)
			require.NoError(t, ts.Set(tc.key, tc.value))
			require.Equal(t, tc.want, ts.String())
			require.Equal(t, tc.key, ts.Keys()[0])
			require.LessOrEqual(t, ts.Len(), MaxTraceStateMembers)
		})
	}
}

func TestTraceStateSetErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, key, value string
		want             error
		message          string
	}{
		{"upper-case key", "K6", "1", ErrInvalidTraceStateKey, `invalid tracestate key "K6": want a lower-case letter`},
		{"empty key", "", "1", ErrInvalidTraceStateKey, `invalid tracestate key "": `},
		{"key of 257", strings.Repeat("k", 257), "1", ErrInvalidTraceStateKey, "invalid tracestate key"},
		{"comma in value", "k6", "a,b", ErrInvalidTraceStateValue, `invalid tracestate value "a,b": want 1 to 256 printable ASCII characters (0x20-0x7E) without "," or "=", not ending in a space`},
		{"equals in value", "k6", "a=b", ErrInvalidTraceStateValue, `invalid tracestate value "a=b"`},
		{"empty value", "k6", "", ErrInvalidTraceStateValue, `invalid tracestate value ""`},
		{"trailing space", "k6", "a ", ErrInvalidTraceStateValue, `invalid tracestate value "a "`},
		{"value of 257", "k6", strings.Repeat("v", 257), ErrInvalidTraceStateValue, "invalid tracestate value"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ts := mustTraceState(t, "rojo=1")
			err := ts.Set(tc.key, tc.value)
			require.ErrorIs(t, err, tc.want)
			require.Contains(t, err.Error(), tc.message)
			require.Equal(t, "rojo=1", ts.String(), "a refused Set changes nothing")
		})
	}
}

func TestTraceStateDelete(t *testing.T) {
	t.Parallel()
	ts := mustTraceState(t, "rojo=1,congo=2,dd=3")
	require.True(t, ts.Delete("congo"))
	require.Equal(t, "rojo=1,dd=3", ts.String())
	require.False(t, ts.Delete("congo"))
	require.True(t, ts.Delete("rojo"))
	require.True(t, ts.Delete("dd"))
	require.Equal(t, 0, ts.Len())
	require.Empty(t, ts.String())
}

// TestTraceStateCopiesAreIndependent: Set and Delete on a copy leave the
// original as it was, so a parent's tracestate can be handed to children.
func TestTraceStateCopiesAreIndependent(t *testing.T) {
	t.Parallel()
	parent := mustTraceState(t, "rojo=1,congo=2,dd=3")
	child := parent
	require.NoError(t, child.Set("congo", "9"))
	other := parent
	require.True(t, other.Delete("rojo"))
	require.Equal(t, "rojo=1,congo=2,dd=3", parent.String())
	require.Equal(t, []string{"rojo", "congo", "dd"}, parent.Keys())
	require.Equal(t, "congo=9,rojo=1,dd=3", child.String())
	require.Equal(t, "congo=2,dd=3", other.String())
}

func TestValidTraceStateKey(t *testing.T) {
	t.Parallel()
	for key, want := range map[string]bool{
		"a": true, "a" + strings.Repeat("z", 255): true, "a" + strings.Repeat("z", 256): false,
		"0": false, "0@a": true, "a@0": false, "a@": false, "@a": false, "a@b@c": false,
		strings.Repeat("t", 241) + "@" + strings.Repeat("v", 14): true,
		"foo/bar*baz_qux-1": true, "foo bar": false, "é": false,
	} {
		require.Equal(t, want, ValidTraceStateKey(key), "%q", key)
	}
}

// FuzzParseTraceState: no panic; a parsed list re-serialises to a header
// that parses back to the same members; Set keeps the list valid.
func FuzzParseTraceState(f *testing.F) {
	for _, tc := range w3cSuite {
		for _, h := range tc.headers {
			if h.name == "tracestate" {
				f.Add(h.value, "k6", "v")
			}
		}
	}
	f.Add(bars32, "new", "1")
	f.Add("a=1,  ,b=2\t", "b", " x")
	f.Fuzz(func(t *testing.T, s, key, value string) {
		ts, ok := ParseTraceState(s)
		if !ok {
			require.Equal(t, TraceState{}, ts)
		}
		checkTraceState(t, ts)

		err := ts.Set(key, value)
		if !ValidTraceStateKey(key) || !ValidTraceStateValue(value) {
			require.True(t, errors.Is(err, ErrInvalidTraceStateKey) || errors.Is(err, ErrInvalidTraceStateValue), "%v", err)
			return
		}
		require.NoError(t, err)
		require.Equal(t, key, ts.Keys()[0])
		checkTraceState(t, ts)
	})
}

func checkTraceState(t *testing.T, ts TraceState) {
	t.Helper()
	require.LessOrEqual(t, ts.Len(), MaxTraceStateMembers)
	back, ok := ParseTraceState(ts.String())
	require.True(t, ok, "%q does not parse back", ts.String())
	require.Equal(t, ts.String(), back.String())
	require.Equal(t, ts.Keys(), back.Keys())
	require.Equal(t, maps.Collect(ts.All()), maps.Collect(back.All()))
	for k, v := range ts.All() {
		require.True(t, ValidTraceStateKey(k) && ValidTraceStateValue(v), fmt.Sprintf("%q=%q", k, v))
	}
}
