package jsvalue

import (
	"testing"

	"github.com/grafana/sobek"
	"github.com/stretchr/testify/require"
)

func TestDescribe(t *testing.T) {
	t.Parallel()
	rt := sobek.New()
	for expr, want := range map[string]string{
		`undefined`:      "undefined",
		`null`:           "null",
		`"a"`:            `"a" (a string)`,
		`true`:           "true (a boolean)",
		`1.5`:            "1.5",
		`[1]`:            "an array",
		`(function(){})`: "a function",
		`({})`:           "an object",
	} {
		v, err := rt.RunString(expr)
		require.NoError(t, err)
		require.Equal(t, want, Describe(v), expr)
	}
	require.Equal(t, "undefined", Describe(nil))
}

func TestItems(t *testing.T) {
	t.Parallel()
	rt := sobek.New()
	v, err := rt.RunString(`[1, , "x"]`)
	require.NoError(t, err)
	items, ok := Items(v)
	require.True(t, ok)
	require.Len(t, items, 3)
	require.Equal(t, int64(1), items[0].Export())
	require.True(t, sobek.IsUndefined(items[1]), "a hole is undefined")
	require.Equal(t, "x", items[2].String())

	obj, err := rt.RunString(`({ length: 1, 0: "a" })`)
	require.NoError(t, err)
	_, ok = Items(obj)
	require.False(t, ok, "an array-like object is not an array")
}

func TestPlainObject(t *testing.T) {
	t.Parallel()
	rt := sobek.New()
	for expr, want := range map[string]bool{`({})`: true, `[]`: false, `(function(){})`: false, `null`: false, `"s"`: false} {
		v, err := rt.RunString(expr)
		require.NoError(t, err)
		_, ok := PlainObject(v)
		require.Equal(t, want, ok, expr)
	}
}

// settle runs expr, a promise, through Settled and returns what done saw
// and how the returned promise settled.
func TestSettledPassesTheOutcomeOn(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, expr    string
		fulfilled     bool
		value, result string
	}{
		{"fulfilled", `Promise.resolve("v")`, true, "v", "fulfilled v"},
		{"rejected", `Promise.reject(new Error("boom"))`, false, "Error: boom", "rejected Error: boom"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rt := sobek.New()
			p, err := rt.RunString(tc.expr)
			require.NoError(t, err)
			var gotFulfilled bool
			var gotValue string
			out, err := Settled(rt, p, func(fulfilled bool, v sobek.Value) { gotFulfilled, gotValue = fulfilled, v.String() })
			require.NoError(t, err)
			require.NoError(t, rt.Set("out", out))
			_, err = rt.RunString(`var result; out.then(v => { result = "fulfilled " + v }, r => { result = "rejected " + r })`)
			require.NoError(t, err)
			require.Equal(t, tc.fulfilled, gotFulfilled)
			require.Equal(t, tc.value, gotValue)
			require.Equal(t, tc.result, rt.Get("result").String(), "the returned promise settles as the original")
		})
	}
}

func TestObserveHandlesTheRejection(t *testing.T) {
	t.Parallel()
	rt := sobek.New()
	var rejections int
	rt.SetPromiseRejectionTracker(func(*sobek.Promise, sobek.PromiseRejectionOperation) { rejections++ })
	p, err := rt.RunString(`Promise.reject("gone")`)
	require.NoError(t, err)
	var seen string
	Observe(rt, p, func(fulfilled bool, v sobek.Value) { seen = v.String() })
	_, err = rt.RunString(`0`) // runs the promise jobs
	require.NoError(t, err)
	require.Equal(t, "gone", seen)
	require.Equal(t, 2, rejections, "rejected, then handled")

	var direct bool
	Observe(rt, rt.ToValue(1), func(fulfilled bool, _ sobek.Value) { direct = fulfilled })
	require.True(t, direct, "a value that is not a thenable counts as fulfilled at once")
}
