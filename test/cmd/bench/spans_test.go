package main

import (
	"strings"
	"testing"

	"github.com/xk6-tracing/xk6-tracing/test/support/benchstat"
)

func TestFormatSpans(t *testing.T) {
	for _, tt := range []struct {
		name                     string
		received, counted, cut   int64
		lost, want, mustNotWrite string
	}{
		{name: "equal", received: 10, counted: 10, want: "the collector received 10 for 10 traced requests, one span each", mustNotWrite: "MISMATCH"},
		{name: "cut", received: 12, counted: 10, cut: 4, want: "(+2: requests whose iteration", mustNotWrite: "MISMATCH"},
		{name: "more than cut", received: 15, counted: 10, cut: 4, want: "-- MISMATCH"},
		{name: "fewer", received: 9, counted: 10, cut: 4, want: "-- MISMATCH"},
		{name: "none may be cut", received: 11, counted: 10, want: "-- MISMATCH"},
		{name: "lost", received: 5, counted: 10, lost: "tracing: 5 of 10 spans were not delivered", want: "-- MISMATCH; k6: tracing: 5 of 10"},
	} {
		got := formatSpans(tt.received, tt.counted, tt.cut, tt.lost)
		if !strings.Contains(got, tt.want) || (tt.mustNotWrite != "" && strings.Contains(got, tt.mustNotWrite)) {
			t.Errorf("%s: %q, want it to contain %q", tt.name, got, tt.want)
		}
	}
}

func TestLostSpans(t *testing.T) {
	stderr := "time=\"x\" level=info msg=\"hello\"\n" +
		"  time=\"y\" level=warning msg=\"tracing: 3 of 9 spans were not delivered to http://127.0.0.1:1/v1/traces (...)\"  \n"
	want := "time=\"y\" level=warning msg=\"tracing: 3 of 9 spans were not delivered to http://127.0.0.1:1/v1/traces (...)\""
	if got := benchstat.LostSpans(stderr); got != want {
		t.Errorf("lostSpans = %q, want %q", got, want)
	}
	if got := benchstat.LostSpans("level=info msg=done\n"); got != "" {
		t.Errorf("no warning: got %q", got)
	}
}

func TestSpansEnv(t *testing.T) {
	env := strings.Join(spansEnv("http://127.0.0.1:4318", "http/protobuf"), "\n")
	for _, kv := range []string{
		"OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318",
		"OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf",
		"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=", // the caller's would win
	} {
		if !strings.Contains(env, kv) {
			t.Errorf("spansEnv lacks %q:\n%s", kv, env)
		}
	}
	if env := strings.Join(spansEnv("http://127.0.0.1:4317", "grpc"), "\n"); !strings.Contains(env, "OTEL_EXPORTER_OTLP_PROTOCOL=grpc") {
		t.Errorf("spansEnv names another protocol:\n%s", env)
	}
}
