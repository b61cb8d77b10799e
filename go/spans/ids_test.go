package spans

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/trace"
)

func TestIDGenerator(t *testing.T) {
	t.Parallel()
	g := newIDGenerator()
	tid := trace.TraceID{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}
	sid := trace.SpanID{1, 2, 3, 4, 5, 6, 7, 8}
	ctx := WithIDs(context.Background(), tid, sid)

	gotT, gotS := g.NewIDs(ctx)
	require.Equal(t, tid, gotT, "a root span keeps the trace id k6 sent")
	require.Equal(t, sid, gotS)
	require.Equal(t, sid, g.NewSpanID(ctx, trace.TraceID{9}), "a child span keeps the span id k6 sent")

	a, as := g.NewIDs(context.Background())
	b, bs := g.NewIDs(context.Background())
	require.True(t, a.IsValid() && b.IsValid() && as.IsValid() && bs.IsValid())
	require.NotEqual(t, a, b, "random ids otherwise")
	require.NotEqual(t, as, bs)
	require.NotEqual(t, sid, g.NewSpanID(context.Background(), tid))
}
