package interop

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// ErrJS means the JavaScript references could not run: Node.js or the
// npm packages of package.json (make node_modules) are missing.
var ErrJS = errors.New("javascript references unavailable")

// ExtractJS reads each of headers in the named format, as [Extract] does,
// with JavaScript implementations: OpenTelemetry JS's propagators
// (@opentelemetry/core's W3C trace context and baggage, propagator-b3,
// -jaeger, -ot-trace, -aws-xray), Google Cloud's propagator for
// OpenTelemetry JS and, for "datadog", Datadog's dd-trace. It runs
// otel-js.mjs once, with Node.js, for all of them. Each result has its
// error: [ErrNoContext] or [ErrNoBaggage] when the reference found
// nothing; the returned error is for a run that failed as a whole.
func ExtractJS(format string, headers []http.Header) ([]Result, []error, error) {
	type request struct {
		Format  string            `json:"format"`
		Headers map[string]string `json:"headers"`
	}
	in := make([]request, len(headers))
	for i, h := range headers {
		flat := make(map[string]string, len(h))
		for name, values := range h {
			flat[strings.ToLower(name)] = strings.Join(values, ",")
		}
		in[i] = request{Format: format, Headers: flat}
	}
	body, err := json.Marshal(in)
	if err != nil {
		return nil, nil, err
	}
	_, self, _, _ := runtime.Caller(0)
	cmd := exec.Command("node", filepath.Join(filepath.Dir(self), "otel-js.mjs"))
	cmd.Stdin = bytes.NewReader(body)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, nil, fmt.Errorf("%w: %w: %s", ErrJS, err, stderr.String())
	}
	var out []struct {
		TraceID string            `json:"traceId"`
		SpanID  string            `json:"spanId"`
		Sampled bool              `json:"sampled"`
		Baggage map[string]string `json:"baggage"`
		Error   string            `json:"error"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		return nil, nil, fmt.Errorf("%w: %w: %s", ErrJS, err, stdout.String())
	}
	if len(out) != len(headers) {
		return nil, nil, fmt.Errorf("%w: %d answers to %d requests", ErrJS, len(out), len(headers))
	}
	results, errs := make([]Result, len(out)), make([]error, len(out))
	for i, o := range out {
		switch {
		case o.Error == "no valid trace context":
			errs[i] = fmt.Errorf("%s: %w", format, ErrNoContext)
		case o.Error == "no valid baggage":
			errs[i] = fmt.Errorf("%s: %w", format, ErrNoBaggage)
		case o.Error != "":
			errs[i] = fmt.Errorf("%s: %w: %s", format, ErrUnknownFormat, o.Error)
		}
		results[i] = Result{TraceID: o.TraceID, SpanID: o.SpanID, Sampled: o.Sampled, Baggage: o.Baggage}
	}
	return results, errs, nil
}
