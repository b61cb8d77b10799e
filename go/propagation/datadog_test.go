package propagation

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// Ids of Kong's propagation tests: the trace id's low 64 bits 8448eb211c80319c
// are 9532127138774266268 in decimal, the span id b7ad6b7169203331 is
// 13235353014750950193.
const (
	ddTraceID     = "0af7651916cd43dd8448eb211c80319c"
	ddSpanID      = "b7ad6b7169203331"
	ddLowDecimal  = "9532127138774266268"
	ddSpanDecimal = "13235353014750950193"
	ddTID         = "_dd.p.tid=0af7651916cd43dd"
)

func TestInjectDatadog(t *testing.T) {
	t.Parallel()
	c := mustContext(t, ddTraceID, ddSpanID, false)
	headers := func(priority, tags string) MapCarrier {
		m := MapCarrier{DatadogTraceIDHeader: ddLowDecimal, DatadogParentIDHeader: ddSpanDecimal}
		if priority != "" {
			m[DatadogSamplingPriorityHeader] = priority
		}
		if tags != "" {
			m[DatadogTagsHeader] = tags
		}
		return m
	}
	requireInjects(t, injectDatadog, []injectCase{
		{"sampled", decided(c, true, false, false), headers("1", ddTID)},
		{"not sampled", c, headers("0", ddTID)},
		{"debug is user keep", decided(c, false, true, false), headers("2", ddTID)},
		{"deferred writes no priority", decided(c, false, false, true), headers("", ddTID)},
		{"64-bit trace id writes no tags", mustContext(t, "0000000000000000"+ddTraceID[16:], ddSpanID, true), headers("1", "")},
		{"largest ids", mustContext(t, "ffffffffffffffffffffffffffffffff", "ffffffffffffffff", true), MapCarrier{
			DatadogTraceIDHeader: "18446744073709551615", DatadogParentIDHeader: "18446744073709551615",
			DatadogSamplingPriorityHeader: "1", DatadogTagsHeader: "_dd.p.tid=ffffffffffffffff",
		}},
		{"zero low 64 bits cannot be written", mustContext(t, ddTraceID[:16]+"0000000000000000", ddSpanID, true), MapCarrier{}},
		{"invalid context writes nothing", Context{}, MapCarrier{}},
	})
}

func TestExtractDatadog(t *testing.T) {
	t.Parallel()
	c := mustContext(t, ddTraceID, ddSpanID, false)
	c64 := mustContext(t, "0000000000000000"+ddTraceID[16:], ddSpanID, false)
	headers := func(traceID, parentID, priority, tags string) MapCarrier {
		m := MapCarrier{}
		for k, v := range map[string]string{DatadogTraceIDHeader: traceID, DatadogParentIDHeader: parentID,
			DatadogSamplingPriorityHeader: priority, DatadogTagsHeader: tags} {
			if v != "" {
				m[k] = v
			}
		}
		return m
	}
	valid := []extractCase{
		{"sampled 64-bit trace", headers(ddLowDecimal, ddSpanDecimal, "1", ""), decided(c64, true, false, false)},
		{"sampled 128-bit trace", headers(ddLowDecimal, ddSpanDecimal, "1", ddTID), decided(c, true, false, false)},
		{"auto reject", headers(ddLowDecimal, ddSpanDecimal, "0", ddTID), c},
		{"user reject", headers(ddLowDecimal, ddSpanDecimal, "-1", ddTID), c},
		{"user keep is debug", headers(ddLowDecimal, ddSpanDecimal, "2", ddTID), decided(c, false, true, false)},
		{"no priority defers", headers(ddLowDecimal, ddSpanDecimal, "", ddTID), decided(c, false, false, true)},
		{"other tags ignored", headers(ddLowDecimal, ddSpanDecimal, "1", "_dd.p.dm=-4,"+ddTID+",_dd.p.usr.id=a=b"), decided(c, true, false, false)},
		{"malformed tags lose the high bits", headers(ddLowDecimal, ddSpanDecimal, "1", ddTID+",,x=y"), decided(c64, true, false, false)},
		{"trailing comma in tags", headers(ddLowDecimal, ddSpanDecimal, "1", ddTID+","), decided(c64, true, false, false)},
		{"tag without value", headers(ddLowDecimal, ddSpanDecimal, "1", ddTID+",x="), decided(c64, true, false, false)},
		{"tid of 15 digits ignored", headers(ddLowDecimal, ddSpanDecimal, "1", ddTID[:len(ddTID)-1]), decided(c64, true, false, false)},
		{"upper-case tid ignored", headers(ddLowDecimal, ddSpanDecimal, "1", "_dd.p.tid=0AF7651916CD43DD"), decided(c64, true, false, false)},
		{"signed ids of older tracers", headers("-1", "-2", "1", ""),
			decided(mustContext(t, "0000000000000000ffffffffffffffff", "fffffffffffffffe", false), true, false, false)},
		{"leading zeros", headers("00"+ddLowDecimal, ddSpanDecimal, "1", ""), decided(c64, true, false, false)},
	}
	requireFinds(t, extractDatadog, Valid, valid)
	invalid := []headerCase{
		{"no headers", MapCarrier{}},
		{"priority only", headers("", "", "1", "")},
		{"trace id without parent id", headers(ddLowDecimal, "", "1", ddTID)},
		{"parent id without trace id", headers("", ddSpanDecimal, "1", ddTID)},
		{"zero trace id", headers("0", ddSpanDecimal, "1", ddTID)},
		{"zero parent id", headers(ddLowDecimal, "0", "1", "")},
		{"hex trace id", headers(ddTraceID, ddSpanDecimal, "1", "")},
		{"hex parent id", headers(ddLowDecimal, ddSpanID, "1", "")},
		{"trace id over 64 bits", headers("340282366920938463463374607431768211441", ddSpanDecimal, "1", "")},
		{"signed trace id below int64", headers("-9223372036854775809", ddSpanDecimal, "1", "")},
		{"plus sign", headers("+"+ddLowDecimal, ddSpanDecimal, "1", "")},
		{"blank in parent id", headers(ddLowDecimal, " "+ddSpanDecimal, "1", "")},
		{"priority not a number", headers(ddLowDecimal, ddSpanDecimal, "keep", "")},
		{"fractional priority", headers(ddLowDecimal, ddSpanDecimal, "1.0", "")},
	}
	requireRejects(t, extractDatadog, invalid)
}

func FuzzParseDatadog(f *testing.F) {
	f.Add(ddLowDecimal, ddSpanDecimal, "1", ddTID)
	f.Add("-1", "18446744073709551615", "", "_dd.p.dm=-4,_dd.p.tid=ffffffffffffffff")
	f.Fuzz(func(t *testing.T, traceID, parentID, priority, tags string) {
		_, found := requireFuzzedHeaders(t, MapCarrier{DatadogTraceIDHeader: traceID, DatadogParentIDHeader: parentID,
			DatadogSamplingPriorityHeader: priority, DatadogTagsHeader: tags}, injectDatadog, extractDatadog)
		require.NotEqual(t, SamplingOnly, found, "Datadog has no decision without ids")
	})
}

// Datadog has no OpenTelemetry Go propagator to compare with.
func BenchmarkInjectDatadog(b *testing.B)  { benchInject(b, Datadog) }
func BenchmarkExtractDatadog(b *testing.B) { benchExtract(b, Datadog) }
