package main

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParseCounts(t *testing.T) {
	t.Parallel()
	got, err := parseCounts("10, 200,1000")
	require.NoError(t, err)
	require.Equal(t, []int{10, 200, 1000}, got)
	for _, bad := range []string{"", "0", "10,x", "-1"} {
		_, err := parseCounts(bad)
		require.Error(t, err, bad)
	}
}
