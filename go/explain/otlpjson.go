package explain

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ErrNoSpans means a backend's answer held no span of the trace.
var ErrNoSpans = errors.New("no spans in the answer")

// Completeness says whether the backend holds all of a trace's spans: Tempo
// answers PARTIAL while some of its blocks could not be searched.
type Completeness string

// Completeness values; Unknown for backends that do not say.
const (
	Complete Completeness = "COMPLETE"
	Partial  Completeness = "PARTIAL"
	Unknown  Completeness = ""
)

// ReadTrace reads a trace in OTLP JSON, in any of the shapes the backends
// return it:
//
//   - Jaeger v2's GET /api/v3/traces/{id}: {"result": {"resourceSpans": [...]}};
//   - Tempo's GET /api/v2/traces/{id}: {"trace": {"resourceSpans": [...]}, "status": "COMPLETE"};
//   - Tempo's GET /api/traces/{id} (v1): {"batches": [...]}, with base64 ids;
//   - plain OTLP JSON: {"resourceSpans": [...]}.
//
// Ids may be hex or base64; kinds and status codes numbers or enum names;
// times strings or numbers of nanoseconds. Spans come in the answer's
// order.
func ReadTrace(body []byte) ([]Span, Completeness, error) {
	var doc struct {
		Result        *otlpTrace      `json:"result"`
		Trace         *otlpTrace      `json:"trace"`
		Status        string          `json:"status"`
		ResourceSpans []resourceSpans `json:"resourceSpans"`
		Batches       []resourceSpans `json:"batches"`
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		return nil, Unknown, fmt.Errorf("reading the trace: %w", err)
	}
	var batches []resourceSpans
	switch {
	case doc.Result != nil:
		batches = doc.Result.all()
	case doc.Trace != nil:
		batches = doc.Trace.all()
	default:
		batches = append(doc.ResourceSpans, doc.Batches...)
	}
	var spans []Span
	for _, rs := range batches {
		service := rs.Resource.service()
		for _, ss := range append(rs.ScopeSpans, rs.InstrumentationLibrarySpans...) {
			for _, js := range ss.Spans {
				s, err := js.span(service)
				if err != nil {
					return nil, Unknown, fmt.Errorf("reading span %q: %w", js.Name, err)
				}
				spans = append(spans, s)
			}
		}
	}
	if len(spans) == 0 {
		return nil, Completeness(strings.ToUpper(doc.Status)), ErrNoSpans
	}
	return spans, Completeness(strings.ToUpper(doc.Status)), nil
}

type otlpTrace struct {
	ResourceSpans []resourceSpans `json:"resourceSpans"`
	Batches       []resourceSpans `json:"batches"`
}

func (t *otlpTrace) all() []resourceSpans { return append(t.ResourceSpans, t.Batches...) }

type resourceSpans struct {
	Resource                    resource     `json:"resource"`
	ScopeSpans                  []scopeSpans `json:"scopeSpans"`
	InstrumentationLibrarySpans []scopeSpans `json:"instrumentationLibrarySpans"`
}

type scopeSpans struct {
	Spans []jsonSpan `json:"spans"`
}

type keyValue struct {
	Key   string `json:"key"`
	Value struct {
		StringValue *string `json:"stringValue"`
	} `json:"value"`
}

type resource struct {
	Attributes []keyValue `json:"attributes"`
}

// service returns the resource's service.name, "" for none.
func (r resource) service() string {
	for _, kv := range r.Attributes {
		if kv.Key == "service.name" && kv.Value.StringValue != nil {
			return *kv.Value.StringValue
		}
	}
	return ""
}

type jsonSpan struct {
	TraceID      string `json:"traceId"`
	SpanID       string `json:"spanId"`
	ParentSpanID string `json:"parentSpanId"`
	Name         string `json:"name"`
	RawKind      any    `json:"kind"`
	Start        any    `json:"startTimeUnixNano"`
	End          any    `json:"endTimeUnixNano"`
	Status       struct {
		Code    any    `json:"code"`
		Message string `json:"message"`
	} `json:"status"`
}

func (js jsonSpan) span(service string) (Span, error) {
	s := Span{Name: js.Name, Service: service, StatusMessage: js.Status.Message}
	var err error
	if s.TraceID, err = hexID(js.TraceID, 16); err != nil {
		return s, fmt.Errorf("traceId: %w", err)
	}
	if s.SpanID, err = hexID(js.SpanID, 8); err != nil {
		return s, fmt.Errorf("spanId: %w", err)
	}
	if js.ParentSpanID != "" {
		if s.ParentID, err = hexID(js.ParentSpanID, 8); err != nil {
			return s, fmt.Errorf("parentSpanId: %w", err)
		}
	}
	if s.Start, err = nanos(js.Start); err != nil {
		return s, fmt.Errorf("startTimeUnixNano: %w", err)
	}
	if s.End, err = nanos(js.End); err != nil {
		return s, fmt.Errorf("endTimeUnixNano: %w", err)
	}
	s.Kind = enumName(js.RawKind, "SPAN_KIND_", spanKinds)
	s.Error = enumName(js.Status.Code, "STATUS_CODE_", statusCodes) == "error"
	return s, nil
}

// spanKinds and statusCodes name the protocol's enum values.
var (
	spanKinds   = map[int64]string{1: "internal", 2: "server", 3: "client", 4: "producer", 5: "consumer"}
	statusCodes = map[int64]string{1: "ok", 2: "error"}
)

// enumName reads an enum as a number or as its name ("SPAN_KIND_SERVER"),
// in lower case without prefix; "" for unspecified or unknown values.
func enumName(v any, prefix string, names map[int64]string) string {
	switch v := v.(type) {
	case json.Number:
		n, err := v.Int64()
		if err == nil {
			return names[n]
		}
	case string:
		name := strings.ToLower(strings.TrimPrefix(v, prefix))
		for _, known := range names {
			if known == name {
				return name
			}
		}
	}
	return ""
}

// hexID returns an id of n bytes, given as hex or as base64, in lower-case
// hex.
func hexID(s string, n int) (string, error) {
	if len(s) == 2*n {
		if b, err := hex.DecodeString(s); err == nil {
			return hex.EncodeToString(b), nil
		}
	}
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil || len(b) != n {
		return "", fmt.Errorf("%q is neither %d hex digits nor %d bytes in base64", s, 2*n, n)
	}
	return hex.EncodeToString(b), nil
}

// nanos reads nanoseconds since the epoch, a string or a number.
func nanos(v any) (time.Time, error) {
	var s string
	switch v := v.(type) {
	case json.Number:
		s = v.String()
	case string:
		s = v
	default:
		return time.Time{}, fmt.Errorf("%v is not a number of nanoseconds", v)
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a number of nanoseconds", s)
	}
	return time.Unix(0, n), nil
}
