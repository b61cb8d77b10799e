package tracing

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/grafana/sobek"
	"github.com/sirupsen/logrus"
	"github.com/stretchr/testify/require"
	k6http "go.k6.io/k6/v2/js/modules/k6/http"
	"go.k6.io/k6/v2/js/modulestest"
	"go.k6.io/k6/v2/lib"
	"go.k6.io/k6/v2/metrics"
	"gopkg.in/guregu/null.v3"
)

// harness runs JS against the real k6/http, k6/x/tracing and
// k6/x/tracing/pyroscope modules in one VU, with a loopback server that records the headers it received.
type harness struct {
	t       *testing.T
	runtime *modulestest.Runtime
	samples chan metrics.SampleContainer
	server  *httptest.Server

	mu       sync.Mutex
	received []http.Header
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	h := &harness{t: t, runtime: modulestest.NewRuntime(t), samples: make(chan metrics.SampleContainer, 1000)}
	h.server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.mu.Lock()
		h.received = append(h.received, r.Header.Clone())
		h.mu.Unlock()
		switch r.URL.Path {
		case "/slow": // still in flight while the script sends other requests
			time.Sleep(200 * time.Millisecond)
		case "/redirect":
			http.Redirect(w, r, "/", http.StatusFound)
			return
		case "/fail":
			http.Error(w, "failed", http.StatusInternalServerError)
			return
		}
		_, _ = w.Write([]byte("ok"))
	}))
	t.Cleanup(h.server.Close)
	require.NoError(t, h.runtime.SetupModuleSystem(map[string]any{
		"k6/http":           k6http.New(),
		ImportPath:          New(),
		PyroscopeImportPath: NewPyroscope(),
	}, nil, nil))
	require.NoError(t, h.runtime.VU.Runtime().Set("BASE", h.server.URL))
	return h
}

// run evaluates JS and returns its value or error.
func (h *harness) run(code string) (sobek.Value, error) {
	h.t.Helper()
	return h.runtime.VU.Runtime().RunString(code)
}

// mustRun evaluates JS that must not throw.
func (h *harness) mustRun(code string) sobek.Value {
	h.t.Helper()
	v, err := h.run(code)
	require.NoError(h.t, err)
	return v
}

// toVU leaves the init context, as k6 does before the default function,
// in the scenario "default".
func (h *harness) toVU() {
	h.runtime.VU.CtxField = lib.WithScenarioState(h.runtime.VU.Context(), &lib.ScenarioState{Name: "default"})
	registry := metrics.NewRegistry()
	logger := logrus.New()
	logger.SetLevel(logrus.WarnLevel)
	h.runtime.MoveToVUContext(&lib.State{
		Options: lib.Options{
			MaxRedirects: null.IntFrom(10),
			Throw:        null.BoolFrom(true),
			SystemTags:   &metrics.DefaultSystemTagSet,
			Batch:        null.IntFrom(20),
			BatchPerHost: null.IntFrom(20),
		},
		Logger:         logger,
		Transport:      h.server.Client().Transport,
		BufferPool:     lib.NewBufferPool(),
		Samples:        h.samples,
		Tags:           lib.NewVUStateTags(registry.RootTagSet()),
		BuiltinMetrics: metrics.RegisterBuiltinMetrics(registry),
	})
}

// headers returns what the server received since the last call.
func (h *harness) headers() []http.Header {
	h.mu.Lock()
	defer h.mu.Unlock()
	got := h.received
	h.received = nil
	return got
}

// traceIDs returns the trace_id metadata of every http_reqs sample emitted
// since the last call, "" for a sample without one.
func (h *harness) traceIDs() []string {
	var ids []string
	for {
		select {
		case c := <-h.samples:
			for _, s := range c.GetSamples() {
				if s.Metric.Name == "http_reqs" {
					ids = append(ids, s.Metadata[TraceIDMetadata])
				}
			}
		default:
			return ids
		}
	}
}
