package tracing

import (
	"testing"

	"github.com/grafana/sobek"
	"github.com/stretchr/testify/require"
)

func TestNameTagWithoutName(t *testing.T) {
	t.Parallel()
	rt := sobek.New()
	params, err := rt.RunString(`({ tags: { env: "staging" } })`)
	require.NoError(t, err)
	tmpl, err := rt.RunString(`({ url: "http://h/items/1" })`)
	require.NoError(t, err)
	require.Empty(t, nameTag(rt.ToValue("http://h/x"), params), "other tags but no name")
	require.Empty(t, nameTag(tmpl, params), "a template object without a name")
	named, err := rt.RunString(`({ tags: { name: "items" } })`)
	require.NoError(t, err)
	require.Equal(t, "items", nameTag(tmpl, named))
}
