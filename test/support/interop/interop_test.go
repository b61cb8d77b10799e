package interop

import (
	"context"
	"encoding/hex"
	"net/http"
	"testing"

	gcppropagator "github.com/GoogleCloudPlatform/opentelemetry-operations-go/propagator"
	"github.com/stretchr/testify/require"

	"github.com/xk6-tracing/xk6-tracing/go/propagation"
)

func header(kv ...string) http.Header {
	h := http.Header{}
	for i := 0; i < len(kv); i += 2 {
		h.Set(kv[i], kv[i+1])
	}
	return h
}

func TestExtract(t *testing.T) {
	t.Parallel()
	const tid, sid = "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"
	want := Result{TraceID: tid, SpanID: sid, Sampled: true}
	tests := []struct {
		name, format string
		h            http.Header
		want         Result
		wantErr      error
	}{
		{"w3c with baggage", "w3c", header("traceparent", "00-"+tid+"-"+sid+"-01", "baggage", "user=alice,run=a%20b"),
			Result{TraceID: tid, SpanID: sid, Sampled: true, Baggage: map[string]string{"user": "alice", "run": "a b"}}, nil},
		{"tracecontext alias", "tracecontext", header("traceparent", "00-"+tid+"-"+sid+"-00"), Result{TraceID: tid, SpanID: sid}, nil},
		{"baggage alone", "baggage", header("baggage", "k=v"), Result{Baggage: map[string]string{"k": "v"}}, nil},
		{"no baggage", "baggage", header(), Result{}, ErrNoBaggage},
		{"b3", "b3", header("b3", tid+"-"+sid+"-1-05e3ac9a4f6e3b90"), want, nil},
		{"b3 decision only", "b3", header("b3", "0"), Result{}, ErrNoContext},
		{"b3multi", "b3multi", header("X-B3-TraceId", tid, "X-B3-SpanId", sid, "X-B3-Sampled", "1"), want, nil},
		{"jaeger with uberctx baggage, read as jaeger-client-go does", "jaeger",
			header("uber-trace-id", tid+":"+sid+":0:1", "uberctx-user", "alice+smith%2C"),
			Result{TraceID: tid, SpanID: sid, Sampled: true, Baggage: map[string]string{"user": "alice smith,"}}, nil},
		{"ot with baggage", "ot", header("ot-tracer-traceid", tid, "ot-tracer-spanid", sid, "ot-tracer-sampled", "true", "ot-baggage-user", "a%20b"),
			Result{TraceID: tid, SpanID: sid, Sampled: true, Baggage: map[string]string{"user": "a b"}}, nil},
		{"ot 64-bit trace id", "ot", header("ot-tracer-traceid", tid[16:], "ot-tracer-spanid", sid, "ot-tracer-sampled", "true"),
			Result{TraceID: "0000000000000000" + tid[16:], SpanID: sid, Sampled: true}, nil},
		{"xray", "xray", header("X-Amzn-Trace-Id", "Root=1-"+tid[:8]+"-"+tid[8:]+";Parent="+sid+";Sampled=1"), want, nil},
		// 8448eb211c80319c is 9532127138774266268, b7ad6b7169203331 is 13235353014750950193.
		{"datadog 128-bit", "datadog", header("x-datadog-trace-id", "9532127138774266268", "x-datadog-parent-id", "13235353014750950193",
			"x-datadog-sampling-priority", "1", "x-datadog-tags", "_dd.p.dm=-1,_dd.p.tid=0af7651916cd43dd"),
			Result{TraceID: "0af7651916cd43dd8448eb211c80319c", SpanID: "b7ad6b7169203331", Sampled: true}, nil},
		{"datadog 64-bit, rejected", "datadog", header("x-datadog-trace-id", "9532127138774266268", "x-datadog-parent-id", "13235353014750950193",
			"x-datadog-sampling-priority", "0"), Result{TraceID: "00000000000000008448eb211c80319c", SpanID: "b7ad6b7169203331"}, nil},
		{"datadog without parent", "datadog", header("x-datadog-trace-id", "9532127138774266268"), Result{}, ErrNoContext},
		{"datadog zero trace id", "datadog", header("x-datadog-trace-id", "0", "x-datadog-parent-id", "1"), Result{}, ErrNoContext},
		// 139592093 is 000000000852019d.
		{"gcp", "gcp", header("X-Cloud-Trace-Context", "d36a105d7002f0dee73c0dfb9553764a/139592093;o=1"),
			Result{TraceID: "d36a105d7002f0dee73c0dfb9553764a", SpanID: "000000000852019d", Sampled: true}, nil},
		{"gcp without option", "gcp", header("X-Cloud-Trace-Context", "d36a105d7002f0dee73c0dfb9553764a/139592093"),
			Result{TraceID: "d36a105d7002f0dee73c0dfb9553764a", SpanID: "000000000852019d"}, nil},
		{"gcp hex span id", "gcp", header("X-Cloud-Trace-Context", "d36a105d7002f0dee73c0dfb9553764a/b7ad6b7169203331"), Result{}, ErrNoContext},
		{"no headers", "w3c", header(), Result{}, ErrNoContext},
		{"unknown format", "zipkin", header(), Result{}, ErrUnknownFormat},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := Extract(tc.format, tc.h)
			require.ErrorIs(t, err, tc.wantErr)
			require.Equal(t, tc.want, got)
		})
	}
}

