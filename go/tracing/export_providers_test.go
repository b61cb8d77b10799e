package tracing

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/xk6-tracing/xk6-tracing/go/spans"
)

func TestLossWarningNamesEachCause(t *testing.T) {
	t.Parallel()
	cfg := spans.Config{Endpoint: "http://127.0.0.1:4318/v1/traces", QueueSize: 64, FlushTimeout: 5 * time.Second}
	require.Empty(t, lossWarning(spans.Stats{Ended: 9, Exported: 9}, cfg, nil), "nothing lost, nothing said")

	all := lossWarning(spans.Stats{Ended: 100, Exported: 40, QueueFull: 30, FlushTimeout: 20, Failed: 10}, cfg,
		errors.New("503; retry later"))
	require.Equal(t, "tracing: 60 of 100 spans were not delivered to http://127.0.0.1:4318/v1/traces: "+
		"30 dropped as they ended because the queue of 64 spans was full "+
		"(exports were failing: check the collector first; else "+
		"raise spans.queueSize or spans.concurrentExports, or lower sampling); "+
		"20 still queued when the flush timeout of 5s ended (raise spans.flushTimeout); "+
		"10 in exports that failed (check the collector; last error: 503; retry later)", all)

	full := lossWarning(spans.Stats{Ended: 5, Exported: 3, QueueFull: 2}, cfg, nil)
	require.Equal(t, "tracing: 2 of 5 spans were not delivered to http://127.0.0.1:4318/v1/traces: "+
		"2 dropped as they ended because the queue of 64 spans was full "+
		"(raise spans.queueSize or spans.concurrentExports, or lower sampling)", full,
		"a collector that kept up but for the pace: the queue's advice alone")

	down := lossWarning(spans.Stats{Ended: 4, FlushTimeout: 4}, cfg, errors.New("dial tcp: connection refused"))
	require.Equal(t, "tracing: 4 of 4 spans were not delivered to http://127.0.0.1:4318/v1/traces: "+
		"4 still queued when the flush timeout of 5s ended (exports were failing: check the collector first; "+
		"else raise spans.flushTimeout; last error: dial tcp: connection refused)", down,
		"a collector that is down, retried until the flush timeout: its error is named")

	slow := lossWarning(spans.Stats{Ended: 4, FlushTimeout: 4}, cfg,
		fmt.Errorf("%w: 4 spans were not exported", spans.ErrFlushTimeout))
	require.Equal(t, "tracing: 4 of 4 spans were not delivered to http://127.0.0.1:4318/v1/traces: "+
		"4 still queued when the flush timeout of 5s ended (raise spans.flushTimeout)", slow,
		"a collector that was only slow: the flush timeout is the thing to change")

	one := lossWarning(spans.Stats{Ended: 5, Exported: 3, FlushTimeout: 2}, cfg, nil)
	require.Equal(t, "tracing: 2 of 5 spans were not delivered to http://127.0.0.1:4318/v1/traces: "+
		"2 still queued when the flush timeout of 5s ended (raise spans.flushTimeout)", one, "only the causes that lost spans")
}
