package propagation

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/baggage"
	otelprop "go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
)

// otelMembers reads a baggage header with OpenTelemetry's parser, failing on
// any error: what we write must be valid for it, not merely tolerated.
func otelMembers(t *testing.T, header string) map[string]string {
	t.Helper()
	b, err := baggage.Parse(header)
	require.NoError(t, err, header)
	got := map[string]string{}
	for _, m := range b.Members() {
		got[m.Key()] = m.Value()
	}
	return got
}

func valuesOf(ms []Member) map[string]string {
	want := map[string]string{}
	for _, m := range ms {
		want[m.Key] = m.Value
	}
	return want
}

// TestBaggageInteropWithOTel: what Baggage.String writes, OpenTelemetry's
// baggage.Parse and its Baggage propagator read as the same members.
func TestBaggageInteropWithOTel(t *testing.T) {
	t.Parallel()
	var b Baggage
	for k, v := range map[string]string{
		"space":      "DF 28",
		"comma":      "a,b",
		"semicolon":  "a;b",
		"percent":    "100%",
		"encoded":    "%20 is a space",
		"equals":     "a=b==",
		"quotes":     `"quoted" \ back`,
		"utf8":       "zürich ąść 💼",
		"empty":      "",
		"k6.run_id":  "12345",
		"Mixed-Case": "Tokens!#$&'*+-.^_`|~",
	} {
		require.NoError(t, b.Set(k, v))
	}
	require.NoError(t, b.Set("weird!#$%&'*+-.^_`|~key", "v"))
	header := b.String()
	require.Equal(t, valuesOf(b.Members()), otelMembers(t, header))

	ctx := otelprop.Baggage{}.Extract(context.Background(), otelprop.MapCarrier{BaggageHeader: header})
	require.Equal(t, b.Len(), baggage.FromContext(ctx).Len())
	for _, m := range b.Members() {
		require.Equal(t, m.Value, baggage.FromContext(ctx).Member(m.Key).Value(), m.Key)
	}
}

// TestBaggageInteropLimits: a 9000-byte baggage comes out trimmed to whole
// members within 8192 bytes, which OpenTelemetry reads whole (it drops a
// header of more than 8192 bytes entirely).
func TestBaggageInteropLimits(t *testing.T) {
	t.Parallel()
	var b Baggage
	for i := range 30 {
		require.NoError(t, b.Set(fmt.Sprintf("member%02d", i), strings.Repeat("x", 291)))
	}
	all := b.Len() - 1 // commas
	for _, m := range b.Members() {
		all += encodedMemberLen(m)
	}
	require.GreaterOrEqual(t, all, 9000)

	header := b.String()
	require.LessOrEqual(t, len(header), maxBaggageBytes)
	require.Len(t, b.WithinLimits(), 27, "whole members, in order, while they fit")
	require.Equal(t, valuesOf(b.WithinLimits()), otelMembers(t, header))
	for _, part := range strings.Split(header, ",") {
		require.Len(t, part, len("member00=")+291, "no partial member")
	}
}

// TestBaggagePropertiesInteropWithOTel: properties we carry are valid for
// OpenTelemetry too.
func TestBaggagePropertiesInteropWithOTel(t *testing.T) {
	t.Parallel()
	b, ok := ParseBaggage("k=v ; p1 ; p2 = a%20b, j=1;x")
	require.True(t, ok)
	o, err := baggage.Parse(b.String())
	require.NoError(t, err)
	props := o.Member("k").Properties()
	require.Len(t, props, 2)
	require.Equal(t, "p1", props[0].Key())
	v, _ := props[1].Value()
	require.Equal(t, "a b", v)
}

// TestBaggageFromOTel: what OpenTelemetry writes, we read as the same
// members.
func TestBaggageFromOTel(t *testing.T) {
	t.Parallel()
	var ms []baggage.Member
	for k, v := range map[string]string{"a": "x y,z;%", "b": "ąść", "c": ""} {
		m, err := baggage.NewMemberRaw(k, v)
		require.NoError(t, err)
		ms = append(ms, m)
	}
	o, err := baggage.New(ms...)
	require.NoError(t, err)
	b, ok := ParseBaggage(o.String())
	require.True(t, ok)
	require.Equal(t, map[string]string{"a": "x y,z;%", "b": "ąść", "c": ""}, valuesOf(b.Members()))
}

// TestTraceStateInteropWithOTel: what TraceState.String writes, after
// parsing and after Set, OpenTelemetry's trace.ParseTraceState reads as the
// same list.
func TestTraceStateInteropWithOTel(t *testing.T) {
	t.Parallel()
	ts, ok := ParseTraceState(" rojo=00f067aa0ba902b7 ,\t,congo=t61rcWkgMzE, " + allVendorKey + "=" + allValueChars)
	require.True(t, ok)
	require.NoError(t, ts.Set("k6", "trace 1"))
	for i := range 40 { // past 32: the right-most members go
		require.NoError(t, ts.Set(fmt.Sprintf("v%d@sys", i), fmt.Sprint(i)))
	}
	require.NoError(t, ts.Set("congo", "again"))
	o, err := trace.ParseTraceState(ts.String())
	require.NoError(t, err)
	require.Equal(t, ts.String(), o.String())
	require.Equal(t, ts.Len(), o.Len())
	for k, v := range ts.All() {
		require.Equal(t, v, o.Get(k), k)
	}
}

// TestW3CInjectInteropWithOTel: the traceparent and tracestate we inject
// are what OpenTelemetry's TraceContext extracts.
func TestW3CInjectInteropWithOTel(t *testing.T) {
	t.Parallel()
	c := mustContext(t, "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", true)
	ts, _ := ParseTraceState("congo=t61rcWkgMzE")
	require.NoError(t, ts.Set("k6", "1"))
	c.TraceState = ts.String()
	m := MapCarrier{}
	NewPropagator(W3C).Inject(c, nil, m)
	sc := trace.SpanContextFromContext(otelprop.TraceContext{}.Extract(context.Background(), otelprop.MapCarrier(m)))
	require.True(t, sc.IsValid())
	require.Equal(t, "k6=1,congo=t61rcWkgMzE", sc.TraceState().String())
}
