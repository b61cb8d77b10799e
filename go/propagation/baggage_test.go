package propagation

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestBaggageNilAndZero(t *testing.T) {
	t.Parallel()
	var nilBag *Baggage
	require.Equal(t, 0, nilBag.Len())
	require.Empty(t, nilBag.String())
	require.Empty(t, nilBag.WithinLimits())
	require.Empty(t, nilBag.Members())
	require.Nil(t, nilBag.Clone())
	_, ok := nilBag.Get("k")
	require.False(t, ok)

	var b Baggage
	require.Empty(t, b.String())
	require.NoError(t, b.Set("k", "v"))
	require.Equal(t, "k=v", b.String())
}

func TestBaggageSet(t *testing.T) {
	t.Parallel()
	b, ok := ParseBaggage("a=1;p,b=2,c=3")
	require.True(t, ok)
	require.NoError(t, b.Set("a", "x"))
	require.NoError(t, b.Set("d", "4"))
	require.Equal(t, "a=x,b=2,c=3,d=4", b.String(), "replaced in place, without its properties; new keys last")
	v, ok := b.Get("a")
	require.True(t, ok)
	require.Equal(t, "x", v)

	require.NoError(t, b.Set("bad", "\xffok"))
	v, _ = b.Get("bad")
	require.Equal(t, "\uFFFDok", v, "bytes that are not UTF-8 become U+FFFD")

	err := b.Set("a b", "1")
	require.ErrorIs(t, err, ErrInvalidBaggageKey)
	require.EqualError(t, err, `invalid baggage key "a b": want an RFC 7230 token: letters, digits and !#$%&'*+-.^_`+"`|~")
	require.ErrorIs(t, b.Set("", "1"), ErrInvalidBaggageKey)
	require.ErrorIs(t, b.Set("é", "1"), ErrInvalidBaggageKey)
	require.Equal(t, 5, b.Len())
}

func TestBaggageSetDefaultFirstWins(t *testing.T) {
	t.Parallel()
	var b Baggage
	b.SetDefault("k", "first")
	b.SetDefault("k", "second")
	b.SetDefault("not a token", "ignored")
	b.SetDefault("", "ignored")
	require.Equal(t, []Member{{Key: "k", Value: "first"}}, b.Members())
}

func TestBaggageDeleteAndClone(t *testing.T) {
	t.Parallel()
	b, _ := ParseBaggage("a=1,b=2,c=3")
	c := b.Clone()
	require.True(t, b.Delete("b"))
	require.False(t, b.Delete("b"))
	require.NoError(t, c.Set("a", "changed"))
	require.Equal(t, "a=1,c=3", b.String())
	require.Equal(t, "a=changed,b=2,c=3", c.String())
}

