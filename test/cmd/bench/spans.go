package main

import (
	"fmt"
)

// spansEnv points k6's span exporter at the local collector's endpoint,
// over protocol ("http/protobuf" or "grpc"), whatever OTEL_* variables the
// caller's shell has.
func spansEnv(endpoint, protocol string) []string {
	return []string{
		"OTEL_EXPORTER_OTLP_ENDPOINT=" + endpoint,
		"OTEL_EXPORTER_OTLP_PROTOCOL=" + protocol,
		// Empty is unset for k6 and the SDK; set, these would win.
		"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=",
		"OTEL_EXPORTER_OTLP_TRACES_PROTOCOL=",
	}
}

// formatSpans compares the spans the collector received with the traced
// requests counted: they are equal but for at most maxCut requests cut at
// a window's end. lost is k6's warning about spans not delivered, "" when
// it gave none.
func formatSpans(received, counted, maxCut int64, lost string) string {
	line := fmt.Sprintf("spans: the collector received %d for %d traced requests", received, counted)
	switch diff := received - counted; {
	case diff == 0:
		line += ", one span each"
	case diff > 0 && diff <= maxCut:
		line += fmt.Sprintf(" (+%d: requests whose iteration a window's end cut before the script counted them, at most %d)", diff, maxCut)
	default:
		line += " -- MISMATCH"
	}
	if lost != "" {
		line += "; k6: " + lost
	}
	return line
}
