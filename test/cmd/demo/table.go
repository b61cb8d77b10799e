package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/xk6-tracing/xk6-tracing/go/propagation"
)

// printTable writes one block per k6 request: the k6 row, then what the
// frontend and the backend received, then a legend of the k6 row labels.
func printTable(w io.Writer, xs []exchange) {
	rows := [][]string{{"WHO", "METHOD", "URL PATH", "TRACE ID", "SPAN ID", "SAMPLED"}}
	labels := map[string]bool{}
	for i, x := range xs {
		if i > 0 {
			rows = append(rows, nil) // a blank line between requests
		}
		k6Row := []string{"k6 (sent header)", x.K6.Method, x.K6.Path, orDash(x.K6.TraceID), "-", "-"}
		switch {
		case x.Console != nil && x.Console.Valid:
			k6Row[4], k6Row[5] = x.Console.Ctx.SpanID.String(), yesNo(x.Console.Ctx.Sampled)
		case x.Front != nil && x.Front.In.Valid:
			k6Row[0] = "k6 (metadata)"
			k6Row[4], k6Row[5] = x.Front.In.Ctx.SpanID.String(), yesNo(x.Front.In.Ctx.Sampled)
		default:
			k6Row[0] = "k6 (metadata)"
		}
		labels[k6Row[0]] = true
		rows = append(rows, k6Row)
		if x.Front != nil {
			rows = append(rows, hopRow("frontend", x.Front.Method, x.Front.Path, x.Front.In))
		} else {
			rows = append(rows, []string{"frontend (missing)", "-", "-", "-", "-", "-"})
		}
		if x.Back != nil {
			rows = append(rows, hopRow("backend", x.Back.Method, x.Back.Path, x.Back.In))
		} else {
			rows = append(rows, []string{"backend (missing)", "-", "-", "-", "-", "-"})
		}
	}
	widths := make([]int, len(rows[0]))
	for _, r := range rows {
		for i, cell := range r {
			widths[i] = max(widths[i], len(cell))
		}
	}
	for _, r := range rows {
		var b strings.Builder
		for i, cell := range r {
			if i < len(r)-1 {
				fmt.Fprintf(&b, "%-*s  ", widths[i], cell)
			} else {
				b.WriteString(cell)
			}
		}
		fmt.Fprintln(w, b.String())
	}
	fmt.Fprintln(w)
	if labels["k6 (sent header)"] {
		fmt.Fprintln(w, "k6 (sent header): trace id from the sample's trace_id metadata; span id and sampled from the header the script logged.")
	}
	if labels["k6 (metadata)"] {
		fmt.Fprintln(w, "k6 (metadata):    trace id from the sample's trace_id metadata; span id and sampled as the frontend received them.")
	}
	fmt.Fprintln(w, "frontend/backend: the context each service received; the backend's span id is the frontend's CLIENT span.")
	fmt.Fprintln(w)
}

// hopRow is a service's row: the context it received, labelled with the
// header it came in when that is not a valid traceparent.
func hopRow(who, method, path string, in received) []string {
	switch {
	case in.Header == "":
		return []string{who + " (no header)", method, path, "-", "-", "-"}
	case !in.Valid:
		return []string{who + " (bad " + in.Header + ")", method, path, "-", "-", "-"}
	case in.Header != propagation.TraceparentHeader:
		who += " (" + in.Header + ")"
	}
	return []string{who, method, path, in.Ctx.TraceID.String(), in.Ctx.SpanID.String(), yesNo(in.Ctx.Sampled)}
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
