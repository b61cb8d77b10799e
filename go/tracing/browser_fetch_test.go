package tracing

import (
	"encoding/binary"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/trace"

	"github.com/xk6-tracing/xk6-tracing/go/propagation"
)

// fillTemplates does what the page's script does: the placeholders
// replaced by a span id's hex digits and decimal value.
func fillTemplates(templates [][2]string, id trace.SpanID) propagation.MapCarrier {
	out := propagation.MapCarrier{}
	dec := strconv.FormatUint(binary.BigEndian.Uint64(id[:]), 10)
	for _, h := range templates {
		out[h[0]] = strings.ReplaceAll(strings.ReplaceAll(h[1], hexPlaceholder, id.String()), decPlaceholder, dec)
	}
	return out
}

// TestHeaderTemplatesEveryFormat: for each format the module writes, the
// headers the page's script fills in read back, with Go's extractor of
// that format, as the page's trace with the span id the script chose.
func TestHeaderTemplatesEveryFormat(t *testing.T) {
	t.Parallel()
	page := propagation.Context{
		TraceID: trace.TraceID{0x4b, 0xf9, 0x2f, 0x35, 0x77, 0xb3, 0x4d, 0xa6, 0xa3, 0xce, 0x92, 0x9d, 0x0e, 0x0e, 0x47, 0x36},
		SpanID:  trace.SpanID{1, 2, 3, 4, 5, 6, 7, 8}, Sampled: true,
	}
	ids := []trace.SpanID{
		{0x00, 0xf0, 0x67, 0xaa, 0x0b, 0xa9, 0x02, 0xb7}, // a leading zero byte
		{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe}, // beyond int64
		{0, 0, 0, 0, 0, 0, 0, 1},
	}
	for _, f := range []propagation.Format{
		propagation.W3C, propagation.Jaeger, propagation.B3, propagation.B3Multi, propagation.OT,
		propagation.XRay, propagation.Datadog, propagation.GCP,
	} {
		t.Run(f.String(), func(t *testing.T) {
			t.Parallel()
			prop := propagation.NewPropagator(f)
			ctx := page
			if f == propagation.XRay || f == propagation.Datadog || f == propagation.GCP {
				ctx.TraceID = trace.TraceID{0x6a, 0x1c, 0x2b, 0x3d, 0, 0, 0, 0, 0x0e, 0x0e, 0x47, 0x36, 0x11, 0x22, 0x33, 0x44}
			}
			templates := headerTemplates(prop, ctx, nil)
			require.NotEmpty(t, templates)
			var placeholders int
			for _, h := range templates {
				require.Equal(t, strings.ToLower(h[0]), h[0], "names in lower case")
				placeholders += strings.Count(h[1], hexPlaceholder) + strings.Count(h[1], decPlaceholder)
			}
			require.Positive(t, placeholders, "the span id is in the headers: %q", templates)
			for _, id := range ids {
				got, found, _ := prop.Extract(fillTemplates(templates, id))
				require.Equal(t, propagation.Valid, found, "%q", fillTemplates(templates, id))
				require.Equal(t, id, got.SpanID)
				if f == propagation.Datadog {
					require.Equal(t, ctx.TraceID[8:], got.TraceID[8:], "Datadog's 64 bits")
				} else {
					require.Equal(t, ctx.TraceID, got.TraceID)
				}
				require.True(t, got.Sampled)
			}
		})
	}
}

func TestContextFieldsLeaveBaggageOut(t *testing.T) {
	t.Parallel()
	names := contextFields(propagation.NewPropagator(propagation.W3C, propagation.W3CBaggage, propagation.B3Multi))
	require.Contains(t, names, "traceparent")
	require.Contains(t, names, "x-b3-traceid")
	require.NotContains(t, names, "baggage", "a page's own baggage is no trace context")
}

// TestFetchInitScriptConfig: the script is the embedded function called
// with the page's configuration: its headers, and its propagateTo
// patterns as the page's RegExps can read them.
func TestFetchInitScriptConfig(t *testing.T) {
	t.Parallel()
	p, _ := newTestPageTracer(t, `{ mode: "fetch", propagateTo: ["https://*.example.com", "https://api.test/v1/", /\/api\//g] }`, "http://site.test")
	script, err := p.fetchInitScript()
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(script, fetchScript+"("), "the function, called")
	var cfg fetchConfig
	require.NoError(t, json.Unmarshal([]byte(strings.TrimSuffix(strings.TrimPrefix(script, fetchScript+"("), ");")), &cfg))
	require.Equal(t, []string{`^https://[^/]*\.example\.com$`}, cfg.Origins)
	require.Equal(t, []string{`^https://api\.test/v1/`}, cfg.Prefixes)
	require.Len(t, cfg.RegExps, 1)
	require.Equal(t, `\/api\/`, cfg.RegExps[0].Source)
	require.Equal(t, "g", cfg.RegExps[0].Flags, "the script drops g and y")
	require.Equal(t, []string{"traceparent", "tracestate"}, cfg.Names)
	require.Len(t, cfg.Headers, 1)
	require.Equal(t, "traceparent", cfg.Headers[0][0])
}
