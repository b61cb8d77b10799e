package tracing

import (
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func entry(ms int) reportEntry {
	return reportEntry{Name: fmt.Sprint(ms), Duration: time.Duration(ms) * time.Millisecond}
}

func names(entries []reportEntry) []string {
	out := make([]string, len(entries))
	for i, e := range entries {
		out[i] = e.Name
	}
	return out
}

func TestTraceReportKeepsTheSlowest(t *testing.T) {
	t.Parallel()
	r := newTraceReport(3)
	require.True(t, r.admits(0), "everything enters while the list has room")
	for _, ms := range []int{5, 1, 9, 3, 7, 2} {
		if r.admits(entry(ms).Duration) {
			r.record(entry(ms), false)
		}
	}
	s := r.snapshot()
	require.Equal(t, []string{"9", "7", "5"}, names(s.Slowest), "slowest first")
	require.False(t, r.admits(5*time.Millisecond), "no faster than the fastest kept")
	require.True(t, r.admits(6*time.Millisecond))
	require.Empty(t, s.Failed)
	require.Zero(t, s.FailedCount)
}

func TestTraceReportKeepsTheFirstFailures(t *testing.T) {
	t.Parallel()
	r := newTraceReport(2)
	for _, ms := range []int{1, 2, 3, 4} {
		r.record(entry(ms), true)
	}
	s := r.snapshot()
	require.Equal(t, []string{"1", "2"}, names(s.Failed), "the first, in order")
	require.EqualValues(t, 4, s.FailedCount, "every failure counted")
	require.Equal(t, []string{"4", "3"}, names(s.Slowest), "failures compete for the slowest too")
}

func TestTraceReportConcurrentVUs(t *testing.T) {
	t.Parallel()
	r := newTraceReport(10)
	const vus, each = 8, 500
	var wg sync.WaitGroup
	for vu := range vus {
		counter := r.requestCounter()
		wg.Go(func() {
			for i := range each {
				e := entry(vu*each + i)
				counter.Add(1)
				if r.admits(e.Duration) {
					r.record(e, false)
				}
			}
		})
	}
	wg.Wait()
	s := r.snapshot()
	require.EqualValues(t, vus*each, s.Requests)
	want := make([]string, 10)
	for i := range want {
		want[i] = fmt.Sprint(vus*each - 1 - i)
	}
	require.Equal(t, want, names(s.Slowest))
}

// BenchmarkTraceReportHotPath is what a request that is neither failed
// nor among the slowest pays: a counter and a comparison.
func BenchmarkTraceReportHotPath(b *testing.B) {
	r := newTraceReport(reportLimit)
	for ms := range reportLimit {
		r.record(entry(1000+ms), false)
	}
	counter := r.requestCounter()
	d := 5 * time.Millisecond
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			counter.Add(1)
			if r.admits(d) {
				b.Fatal("admitted")
			}
		}
	})
}

// jsReport is traceReport() as JSON.stringify writes it.
type jsReport struct {
	Instance    string          `json:"instance"`
	Limit       int             `json:"limit"`
	Requests    int             `json:"requests"`
	FailedCount int             `json:"failedCount"`
	Slowest     []jsReportEntry `json:"slowest"`
	Failed      []jsReportEntry `json:"failed"`
}

type jsReportEntry struct {
	TraceID   string  `json:"traceId"`
	SpanID    string  `json:"spanId"`
	Sampled   bool    `json:"sampled"`
	Method    string  `json:"method"`
	Name      string  `json:"name"`
	URL       string  `json:"url"`
	Status    int     `json:"status"`
	Error     string  `json:"error"`
	Duration  float64 `json:"duration"`
	StartTime int64   `json:"startTime"`
	Scenario  string  `json:"scenario"`
	VU        int     `json:"vu"`
	Iteration int     `json:"iteration"`
	Instance  string  `json:"instance"`
}

func (h *harness) traceReport() jsReport {
	h.t.Helper()
	var r jsReport
	require.NoError(h.t, json.Unmarshal([]byte(h.mustRun(`JSON.stringify(require("k6/x/tracing").traceReport())`).String()), &r))
	return r
}

func TestTraceReportNamesTheSlowestAndFailedRequests(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.mustRun(`const http = require("k6/http"); const tracing = require("k6/x/tracing");
		tracing.instrumentHTTP(); const client = new tracing.Client({ propagator: "b3" });`)
	h.toVU()
	empty := h.traceReport()
	require.Equal(t, jsReport{Instance: "0:1", Limit: reportLimit, Slowest: []jsReportEntry{}, Failed: []jsReportEntry{}}, empty)

	h.runtime.VU.StateField.Iteration, h.runtime.VU.StateField.VUID = 3, 7
	h.mustRun(`
		http.get(BASE);
		http.get(BASE + "/slow", { tags: { name: "slow one" } });
		client.post(BASE + "/fail");
		http.batch([BASE, BASE + "/fail"]);
		try { http.get("http://127.0.0.1:9/closed"); } catch (e) { globalThis.thrown = String(e); }
	`)
	// The other calls reuse the VM stack that held asyncRequest's
	// arguments before its promise settles.
	_, err := h.runtime.RunOnEventLoop(`
		http.asyncRequest("DELETE", BASE + "/fail", null, { tags: { k: "v" } });
		[1, 2, 3].map((a, b, c) => Math.max(a, b, c, 4, 5, 6, 7, 8));
		String.prototype.concat.call("a", "b", "c", "d", "e", "f", "g", "h");
	`)
	require.NoError(t, err)
	require.Contains(t, h.mustRun("globalThis.thrown").String(), "connection refused", "throw: true, as the harness sets")
	received := h.headers()
	r := h.traceReport()
	require.Equal(t, 7, r.Requests)
	require.Equal(t, 4, r.FailedCount)
	require.Len(t, r.Slowest, 7, "fewer requests than the limit: all of them")
	slow := r.Slowest[0]
	require.Equal(t, "slow one", slow.Name)
	require.Equal(t, h.server.URL+"/slow", slow.URL)
	require.Equal(t, "GET", slow.Method)
	require.Equal(t, 200, slow.Status)
	require.GreaterOrEqual(t, slow.Duration, 200.0, "k6's http_req_duration, in ms")
	require.Equal(t, "0:1", slow.Instance)
	require.Equal(t, 3, slow.Iteration)
	require.Equal(t, 7, slow.VU)
	require.True(t, slow.Sampled)
	sent := traceparents(t, received[1:2])[0]
	require.Equal(t, sent.TraceID.String(), slow.TraceID, "the trace the request carried")
	require.Equal(t, sent.SpanID.String(), slow.SpanID)

	var failed []string
	for _, e := range r.Failed {
		failed = append(failed, e.Method+" "+e.Name)
		if e.Status == 0 {
			require.Contains(t, e.Error, "connection refused")
		} else {
			require.Equal(t, 500, e.Status)
		}
	}
	require.Equal(t, []string{
		"POST " + h.server.URL + "/fail",
		"GET " + h.server.URL + "/fail",
		"GET http://127.0.0.1:9/closed",
		"DELETE " + h.server.URL + "/fail",
	}, failed, "the Client's, the batch's, a transport error and asyncRequest's, in order")
	for i := 1; i < len(r.Slowest); i++ {
		require.GreaterOrEqual(t, r.Slowest[i-1].Duration, r.Slowest[i].Duration, "slowest first")
	}
}