func TestBaggageValueEncoding(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, value, want string }{
		{"plain", "alice", "alice"},
		{"space", "DF 28", "DF%2028"},
		{"comma", "a,b", "a%2Cb"},
		{"semicolon", "a;b", "a%3Bb"},
		{"percent", "100%", "100%25"},
		{"double quote and backslash", `"\`, "%22%5C"},
		{"equals, plus and slash stay", "a=b+c/d", "a=b+c/d"},
		{"non-ASCII UTF-8", "zürich 💼", "z%C3%BCrich%20%F0%9F%92%BC"},
		{"control characters", "\t\n", "%09%0A"},
		{"empty", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var b Baggage
			require.NoError(t, b.Set("k", tc.value))
			require.Equal(t, "k="+tc.want, b.String())
			back, ok := ParseBaggage(b.String())
			require.True(t, ok)
			require.Equal(t, b.Members(), back.Members())
		})
	}
}

// TestBaggageStringIsCached is not parallel: AllocsPerRun refuses to be.
func TestBaggageStringIsCached(t *testing.T) {
	var b Baggage
	require.NoError(t, b.Set("k6.test_run_id", "run 1"))
	first := b.String()
	require.Zero(t, testing.AllocsPerRun(100, func() { _ = b.String() }))
	require.NoError(t, b.Set("k6.test_run_id", "run 2"))
	require.NotEqual(t, first, b.String(), "Set invalidates the cache")
	b.SetDefault("other", "x")
	require.Equal(t, "k6.test_run_id=run%202,other=x", b.String(), "SetDefault invalidates the cache")
	b.Delete("other")
	require.Equal(t, "k6.test_run_id=run%202", b.String(), "Delete invalidates the cache")
}

// TestBaggageConcurrentReads runs under -race: a Baggage shared between
// VUs may be read, and its cache filled, from several goroutines.
func TestBaggageConcurrentReads(t *testing.T) {
	t.Parallel()
	b, _ := ParseBaggage("a=1,b=2")
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			require.Equal(t, "a=1,b=2", b.String())
			require.Len(t, b.WithinLimits(), 2)
		})
	}
	wg.Wait()
}

func TestBaggageWithinLimits(t *testing.T) {
	t.Parallel()
	t.Run("65 members keep the first 64", func(t *testing.T) {
		t.Parallel()
		var b Baggage
		for i := range 65 {
			require.NoError(t, b.Set(fmt.Sprintf("k%d", i), "v"))
		}
		within := b.WithinLimits()
		require.Len(t, within, maxBaggageMembers)
		require.Equal(t, "k63", within[63].Key)
		require.Equal(t, 65, b.Len(), "the baggage itself keeps every member")
	})
	t.Run("8192 bytes fit, 8193 do not", func(t *testing.T) {
		t.Parallel()
		var b Baggage
		require.NoError(t, b.Set("k", strings.Repeat("v", maxBaggageBytes-2)))
		require.Len(t, b.String(), maxBaggageBytes)
		require.NoError(t, b.Set("k", strings.Repeat("v", maxBaggageBytes-1)))
		require.Empty(t, b.String(), "no partial member")
		require.Empty(t, b.WithinLimits())
	})
	t.Run("a member that does not fit is dropped whole, later ones may fit", func(t *testing.T) {
		t.Parallel()
		var b Baggage
		require.NoError(t, b.Set("first", strings.Repeat("a", 4000)))
		require.NoError(t, b.Set("big", strings.Repeat("b", 4500)))
		require.NoError(t, b.Set("last", "z"))
		keys := []string{}
		for _, m := range b.WithinLimits() {
			keys = append(keys, m.Key)
		}
		require.Equal(t, []string{"first", "last"}, keys)
		require.Equal(t, "first="+strings.Repeat("a", 4000)+",last=z", b.String())
	})
	t.Run("encoded size counts", func(t *testing.T) {
		t.Parallel()
		var b Baggage
		require.NoError(t, b.Set("k", strings.Repeat(" ", 3000))) // 9000 bytes encoded
		require.Empty(t, b.String())
	})
}

func TestBaggageCodec(t *testing.T) {
	t.Parallel()
	p := NewPropagator(W3CBaggage)
	require.False(t, W3CBaggage.CarriesContext())
	require.True(t, W3CBaggage.CarriesBaggage())
	require.Equal(t, []string{"baggage"}, W3CBaggage.Fields())

	m := MapCarrier{}
	p.Inject(Context{}, nil, m)
	p.Inject(Context{}, &Baggage{}, m)
	require.Empty(t, m, "no header for no baggage")

	b, _ := ParseBaggage("user=alice,region=eu west")
	p.Inject(Context{}, b, m)
	require.Equal(t, MapCarrier{"baggage": "user=alice"}, m, "the invalid member is not forwarded")

	in := MapCarrier{}
	in.Add("Baggage", "user=alice, tier = gold;p")
	in.Add("baggage", "user=bob,,k6=1")
	_, found, got := p.Extract(in)
	require.Equal(t, NotFound, found)
	require.Equal(t, []Member{
		{Key: "user", Value: "alice"}, {Key: "tier", Value: "gold", Properties: "p"}, {Key: "k6", Value: "1"},
	}, got.Members())

	_, _, none := p.Extract(MapCarrier{"baggage": "not-a-member"})
	require.Nil(t, none)
}

// TestBaggageMergeOrder: when several formats carry baggage, the first
// format of the propagator names each key.
func TestBaggageMergeOrder(t *testing.T) {
	t.Parallel()
	in := MapCarrier{"baggage": "k=from-w3c", "uberctx-k": "from-jaeger", "uberctx-j": "only-jaeger"}
	_, _, b := NewPropagator(W3CBaggage, Jaeger).Extract(in)
	v, _ := b.Get("k")
	require.Equal(t, "from-w3c", v)
	_, _, b = NewPropagator(Jaeger, W3CBaggage).Extract(in)
	v, _ = b.Get("k")
	require.Equal(t, "from-jaeger", v)
	require.Equal(t, 2, b.Len())
}

// FuzzParseBaggage: no panic; what String writes is a valid header within
// the limits that parses back to the members it was written from.
func FuzzParseBaggage(f *testing.F) {
	for _, tc := range otelBaggageParse {
		f.Add(tc.in, "k", "v")
	}
	f.Add("key1=value1;property1;property2, key2 = value2, key3=value3; propertyKey=propertyValue", "key2", "a,b")
	f.Add("k=aa%ffcc;p=d%fff", "é", "%")
	f.Fuzz(func(t *testing.T, s, key, value string) {
		b, ok := ParseBaggage(s)
		require.NotNil(t, b)
		// Without escapes, what String writes is no longer than s: a valid
		// header within the limits is forwarded whole.
		if ok && len(s) <= maxBaggageBytes && b.Len() <= maxBaggageMembers && !strings.Contains(s, "%") {
			require.Len(t, b.WithinLimits(), b.Len())
		}
		checkBaggage(t, b)
		if b.Set(key, value) == nil {
			checkBaggage(t, b)
		}
	})
}

func checkBaggage(t *testing.T, b *Baggage) {
	t.Helper()
	h := b.String()
	require.LessOrEqual(t, len(h), maxBaggageBytes)
	back, ok := ParseBaggage(h)
	require.True(t, ok, "%q does not parse back", h)
	require.LessOrEqual(t, back.Len(), maxBaggageMembers)
	require.True(t, slices.Equal(b.WithinLimits(), back.Members()), "%q parses back to other members", h)
	require.Equal(t, h, back.String())
}
