// Package jaeger runs a Jaeger v2 all-in-one for tests: OTLP in (HTTP and
// gRPC), in-memory storage, and its query API out, all on free loopback
// ports. The binary is built from the module proxy by `make jaeger` into
// build/jaeger.
package jaeger

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"time"
)

// Jaeger is a running Jaeger process.
type Jaeger struct {
	// OTLPHTTP is the OTLP/HTTP traces endpoint, OTLPGRPC the OTLP/gRPC one.
	OTLPHTTP, OTLPGRPC string
	// Query is the base URL of the query API (and UI).
	Query string

	cmd  *exec.Cmd
	logs *syncBuffer
	done chan struct{}
}

// config is Jaeger's configuration: the ports of the OTLP receivers and of
// the query API, everything on 127.0.0.1, nothing else listening.
const config = `service:
  extensions: [jaeger_storage, jaeger_query]
  pipelines:
    traces:
      receivers: [otlp]
      processors: [batch]
      exporters: [jaeger_storage_exporter]
  telemetry:
    metrics:
      level: none
    logs:
      level: warn
extensions:
  jaeger_query:
    storage:
      traces: memstore
    http:
      endpoint: 127.0.0.1:%d
    grpc:
      endpoint: 127.0.0.1:%d
  jaeger_storage:
    backends:
      memstore:
        memory:
          max_traces: 200000
receivers:
  otlp:
    protocols:
      grpc:
        endpoint: 127.0.0.1:%d
      http:
        endpoint: 127.0.0.1:%d
processors:
  batch:
    timeout: 50ms
exporters:
  jaeger_storage_exporter:
    trace_storage: memstore
`

// startTimeout bounds the wait for the query API to answer.
const startTimeout = 60 * time.Second

// Start runs the Jaeger binary at path with a configuration in dir, and
// returns once its query API answers.
func Start(path, dir string) (*Jaeger, error) {
	ports, err := freePorts(4)
	if err != nil {
		return nil, err
	}
	cfg := filepath.Join(dir, "jaeger.yaml")
	if err := os.WriteFile(cfg, fmt.Appendf(nil, config, ports[0], ports[1], ports[2], ports[3]), 0o600); err != nil {
		return nil, err
	}
	j := &Jaeger{
		Query:    fmt.Sprintf("http://127.0.0.1:%d", ports[0]),
		OTLPGRPC: fmt.Sprintf("http://127.0.0.1:%d", ports[2]),
		OTLPHTTP: fmt.Sprintf("http://127.0.0.1:%d/v1/traces", ports[3]),
		logs:     &syncBuffer{},
		done:     make(chan struct{}),
	}
	j.cmd = exec.Command(path, "--config", "file:"+cfg) //nolint:gosec // the test's own binary
	j.cmd.Stdout, j.cmd.Stderr = j.logs, j.logs
	if err := j.cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s (run `make jaeger`): %w", path, err)
	}
	go func() { _ = j.cmd.Wait(); close(j.done) }()
	if err := j.waitReady(); err != nil {
		_ = j.Close()
		return nil, fmt.Errorf("%w\njaeger's output:\n%s", err, j.logs.String())
	}
	return j, nil
}

func (j *Jaeger) waitReady() error {
	deadline := time.Now().Add(startTimeout)
	for time.Now().Before(deadline) {
		select {
		case <-j.done:
			return errors.New("jaeger exited")
		default:
		}
		resp, err := http.Get(j.Query + "/api/services") //nolint:noctx // a bounded poll
		if err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("jaeger's query API did not answer within %s", startTimeout)
}

// Logs returns what Jaeger printed so far.
func (j *Jaeger) Logs() string { return j.logs.String() }

// Close stops Jaeger.
func (j *Jaeger) Close() error {
	_ = j.cmd.Process.Kill()
	<-j.done
	return nil
}

// Span is a span as Jaeger's query API returns it.
type Span struct {
	TraceID       string `json:"traceID"`
	SpanID        string `json:"spanID"`
	OperationName string `json:"operationName"`
	References    []struct {
		RefType string `json:"refType"`
		TraceID string `json:"traceID"`
		SpanID  string `json:"spanID"`
	} `json:"references"`
	StartTime int64 `json:"startTime"` // microseconds since the epoch
	Duration  int64 `json:"duration"`  // microseconds
	Tags      []Tag `json:"tags"`
	// Logs are the span's events: the event's name is the "event" field.
	Logs []struct {
		Timestamp int64 `json:"timestamp"`
		Fields    []Tag `json:"fields"`
	} `json:"logs"`
	ProcessID string `json:"processID"`
	// Service and ProcessTags (the other resource attributes) are filled
	// in from the trace's processes.
	Service     string `json:"-"`
	ProcessTags []Tag  `json:"-"`
}

// Tag is a span attribute.
type Tag struct {
	Key   string `json:"key"`
	Type  string `json:"type"`
	Value any    `json:"value"`
}

// Tag returns the value of the span's attribute key, and whether it has it.
func (s Span) Tag(key string) (any, bool) {
	for _, t := range s.Tags {
		if t.Key == key {
			return t.Value, true
		}
	}
	return nil, false
}

// ParentID returns the span id of the span's parent, "" for a root.
func (s Span) ParentID() string {
	for _, r := range s.References {
		if r.RefType == "CHILD_OF" {
			return r.SpanID
		}
	}
	return ""
}

// Trace returns the spans of a trace, none when Jaeger does not have it.
func (j *Jaeger) Trace(ctx context.Context, traceID string) ([]Span, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, j.Query+"/api/traces/"+traceID, nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotFound {
		return nil, nil
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET /api/traces/%s: %s", traceID, resp.Status)
	}
	var body struct {
		Data []struct {
			Spans     []Span `json:"spans"`
			Processes map[string]struct {
				ServiceName string `json:"serviceName"`
				Tags        []Tag  `json:"tags"`
			} `json:"processes"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		return nil, err
	}
	var spans []Span
	for _, d := range body.Data {
		for _, s := range d.Spans {
			s.Service = d.Processes[s.ProcessID].ServiceName
			s.ProcessTags = d.Processes[s.ProcessID].Tags
			spans = append(spans, s)
		}
	}
	return spans, nil
}

// WaitTrace polls until the trace has at least n spans, or timeout passes,
// and returns the spans it has then.
func (j *Jaeger) WaitTrace(traceID string, n int, timeout time.Duration) ([]Span, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	for {
		spans, err := j.Trace(ctx, traceID)
		if err == nil && len(spans) >= n {
			return spans, nil
		}
		select {
		case <-ctx.Done():
			return spans, err
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// freePorts returns n distinct free loopback ports.
func freePorts(n int) ([]int, error) {
	var listeners []net.Listener
	defer func() {
		for _, l := range listeners {
			_ = l.Close()
		}
	}()
	ports := make([]int, 0, n)
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		listeners = append(listeners, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

// syncBuffer is a bytes.Buffer safe for the process's two output streams.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.buf.Len() > 1<<20 {
		return len(p), nil // bounded: a chatty process cannot grow it forever
	}
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
