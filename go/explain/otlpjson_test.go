package explain

import (
	"encoding/base64"
	"encoding/hex"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func b64(hexID string) string {
	b, _ := hex.DecodeString(hexID)
	return base64.StdEncoding.EncodeToString(b)
}

const (
	traceHex  = "5b8efff798038103d269b633813fc60c"
	rootHex   = "eee19b7ec3c1b174"
	childHex  = "eee19b7ec3c1b173"
	startNano = "1796368000000000000"
	endNano   = "1796368000150000000"
)

// jaegerV3 is the shape of Jaeger v2's GET /api/v3/traces/{id}: OTLP JSON
// under "result", hex ids, enums as numbers, times as strings.
const jaegerV3 = `{"result":{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"gateway"}}]},
"scopeSpans":[{"scope":{"name":"x"},"spans":[
{"traceId":"` + traceHex + `","spanId":"` + rootHex + `","parentSpanId":"","name":"POST /orders","kind":2,
 "startTimeUnixNano":"` + startNano + `","endTimeUnixNano":"` + endNano + `","status":{}},
{"traceId":"` + traceHex + `","spanId":"` + childHex + `","parentSpanId":"` + rootHex + `","name":"charge","kind":3,
 "startTimeUnixNano":"1796368000010000000","endTimeUnixNano":"1796368000140000000","status":{"code":2,"message":"card declined"}}
]}]}]}}`

// tempoV2 is the shape of Tempo's GET /api/v2/traces/{id}: the trace
// under "trace", with its completeness, enums as names.
const tempoV2 = `{"trace":{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"gateway"}}]},
"scopeSpans":[{"spans":[
{"traceId":"` + traceHex + `","spanId":"` + rootHex + `","name":"POST /orders","kind":"SPAN_KIND_SERVER",
 "startTimeUnixNano":` + startNano + `,"endTimeUnixNano":` + endNano + `,"status":{"code":"STATUS_CODE_OK"}},
{"traceId":"` + traceHex + `","spanId":"` + childHex + `","parentSpanId":"` + rootHex + `","name":"charge","kind":"SPAN_KIND_CLIENT",
 "startTimeUnixNano":"1796368000010000000","endTimeUnixNano":"1796368000140000000","status":{"code":"STATUS_CODE_ERROR","message":"card declined"}}
]}]}]},"status":"PARTIAL"}`

// tempoV1 is the shape of Tempo's GET /api/traces/{id}: "batches" with
// base64 ids, and the older instrumentationLibrarySpans.
var tempoV1 = `{"batches":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"gateway"}}]},
"instrumentationLibrarySpans":[{"spans":[
{"traceId":"` + b64(traceHex) + `","spanId":"` + b64(rootHex) + `","name":"POST /orders","kind":"SPAN_KIND_SERVER",
 "startTimeUnixNano":"` + startNano + `","endTimeUnixNano":"` + endNano + `"},
{"traceId":"` + b64(traceHex) + `","spanId":"` + b64(childHex) + `","parentSpanId":"` + b64(rootHex) + `","name":"charge","kind":"SPAN_KIND_CLIENT",
 "startTimeUnixNano":"1796368000010000000","endTimeUnixNano":"1796368000140000000","status":{"code":2,"message":"card declined"}}
]}]}]}`

func TestReadTraceShapes(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name     string
		body     string
		complete Completeness
	}{
		{"jaeger v3", jaegerV3, Unknown},
		{"tempo v2", tempoV2, Partial},
		{"tempo v1", tempoV1, Unknown},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			spans, complete, err := ReadTrace([]byte(tt.body))
			require.NoError(t, err)
			require.Equal(t, tt.complete, complete)
			require.Equal(t, []Span{
				{
					TraceID: traceHex, SpanID: rootHex, Service: "gateway", Name: "POST /orders", Kind: "server",
					Start: time.Unix(0, 1796368000000000000), End: time.Unix(0, 1796368000150000000),
				},
				{
					TraceID: traceHex, SpanID: childHex, ParentID: rootHex, Service: "gateway", Name: "charge", Kind: "client",
					Start: time.Unix(0, 1796368000010000000), End: time.Unix(0, 1796368000140000000),
					Error: true, StatusMessage: "card declined",
				},
			}, spans)
		})
	}
}

func TestReadTraceBadInput(t *testing.T) {
	t.Parallel()
	for name, body := range map[string]string{
		"not json":     `<html>502 Bad Gateway</html>`,
		"bad span id":  `{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"` + traceHex + `","spanId":"xyz","startTimeUnixNano":"1","endTimeUnixNano":"2"}]}]}]}`,
		"bad time":     `{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"` + traceHex + `","spanId":"` + rootHex + `","startTimeUnixNano":"soon","endTimeUnixNano":"2"}]}]}]}`,
		"short trace":  `{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"abcd","spanId":"` + rootHex + `","startTimeUnixNano":"1","endTimeUnixNano":"2"}]}]}]}`,
		"missing time": `{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"` + traceHex + `","spanId":"` + rootHex + `"}]}]}]}`,
	} {
		_, _, err := ReadTrace([]byte(body))
		require.Error(t, err, name)
	}
	_, complete, err := ReadTrace([]byte(`{"trace":{},"status":"COMPLETE"}`))
	require.ErrorIs(t, err, ErrNoSpans)
	require.Equal(t, Complete, complete)
	_, _, err = ReadTrace([]byte(`{"result":{"resourceSpans":[]}}`))
	require.ErrorIs(t, err, ErrNoSpans)
}
