package main

import (
	"os"
	"testing"
	"time"
)

// readCPU reads this process's CPU time, which grows as it spins.
func TestReadCPU(t *testing.T) {
	before, err := readCPU(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	after := before
	for start := time.Now(); after.schedstat-before.schedstat < 50*time.Millisecond; {
		if time.Since(start) > 10*time.Second {
			t.Fatalf("10s of spinning read as %v", after.schedstat-before.schedstat)
		}
		if after, err = readCPU(os.Getpid()); err != nil {
			t.Fatal(err)
		}
	}
	if after.ticks < before.ticks || after.ticks-before.ticks > time.Second {
		t.Errorf("/proc/<pid>/stat read %v, then %v", before.ticks, after.ticks)
	}
	if _, err := readCPU(-1); err == nil {
		t.Error("no error for a process that does not exist")
	}
}
