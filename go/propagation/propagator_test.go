package propagation

import (
	"testing"

	"github.com/stretchr/testify/require"
)

const (
	tidA = "4bf92f3577b34da6a3ce929d0e0e4736"
	tidB = "11111111111111111111111111111111"
	sidA = "00f067aa0ba902b7"
)

func TestPropagatorExtract(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		formats   []Format
		headers   MapCarrier
		found     Found
		traceID   string
		sampled   bool
		state     string
		baggageOf map[string]string
	}{
		{"nothing", []Format{W3C, B3}, MapCarrier{}, NotFound, "", false, "", nil},
		{"the first format in order wins", []Format{B3, W3C},
			MapCarrier{"b3": tidA + "-" + sidA + "-0", "traceparent": "00-" + tidB + "-" + sidA + "-01"}, Valid, tidA, false, "", nil},
		{"an invalid header does not count", []Format{B3, W3C},
			MapCarrier{"b3": "garbage", "traceparent": "00-" + tidB + "-" + sidA + "-01"}, Valid, tidB, true, "", nil},
		{"a sampling-only decision counts", []Format{B3, W3C},
			MapCarrier{"b3": "d", "traceparent": "00-" + tidB + "-" + sidA + "-00"}, SamplingOnly, "", true, "", nil},
		{"tracestate travels with a traceparent of the same trace", []Format{B3, W3C},
			MapCarrier{"b3": tidA + "-" + sidA + "-1", "traceparent": "00-" + tidA + "-" + sidA + "-01", "tracestate": "a=1"}, Valid, tidA, true, "a=1", nil},
		{"not with one of another trace", []Format{B3, W3C},
			MapCarrier{"b3": tidA + "-" + sidA + "-1", "traceparent": "00-" + tidB + "-" + sidA + "-01", "tracestate": "a=1"}, Valid, tidA, true, "", nil},
		{"an invalid tracestate is dropped, the traceparent kept", []Format{W3C},
			MapCarrier{"traceparent": "00-" + tidA + "-" + sidA + "-01", "tracestate": "a=1,a=2"}, Valid, tidA, true, "", nil},
		{"b3 reads the multi headers too", []Format{B3},
			MapCarrier{"x-b3-traceid": tidA, "x-b3-spanid": sidA, "x-b3-sampled": "1"}, Valid, tidA, true, "", nil},
		{"baggage merged from every format, the first wins", []Format{W3CBaggage, Jaeger, OT},
			MapCarrier{"baggage": "a=1", "uberctx-a": "2", "uberctx-b": "x+y", "ot-baggage-c": "z%20w"}, NotFound, "", false, "",
			map[string]string{"a": "1", "b": "x y", "c": "z w"}},
		{"formats not listed are not read", []Format{W3C},
			MapCarrier{"uber-trace-id": tidA + ":" + sidA + ":0:1", "baggage": "a=1"}, NotFound, "", false, "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, found, b := NewPropagator(tc.formats...).Extract(tc.headers)
			require.Equal(t, tc.found, found)
			if tc.traceID != "" {
				require.Equal(t, tc.traceID, FormatTraceID(c.TraceID))
			}
			require.Equal(t, tc.sampled, c.Sampled)
			require.Equal(t, tc.state, c.TraceState)
			if tc.baggageOf == nil {
				require.Nil(t, b)
				return
			}
			got := map[string]string{}
			for _, m := range b.Members() {
				got[m.Key] = m.Value
			}
			require.Equal(t, tc.baggageOf, got)
		})
	}
}

func TestPropagatorInjectsEveryFormatOnce(t *testing.T) {
	t.Parallel()
	p := NewPropagator(W3C, W3C, None, B3)
	require.Equal(t, "w3c,b3", p.String())
	require.Equal(t, "none", NewPropagator(None).String())
	m := MapCarrier{}
	NewPropagator(None).Inject(mustContext(t, tidA, sidA, true), nil, m)
	require.Empty(t, m, "none writes nothing")
}

func TestLayouts(t *testing.T) {
	t.Parallel()
	g, always := NewGenerator(NewSource(), LocalCode), NewSampler(1)
	require.False(t, g.NewTrace(LayoutK6, always).Random, "k6 ids have only 4 random bytes")
	require.True(t, g.NewTrace(LayoutRandom, always).Random)
	before := g.clock.unixNano() / 1e9
	c := g.NewTrace(LayoutXRay, always)
	require.True(t, c.Random)
	secs := int64(c.TraceID[0])<<24 | int64(c.TraceID[1])<<16 | int64(c.TraceID[2])<<8 | int64(c.TraceID[3])
	require.InDelta(t, before, secs, 1, "X-Ray ids start with the Unix time in seconds")
	m := MapCarrier{}
	NewPropagator(W3C).Inject(c, nil, m)
	require.Equal(t, "03", m["traceparent"][53:], "sampled and random flags")
}

func TestPropagatorWith(t *testing.T) {
	t.Parallel()
	p := NewPropagator(W3C, Jaeger)
	require.Equal(t, "w3c,jaeger,b3", p.With(NewPropagator(B3, W3C)).String())
	require.Equal(t, "w3c,jaeger", p.With(NewPropagator(Jaeger)).String())
	require.Equal(t, "w3c,jaeger", p.With(NewPropagator(None)).String())
	require.Equal(t, "baggage", NewPropagator(None).With(NewPropagator(W3CBaggage)).String())
	q := p.With(NewPropagator(B3))
	r := p.With(NewPropagator(Datadog))
	require.Equal(t, "w3c,jaeger,b3", q.String(), "a second union never writes into the first's formats")
	require.Equal(t, "w3c,jaeger,datadog", r.String())
	require.Equal(t, "w3c,jaeger", p.String())
}
