package tracing

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestEventNumbers reads k6's event types from the k6 source in the module
// cache and checks that the values export_iteration.go and export_providers.go use still name them.
func TestEventNumbers(t *testing.T) {
	t.Parallel()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "go.k6.io/k6/v2").Output()
	require.NoError(t, err)
	src, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(out)), "internal", "event", "type.go"))
	require.NoError(t, err)
	// The const block: "Init Type = iota + 1", then one name a line.
	block := regexp.MustCompile(`(?s)const \(\n(.*?)\n\)`).FindSubmatch(src)
	require.NotNil(t, block)
	values := map[string]int{}
	next := 0
	for _, line := range strings.Split(string(block[1]), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "//") {
			continue
		}
		name := strings.Fields(line)[0]
		if strings.Contains(line, "iota + 1") {
			next = 1
		}
		values[name] = next
		next++
	}
	require.Equal(t, values["TestEnd"], eventTestEnd, "event.TestEnd")
	require.Equal(t, values["Exit"], eventExit, "event.Exit")
}

func TestIterationFields(t *testing.T) {
	t.Parallel()
	type iterData struct { // the shape of k6's event.IterData
		Iteration    int64
		VUID         uint64
		ScenarioName string
		Error        error
	}
	boom := errors.New("boom")
	n, err := iterationFields(iterData{Iteration: 7, Error: boom})
	require.Equal(t, int64(7), n)
	require.Equal(t, boom, err)
	n, err = iterationFields(iterData{Iteration: 3})
	require.Equal(t, int64(3), n)
	require.NoError(t, err)
	n, _ = iterationFields("not a struct")
	require.Equal(t, int64(-2), n)
}
