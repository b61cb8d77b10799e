package main

import (
	"fmt"
	"io"
	"math"
	"strings"
	"time"
	"unicode/utf8"
)

// barWidth is the width, in columns, of the waterfall's time axis: the
// trace's duration, from its first start to its last end.
const barWidth = 40

// Marks after the name of a span: shown as a root but not one, or failed.
const (
	orphanMark = "(parent not received)"
	cycleMark  = "(parent cycle)"
	errorMark  = "(error)"
)

// waterfallRow is one line of a trace: the tree drawing before the span.
type waterfallRow struct {
	prefix string
	node   *spanNode
}

// renderWaterfall prints each trace as a header line and one line per
// span: the tree (children indented under their parent, by start time),
// the service and span name, the duration, and a bar placed and sized by
// the span's start and end within the trace.
func renderWaterfall(w io.Writer, traces []*traceTree, color bool) {
	p := &painter{on: color}
	// One label width for all traces, so that every bar lines up.
	rows := make([][]waterfallRow, len(traces))
	width := 0
	for i, t := range traces {
		rows[i] = treeRows(t)
		for _, r := range rows[i] {
			width = max(width, utf8.RuneCountInString(r.prefix+label(r.node, &painter{})))
		}
	}
	for i, t := range traces {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "%s %s · %s · %s\n", p.paint(ansiBold, "trace"), p.paint(ansiBold, t.TraceID),
			p.paint(ansiBold, formatDuration(t.Duration())), plural(len(t.Nodes), "span"))
		for _, r := range rows[i] {
			fmt.Fprintln(w, spanLine(p, t, r, width))
		}
	}
}

// spanLine is a span's line, its label padded to width columns.
func spanLine(p *painter, t *traceTree, r waterfallRow, width int) string {
	n := r.node
	// Pad by runes, measured without color: box drawing takes 3 bytes a
	// column and color codes take none.
	pad := strings.Repeat(" ", width-utf8.RuneCountInString(r.prefix+label(n, &painter{})))
	offset, length := barSpan(t.Start, t.Duration(), n.Start, n.End)
	bar := strings.Repeat(" ", offset) + p.paint(p.service(n.Service), strings.Repeat("█", length)) +
		strings.Repeat(" ", barWidth-offset-length)
	return fmt.Sprintf("%s%s%s  %8s  %s%s%s", p.paint(ansiDim, r.prefix), label(n, p), pad,
		formatDuration(n.End.Sub(n.Start)), p.paint(ansiDim, "▕"), bar, p.paint(ansiDim, "▏"))
}

// label is a span's service, name and marks.
func label(n *spanNode, p *painter) string {
	s := p.paint(p.service(n.Service), n.Service) + "  " + n.Name
	if rtype := n.Attrs["k6.browser.resource_type"]; rtype != "" {
		s += " " + rtype + " " + pathOf(n.Attrs["url.full"]) // a browser request: which one
	}
	switch {
	case n.Cycle:
		s += "  " + p.paint(ansiRed, cycleMark)
	case n.Orphan:
		s += "  " + p.paint(ansiRed, orphanMark)
	}
	if n.StatusError {
		s += "  " + p.paint(ansiRed, errorMark)
	}
	return s
}

// treeRows lists a trace's spans depth first with their tree drawing.
// Roots are flush left; each child gets ├─ or, when it is the last, └─,
// under a │ column that runs while its parent has children to come.
func treeRows(t *traceTree) []waterfallRow {
	var rows []waterfallRow
	var walk func(n *spanNode, indent, branch string)
	walk = func(n *spanNode, indent, branch string) {
		rows = append(rows, waterfallRow{prefix: indent + branch, node: n})
		for i, c := range n.Children {
			switch {
			case branch == "":
				walk(c, indent, childBranch(i, len(n.Children)))
			case branch == "└─ ":
				walk(c, indent+"   ", childBranch(i, len(n.Children)))
			default:
				walk(c, indent+"│  ", childBranch(i, len(n.Children)))
			}
		}
	}
	for _, r := range t.Roots {
		walk(r, "", "")
	}
	return rows
}

func childBranch(i, n int) string {
	if i == n-1 {
		return "└─ "
	}
	return "├─ "
}

// barSpan places [start, end] on a barWidth-column axis from origin over
// total: the first column is the one the start falls in and the last the
// one the end falls in, so a span is never drawn shorter than it is, and
// never less than one column wide.
func barSpan(origin time.Time, total time.Duration, start, end time.Time) (offset, length int) {
	if total <= 0 {
		return 0, barWidth
	}
	col := func(t time.Time) float64 { return float64(t.Sub(origin)) / float64(total) * barWidth }
	first := clamp(int(math.Floor(col(start))), 0, barWidth-1)
	last := clamp(int(math.Ceil(col(end))), first+1, barWidth)
	return first, last - first
}

func clamp(v, lo, hi int) int { return min(max(v, lo), hi) }

// formatDuration writes a span's duration with three significant digits
// or so: "840µs", "2.41ms", "12.3ms", "187ms", "1.52s".
func formatDuration(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return fmt.Sprintf("%dµs", d.Microseconds())
	case d < 10*time.Millisecond:
		return fmt.Sprintf("%.2fms", float64(d)/float64(time.Millisecond))
	case d < 100*time.Millisecond:
		return fmt.Sprintf("%.1fms", float64(d)/float64(time.Millisecond))
	case d < time.Second:
		return fmt.Sprintf("%.0fms", float64(d)/float64(time.Millisecond))
	default:
		return fmt.Sprintf("%.2fs", d.Seconds())
	}
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