func TestErrorNamesTheFormat(t *testing.T) {
	t.Parallel()
	_, err := Extract("datadog", header("x-datadog-trace-id", "abc"))
	require.EqualError(t, err, `datadog: no valid trace context: trace id "abc"`)
	_, err = Extract("zipkin", header())
	require.EqualError(t, err, `unknown format "zipkin"`)
}

// TestExtractReadsGoPropagation is how an integration test uses this
// package: what go/propagation writes, the references read back.
func TestExtractReadsGoPropagation(t *testing.T) {
	t.Parallel()
	for _, f := range propagation.Formats() {
		if !f.CarriesContext() {
			continue
		}
		g := propagation.NewGenerator(propagation.NewSource(), propagation.LocalCode)
		for i := range 60 {
			c := g.NewTrace([]propagation.Layout{propagation.LayoutK6, propagation.LayoutRandom, propagation.LayoutXRay}[i%3], propagation.NewSampler(0.5))
			m := propagation.MapCarrier{}
			propagation.NewPropagator(f).Inject(c, nil, m)
			h := http.Header{}
			for k, v := range m {
				h.Set(k, v)
			}
			got, err := Extract(f.String(), h)
			require.NoError(t, err, "%s: %v", f, h)
			require.Equal(t, Result{TraceID: hex.EncodeToString(c.TraceID[:]), SpanID: hex.EncodeToString(c.SpanID[:]), Sampled: c.Sampled}, got, "%s: %v", f, h)
		}
	}
}

// TestCloudTraceContextAgreesWithGoogle checks the GCP reference decoder
// against Google's own propagator.
func TestCloudTraceContextAgreesWithGoogle(t *testing.T) {
	t.Parallel()
	for _, v := range []string{
		"d36a105d7002f0dee73c0dfb9553764a/139592093;o=1",
		"d36a105d7002f0dee73c0dfb9553764a/139592093;o=0",
		"d36a105d7002f0dee73c0dfb9553764a/18446744073709551615",
		"d36a105d7002f0dee73c0dfb9553764a/18446744073709551616;o=1",
		"d36a105d7002f0dee73c0dfb9553764a/0;o=1",
		"00000000000000000000000000000000/1;o=1",
		"D36A105D7002F0DEE73C0DFB9553764A/139592093;o=1",
		"d36a105d7002f0dee73c0dfb9553764a/139592093;o=01",
		"d36a105d7002f0dee73c0dfb9553764a/;o=1",
	} {
		h := header("X-Cloud-Trace-Context", v)
		got, err := extractCloudTraceContext(h)
		req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, "http://example.com", http.NoBody)
		req.Header = h
		sc, googleErr := gcppropagator.SpanContextFromRequest(req)
		require.Equal(t, googleErr == nil, err == nil, "%q: %v, Google: %v", v, err, googleErr)
		if err == nil {
			require.Equal(t, Result{TraceID: sc.TraceID().String(), SpanID: sc.SpanID().String(), Sampled: sc.IsSampled()}, got, v)
		}
	}
}
