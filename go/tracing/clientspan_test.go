package tracing

import (
	"testing"

	"github.com/grafana/sobek"
	"github.com/stretchr/testify/require"
)

func TestURLFullIsRedacted(t *testing.T) {
	t.Parallel()
	for raw, want := range map[string]string{
		"http://127.0.0.1:8080/a?b=c":       "http://127.0.0.1:8080/a?b=c",
		"https://user:secret@api.example/x": "https://REDACTED:REDACTED@api.example/x",
		"https://token@api.example/x?q=1":   "https://REDACTED:REDACTED@api.example/x?q=1",
		"not a URL %":                       "not a URL %",
	} {
		full := urlAttributes(raw)[0]
		require.Equal(t, "url.full", string(full.Key))
		require.Equal(t, want, full.Value.AsString(), raw)
	}
}

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
