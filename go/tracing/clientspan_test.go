package tracing

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestRedactedURL(t *testing.T) {
	t.Parallel()
	for raw, want := range map[string]string{
		"http://127.0.0.1:8080/a?b=c":       "http://127.0.0.1:8080/a?b=c",
		"https://user:secret@api.example/x": "https://REDACTED:REDACTED@api.example/x",
		"https://token@api.example/x?q=1":   "https://REDACTED:REDACTED@api.example/x?q=1",
		"not a URL %":                       "not a URL %",
	} {
		require.Equal(t, want, redactedURL(raw), raw)
	}
}
