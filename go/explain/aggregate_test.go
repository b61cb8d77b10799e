package explain

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// explained explains a test trace of a checkout: gateway, then orders,
// then payments, the last slow (slowMs) or failing.
func explained(t *testing.T, name, trace string, slowMs int, fail bool) Explained {
	t.Helper()
	end := 40 + slowMs
	spans := []Span{
		span("a", "", "k6", "POST", 0, end+10),
		span("b", "a", "gateway", "POST /checkout", 5, end+5),
		span("c", "b", "orders", "create", 10, 30),
		span("d", "b", "payments", "charge", 35, end),
	}
	for i := range spans {
		spans[i].TraceID = trace
	}
	if fail {
		spans[3].Error, spans[3].StatusMessage = true, "card declined"
		spans[1].Error = true
	}
	tree, err := NewTree(spans, "a")
	require.NoError(t, err)
	return Explained{Name: name, TraceID: trace, Failed: fail, Explanation: Explain(tree)}
}

func TestSummarize(t *testing.T) {
	t.Parallel()
	requests := []Explained{
		explained(t, "checkout", "t-slow-1", 400, false),
		explained(t, "checkout", "t-slow-2", 100, false),
		explained(t, "checkout", "t-fail-1", 5, true),
		explained(t, "cart", "t-fail-2", 5, true),
		{Name: "cart", TraceID: "t-unread", Err: errors.New("not found")},
	}
	out := Summarize(requests)
	require.Len(t, out, 3, "all, then cart and checkout")
	all := out[0]
	require.Empty(t, all.Name)
	require.Equal(t, 4, all.Requests)
	require.Equal(t, 1, all.Unread)

	// The slow ones: 450 ms and 150 ms, 600 ms in all; payments' charge
	// was on their critical paths for 405 + 105 ms.
	require.Equal(t, "payments", all.Services[0].Service)
	require.Equal(t, 510*time.Millisecond, all.Services[0].Time)
	require.InDelta(t, 510.0/600.0, all.Services[0].Fraction, 1e-9)
	require.Equal(t, []string{"t-slow-1", "t-slow-2"}, all.Services[0].Traces, "most time first")
	require.Equal(t, "charge", all.Operations[0].Operation)
	var sum time.Duration
	for _, d := range all.Services {
		sum += d.Time
	}
	require.Equal(t, 600*time.Millisecond, sum, "the paths cover the requests exactly")

	require.Equal(t, []Origin{{Service: "payments", Operation: "charge", Message: "card declined", Count: 2,
		Traces: []string{"t-fail-1", "t-fail-2"}}}, all.Origins, "the deepest error, not the gateway's")

	require.Equal(t, "cart", out[1].Name)
	require.Equal(t, 1, out[1].Requests)
	require.Equal(t, 1, out[1].Unread)
	require.Empty(t, out[1].Services, "no slow request of that name")
	require.Equal(t, "checkout", out[2].Name)
	require.Len(t, out[2].Origins, 1)

	require.Len(t, Summarize(requests[:2]), 1, "one name: no per-name summaries")
}
