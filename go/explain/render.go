package explain

import (
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"
	"time"
)

// waterfallWidth is the width of a waterfall's bars, in columns, and
// tableRows the rows of a table, beyond which the rest are counted.
const (
	waterfallWidth = 40
	tableRows      = 10
)

// WriteText writes the report for a terminal, as `k6 x explain` prints it
// (the TypeScript facade's renderText writes the same parts): what was
// read, the answer in a sentence for the slow and for the failed requests,
// their tables, per request name when there are several, and the slowest
// trace as a waterfall. traceURL, when not "", turns trace ids into links:
// its {traceId} is replaced.
func (r Report) WriteText(w io.Writer, traceURL string) error {
	p := &printer{w: w}
	p.printf("Explanation: %d of %d traces read from %s %s in %s\n", r.Read, r.Read+r.Unread,
		r.Backend.Type, r.Backend.URL, roundDuration(time.Duration(r.Elapsed)))
	if r.Warning != "" {
		p.printf("warning: %s\n", r.Warning)
	}
	for i, s := range r.Summaries {
		if i == 1 {
			p.printf("\nBy request name:\n")
		}
		slow, failed := r.Headlines(s)
		p.summary(s, i > 0, slow, failed, traceURL)
	}
	if r.Waterfall != nil {
		p.waterfall(*r.Waterfall, traceURL)
	}
	return p.err
}

// Headlines are the answer in a sentence, in the words of the TypeScript
// facade's renderers: for the slow requests, the operation that took most
// of their critical paths; for the failed, the most common origin, out of
// every failed request read. Either is "" when the summary has no request
// of its kind.
func (r Report) Headlines(s ExplanationSummary) (slow, failed string) {
	slowRead, failedRead := 0, 0
	for _, req := range r.Requests {
		if req.Error != "" || (s.Name != "" && req.Name != s.Name) {
			continue
		}
		if req.Failed {
			failedRead++
		} else {
			slowRead++
		}
	}
	if slowRead > 0 {
		slow = "slow requests: no span of their traces had time on the critical path"
		if len(s.Operations) > 0 {
			op := s.Operations[0]
			slow = fmt.Sprintf("slow requests: %s of their time on the critical path was in %s %q",
				percent(op.Share), op.Service, op.Operation)
		}
	}
	if failedRead > 0 {
		failed = "failed requests: no span of their traces has an error status"
		if len(s.Origins) > 0 {
			o := s.Origins[0]
			failed = fmt.Sprintf("failed requests: %d of %d began in %s %q", o.Count, max(failedRead, o.Count), o.Service, o.Operation)
			if o.Message != "" {
				failed += ": " + o.Message
			}
		}
	}
	return slow, failed
}

type printer struct {
	w   io.Writer
	err error
}

func (p *printer) printf(format string, args ...any) {
	if p.err == nil {
		_, p.err = fmt.Fprintf(p.w, format, args...)
	}
}

// table writes the header and the first tableRows rows, aligned, and
// counts the others.
func (p *printer) table(header []string, rows [][]string) {
	if p.err != nil || len(rows) == 0 {
		return
	}
	more := len(rows) - tableRows
	if more > 0 {
		rows = rows[:tableRows]
		defer p.printf("  … and %d more\n", more)
	}
	tw := tabwriter.NewWriter(p.w, 0, 0, 2, ' ', 0)
	for _, row := range append([][]string{header}, rows...) {
		cells := make([]string, len(row))
		for i, c := range row {
			cells[i] = clean(c)
		}
		if _, err := fmt.Fprintln(tw, "  "+strings.Join(cells, "\t")); err != nil {
			p.err = err
			return
		}
	}
	p.err = tw.Flush()
}

func (p *printer) summary(s ExplanationSummary, named bool, slow, failed, traceURL string) {
	title := "All requests"
	if named {
		title = fmt.Sprintf("%q", s.Name) // quoted: no control character survives
	}
	p.printf("\n%s: %d explained", title, s.Requests)
	if s.Unread > 0 {
		p.printf(", %d unread", s.Unread)
	}
	p.printf("\n")
	if slow != "" && len(s.Operations) > 0 {
		p.printf("%s\n", clean(slow))
		services := make([]string, 0, len(s.Services))
		for _, d := range s.Services {
			services = append(services, clean(d.Service)+" "+percent(d.Share))
		}
		p.printf("  by service: %s\n", strings.Join(services, ", "))
		p.table([]string{"service", "operation", "critical path", "share", "traces", "trace with the most"},
			dominantRows(s.Operations, traceURL))
	}
	if slow != "" && len(s.Operations) == 0 {
		p.printf("%s\n", slow)
	}
	if failed != "" {
		p.printf("%s\n", clean(failed))
		rows := make([][]string, 0, len(s.Origins))
		for _, o := range s.Origins {
			rows = append(rows, []string{o.Service, o.Operation, oneLine(o.Message), fmt.Sprint(o.Count), link(first(o.Traces), traceURL)})
		}
		p.table([]string{"service", "operation", "error", "count", "first trace"}, rows)
	}
	if slow == "" && failed == "" {
		p.printf("  nothing to explain\n")
	}
}

