//go:build integration

package integration

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/xk6-tracing/xk6-tracing/test/support/browserenv"
)

// browserEnv returns the environment a `k6 run` of a browser script needs
// here. A missing Chromium fails the test: the browser suite is never
// skipped (`make test` installs Chromium when it runs as root).
func browserEnv(t *testing.T) []string {
	t.Helper()
	env, err := browserenv.Env()
	require.NoError(t, err)
	return env
}
