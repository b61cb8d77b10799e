package benchstat

import (
	"bytes"
	"math"
	"strings"
	"testing"
)

func TestStats(t *testing.T) {
	t.Parallel()
	xs := []float64{4, 1, 3, 2}
	if got := Median(xs); got != 2.5 {
		t.Errorf("Median = %v, want 2.5", got)
	}
	if got := Median([]float64{3, 1, 2}); got != 2 {
		t.Errorf("Median = %v, want 2", got)
	}
	if xs[0] != 4 {
		t.Errorf("Median sorted its argument: %v", xs)
	}
	if Min(xs) != 1 || Max(xs) != 4 {
		t.Errorf("Min, Max = %v, %v", Min(xs), Max(xs))
	}
	if !math.IsNaN(Median(nil)) || !math.IsNaN(Min(nil)) || !math.IsNaN(Max(nil)) {
		t.Error("no figures: NaN")
	}
}

func TestK6Output(t *testing.T) {
	t.Parallel()
	stderr := "level=info msg=x\nlevel=warning msg=\"1 spans were not delivered: queue full\"  \n"
	if got := LostSpans(stderr); got != `level=warning msg="1 spans were not delivered: queue full"` {
		t.Errorf("LostSpans = %q", got)
	}
	if LostSpans("ok") != "" || Tail(&bytes.Buffer{}) != "" {
		t.Error("nothing to say")
	}
	long := bytes.NewBufferString(strings.Repeat("a", 5000) + "the error")
	if got := Tail(long); !strings.HasSuffix(got, "the error") || !strings.HasPrefix(got, "\nk6 stderr:\n...") || len(got) > 4100 {
		t.Errorf("Tail = %q…", got[:40])
	}
}