func dominantRows(ds []DominantJSON, traceURL string) [][]string {
	rows := make([][]string, 0, len(ds))
	for _, d := range ds {
		rows = append(rows, []string{d.Service, d.Operation, roundDuration(time.Duration(d.Time)), percent(d.Share),
			fmt.Sprint(len(d.Traces)), link(first(d.Traces), traceURL)})
	}
	return rows
}

func (p *printer) waterfall(wf Waterfall, traceURL string) {
	p.printf("\nSlowest trace %s (%s, %s); █ on the critical path, ✗ error:\n",
		link(wf.TraceID, traceURL), clean(wf.Name), roundDuration(time.Duration(wf.Duration)))
	labels := make([]string, len(wf.Spans))
	width := 0
	for i, s := range wf.Spans {
		labels[i] = strings.Repeat("  ", s.Depth) + clean(s.Service) + "  " + clean(s.Operation)
		width = max(width, len([]rune(labels[i])))
	}
	for i, s := range wf.Spans {
		mark := " "
		if s.Error {
			mark = "✗"
		}
		p.printf("  %s%s  %s %s %s\n", labels[i], strings.Repeat(" ", width-len([]rune(labels[i]))),
			Bar(s, wf.Duration, waterfallWidth), mark, roundDuration(time.Duration(s.Duration)))
	}
	if wf.Truncated > 0 {
		p.printf("  … and %d more spans\n", wf.Truncated)
	}
}

// Bar draws a span as width columns: blank before its start, then █ for a
// span on the critical path or ░ for another, at least one column.
func Bar(s WaterfallSpan, total Millis, width int) string {
	start, length := 0, width
	if total > 0 {
		start = int(math.Round(float64(s.Start) / float64(total) * float64(width)))
		length = int(math.Round(float64(s.Duration) / float64(total) * float64(width)))
	}
	start = min(max(start, 0), width-1)
	length = min(max(length, 1), width-start)
	fill := "░"
	if s.Critical {
		fill = "█"
	}
	return strings.Repeat(" ", start) + strings.Repeat(fill, length) + strings.Repeat(" ", width-start-length)
}

// percent writes a share as the facade does: "71%", "<1%" for a share
// that is not zero but rounds to it.
func percent(f float64) string {
	p := f * 100
	if p > 0 && p < 0.5 {
		return "<1%"
	}
	return fmt.Sprintf("%d%%", int(math.Round(p)))
}

// roundDuration keeps three significant digits or so: 512ms, 3.21s, 840µs.
func roundDuration(d time.Duration) string {
	switch {
	case d >= 10*time.Second:
		return d.Round(100 * time.Millisecond).String()
	case d >= time.Second:
		return d.Round(10 * time.Millisecond).String()
	case d >= 10*time.Millisecond:
		return d.Round(time.Millisecond).String()
	case d >= time.Millisecond:
		return d.Round(10 * time.Microsecond).String()
	}
	return d.Round(time.Microsecond).String()
}

func first(ids []string) string {
	if len(ids) == 0 {
		return ""
	}
	return ids[0]
}

func link(traceID, traceURL string) string {
	if traceURL == "" || traceID == "" {
		return traceID
	}
	return strings.ReplaceAll(traceURL, "{traceId}", traceID)
}

// clean keeps text from the backend (names, messages) from moving the
// cursor or changing colors: tabs and line breaks become spaces, other
// control characters "?", as the facade's renderText does.
func clean(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			return ' '
		case r < 0x20 || (r >= 0x7f && r <= 0x9f):
			return '?'
		}
		return r
	}, s)
}

// oneLine keeps an error message on one line of a table.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 80 {
		s = string(r[:79]) + "…"
	}
	return s
}
