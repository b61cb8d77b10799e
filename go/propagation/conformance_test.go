package propagation

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// The W3C Trace Context test suite, test/test.py of
// https://github.com/w3c/trace-context (class TraceContextTest), as data:
// every traceparent and tracestate case, named after its test method. The
// suite sends the headers to a service and checks the trace id and
// tracestate the service propagates; here they go through Extract, which is
// what a service reads. Repeated headers are combined by MapCarrier.Add, as
// an HTTP server combines them.
const (
	suiteTraceID = "12345678901234567890123456789012"
	suiteSpanID  = "1234567890123456"
	suiteTP      = "00-" + suiteTraceID + "-" + suiteSpanID + "-01"
	suiteTP00    = "00-" + suiteTraceID + "-" + suiteSpanID + "-00"
)

type header struct{ name, value string }

type w3cCase struct {
	name    string
	headers []header
	found   bool   // Extract continues the suite's trace
	state   string // the tracestate Extract keeps
}

func tp(value string) header { return header{"traceparent", value} }

// withState is the suite's traceparent and one tracestate header per value.
func withState(v ...string) []header {
	h := []header{tp(suiteTP00)}
	for _, s := range v {
		h = append(h, header{"tracestate", s})
	}
	return h
}

func tpWith(version, traceID, spanID, flags string) header {
	return tp(version + "-" + traceID + "-" + spanID + "-" + flags)
}

var (
	// test_tracestate_all_allowed_characters
	allKeyChars   = "abcdefghijklmnopqrstuvwxyz0123456789_-*/"
	allVendorKey  = allKeyChars + "@a-z0-9_-*/"
	allValueChars = " !\"#$%&'()*+-./0123456789:;<>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~"
	// test_tracestate_member_count_limit
	bars1to30 = []string{
		"bar01=01,bar02=02,bar03=03,bar04=04,bar05=05,bar06=06,bar07=07,bar08=08,bar09=09,bar10=10",
		"bar11=11,bar12=12,bar13=13,bar14=14,bar15=15,bar16=16,bar17=17,bar18=18,bar19=19,bar20=20",
		"bar21=21,bar22=22,bar23=23,bar24=24,bar25=25,bar26=26,bar27=27,bar28=28,bar29=29,bar30=30",
	}
	bars32 = strings.Join(append(bars1to30[:3:3], "bar31=31,bar32=32"), ",")
	rep    = strings.Repeat
)

var w3cSuite = []w3cCase{
	{"both traceparent and tracestate missing", nil, false, ""},
	{"traceparent included tracestate missing", []header{tp(suiteTP)}, true, ""},
	{"traceparent duplicated", []header{
		tp("00-12345678901234567890123456789011-1234567890123456-01"), tp(suiteTP),
	}, false, ""},
	{"traceparent header name trace-parent", []header{{"trace-parent", suiteTP}}, false, ""},
	{"traceparent header name trace.parent", []header{{"trace.parent", suiteTP}}, false, ""},
	{"traceparent header name TraceParent", []header{{"TraceParent", suiteTP}}, true, ""},
	{"traceparent header name TrAcEpArEnT", []header{{"TrAcEpArEnT", suiteTP}}, true, ""},
	{"traceparent header name TRACEPARENT", []header{{"TRACEPARENT", suiteTP}}, true, ""},
	{"traceparent version 0x00 with a trailing dot", []header{tp(suiteTP + ".")}, false, ""},
	{"traceparent version 0x00 with more fields", []header{tp(suiteTP + "-what-the-future-will-be-like")}, false, ""},
	{"traceparent version 0xcc", []header{tpWith("cc", suiteTraceID, suiteSpanID, "01")}, true, ""},
	{"traceparent version 0xcc with more fields", []header{tpWith("cc", suiteTraceID, suiteSpanID, "01-what-the-future-will-be-like")}, true, ""},
	{"traceparent version 0xcc with a dot after flags", []header{tpWith("cc", suiteTraceID, suiteSpanID, "01.what-the-future-will-be-like")}, false, ""},
	{"traceparent version 0xff", []header{tpWith("ff", suiteTraceID, suiteSpanID, "01")}, false, ""},
	{"traceparent version illegal characters .0", []header{tpWith(".0", suiteTraceID, suiteSpanID, "01")}, false, ""},
	{"traceparent version illegal characters 0.", []header{tpWith("0.", suiteTraceID, suiteSpanID, "01")}, false, ""},
	{"traceparent version too long 000", []header{tpWith("000", suiteTraceID, suiteSpanID, "01")}, false, ""},
	{"traceparent version too long 0000", []header{tpWith("0000", suiteTraceID, suiteSpanID, "01")}, false, ""},
	{"traceparent version too short", []header{tpWith("0", suiteTraceID, suiteSpanID, "01")}, false, ""},
	{"traceparent trace id all zero", []header{tpWith("00", rep("0", 32), suiteSpanID, "01")}, false, ""},
	{"traceparent trace id illegal leading character", []header{tpWith("00", "."+suiteTraceID[1:], suiteSpanID, "01")}, false, ""},
	{"traceparent trace id illegal trailing character", []header{tpWith("00", suiteTraceID[:31]+".", suiteSpanID, "01")}, false, ""},
	{"traceparent trace id too long", []header{tpWith("00", suiteTraceID+"3", suiteSpanID, "01")}, false, ""},
	{"traceparent trace id too short", []header{tpWith("00", suiteTraceID[:31], suiteSpanID, "01")}, false, ""},
	{"traceparent parent id all zero", []header{tpWith("00", suiteTraceID, rep("0", 16), "01")}, false, ""},
	{"traceparent parent id illegal leading character", []header{tpWith("00", suiteTraceID, "."+suiteSpanID[1:], "01")}, false, ""},
	{"traceparent parent id illegal trailing character", []header{tpWith("00", suiteTraceID, suiteSpanID[:15]+".", "01")}, false, ""},
	{"traceparent parent id too long", []header{tpWith("00", suiteTraceID, suiteSpanID+"7", "01")}, false, ""},
	{"traceparent parent id too short", []header{tpWith("00", suiteTraceID, suiteSpanID[:15], "01")}, false, ""},
	{"traceparent trace flags illegal leading character", []header{tpWith("00", suiteTraceID, suiteSpanID, ".0")}, false, ""},
	{"traceparent trace flags illegal trailing character", []header{tpWith("00", suiteTraceID, suiteSpanID, "0.")}, false, ""},
	{"traceparent trace flags too long", []header{tpWith("00", suiteTraceID, suiteSpanID, "001")}, false, ""},
	{"traceparent trace flags too short", []header{tpWith("00", suiteTraceID, suiteSpanID, "1")}, false, ""},
	{"traceparent ows: leading space", []header{tp(" " + suiteTP)}, true, ""},
	{"traceparent ows: leading tab", []header{tp("\t" + suiteTP)}, true, ""},
	{"traceparent ows: trailing space", []header{tp(suiteTP + " ")}, true, ""},
	{"traceparent ows: trailing tab", []header{tp(suiteTP + "\t")}, true, ""},
	{"traceparent ows: both sides", []header{tp("\t " + suiteTP + " \t")}, true, ""},
	{"tracestate included traceparent missing", []header{{"tracestate", "foo=1,bar=2"}}, false, ""},
	{"tracestate included traceparent included", withState("foo=1,bar=2"), true, "foo=1,bar=2"},
	{"tracestate header name trace-state", []header{tp(suiteTP00), {"trace-state", "foo=1"}}, true, ""},
	{"tracestate header name trace.state", []header{tp(suiteTP00), {"trace.state", "foo=1"}}, true, ""},
	{"tracestate header name TraceState", []header{tp(suiteTP00), {"TraceState", "foo=1"}}, true, "foo=1"},
	{"tracestate header name TrAcEsTaTe", []header{tp(suiteTP00), {"TrAcEsTaTe", "foo=1"}}, true, "foo=1"},
	{"tracestate header name TRACESTATE", []header{tp(suiteTP00), {"TRACESTATE", "foo=1"}}, true, "foo=1"},
	{"tracestate empty header", withState(""), true, ""},
	{"tracestate empty header after a member", withState("foo=1", ""), true, "foo=1"},
	{"tracestate empty header before a member", withState("", "foo=1"), true, "foo=1"},
	{"tracestate multiple headers different keys", withState("foo=1,bar=2", "rojo=1,congo=2", "baz=3"), true, "foo=1,bar=2,rojo=1,congo=2,baz=3"},
	{"tracestate duplicated keys same value", withState("foo=1,foo=1"), true, ""},
	{"tracestate duplicated keys different values", withState("foo=1,foo=2"), true, ""},
	{"tracestate duplicated keys across headers same value", withState("foo=1", "foo=1"), true, ""},
	{"tracestate duplicated keys across headers different values", withState("foo=1", "foo=2"), true, ""},
	{"tracestate all allowed characters", withState(allKeyChars + "=" + allValueChars), true, allKeyChars + "=" + allValueChars},
	{"tracestate all allowed characters with vendor", withState(allVendorKey + "=" + allValueChars), true, allVendorKey + "=" + allValueChars},
	{"tracestate ows between members", withState("foo=1 \t , \t bar=2, \t baz=3"), true, "foo=1,bar=2,baz=3"},
	{"tracestate ows tabs and spaces between members", withState("foo=1\t \t,\t \tbar=2,\t \tbaz=3"), true, "foo=1,bar=2,baz=3"},
	{"tracestate ows leading space", withState(" foo=1"), true, "foo=1"},
	{"tracestate ows leading tab", withState("\tfoo=1"), true, "foo=1"},
	{"tracestate ows trailing space", withState("foo=1 "), true, "foo=1"},
	{"tracestate ows trailing tab", withState("foo=1\t"), true, "foo=1"},
	{"tracestate ows both sides", withState("\t foo=1 \t"), true, "foo=1"},
	{"tracestate key illegal characters: space", withState("foo =1"), true, ""},
	{"tracestate key illegal characters: upper case", withState("FOO=1"), true, ""},
	{"tracestate key illegal characters: dot", withState("foo.bar=1"), true, ""},
	{"tracestate key illegal vendor format: empty system", withState("foo@=1,bar=2"), true, ""},
	{"tracestate key illegal vendor format: empty tenant", withState("@foo=1,bar=2"), true, ""},
	{"tracestate key illegal vendor format: double at", withState("foo@@bar=1,bar=2"), true, ""},
	{"tracestate key illegal vendor format: two systems", withState("foo@bar@baz=1,bar=2"), true, ""},
	{"tracestate member count limit 32", withState(append(bars1to30[:3:3], "bar31=31,bar32=32")...), true, bars32},
	{"tracestate member count limit 33", withState(append(bars1to30[:3:3], "bar31=31,bar32=32,bar33=33")...), true, ""},
	{"tracestate key length limit 256", withState("foo=1", rep("z", 256)+"=1"), true, "foo=1," + rep("z", 256) + "=1"},
	{"tracestate key length limit 257", withState("foo=1", rep("z", 257)+"=1"), true, ""},
	{"tracestate key length limit tenant 241 system 14", withState("foo=1", rep("t", 241)+"@"+rep("v", 14)+"=1"), true, "foo=1," + rep("t", 241) + "@" + rep("v", 14) + "=1"},
	{"tracestate key length limit tenant 242", withState("foo=1", rep("t", 242)+"@v=1"), true, ""},
	{"tracestate key length limit system 15", withState("foo=1", "t@"+rep("v", 15)+"=1"), true, ""},
	{"tracestate value illegal characters: equals", withState("foo=bar=baz"), true, ""},
	{"tracestate value illegal characters: empty value", withState("foo=,bar=3"), true, ""},
}

// w3cMore are cases the suite leaves out, from the same grammar
// (https://www.w3.org/TR/trace-context/#traceparent-header-field-values and
// #tracestate-header-field-values).
var w3cMore = []w3cCase{
	{"traceparent upper-case trace id", []header{tpWith("00", strings.ToUpper("4bf92f3577b34da6a3ce929d0e0e4736"), suiteSpanID, "01")}, false, ""},
	{"traceparent upper-case flags", []header{tpWith("00", suiteTraceID, suiteSpanID, "0A")}, false, ""},
	{"traceparent space inside", []header{tpWith("00", suiteTraceID+" ", suiteSpanID, "01")}, false, ""},
	{"traceparent space after a dash", []header{tp("00- " + suiteTraceID + "-" + suiteSpanID + "-01")}, false, ""},
	{"traceparent random flag", []header{tpWith("00", suiteTraceID, suiteSpanID, "03")}, true, ""},
	{"tracestate value length 256", withState("foo=" + rep("v", 256)), true, "foo=" + rep("v", 256)},
	{"tracestate value length 257", withState("foo=" + rep("v", 257)), true, ""},
	{"tracestate value leading spaces kept", withState("foo=  1"), true, "foo=  1"},
	{"tracestate value inner space kept", withState("foo=a b"), true, "foo=a b"},
	{"tracestate value only spaces", withState("foo=   "), true, ""},
	{"tracestate value with a tab inside", withState("foo=a\tb"), true, ""},
	{"tracestate value non-ASCII", withState("foo=é"), true, ""},
	{"tracestate key starting with a digit", withState("1foo=1"), true, ""},
	{"tracestate tenant starting with a digit", withState("1foo@bar=1"), true, "1foo@bar=1"},
	{"tracestate system starting with a digit", withState("foo@1bar=1"), true, ""},
	{"tracestate whitespace-only members", withState("foo=1, ,\t,bar=2"), true, "foo=1,bar=2"},
	{"tracestate only commas", withState(",,,"), true, ""},
}

func TestW3CTestSuite(t *testing.T) {
	t.Parallel()
	for _, tc := range append(w3cSuite[:len(w3cSuite):len(w3cSuite)], w3cMore...) {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := MapCarrier{}
			for _, h := range tc.headers {
				m.Add(h.name, h.value)
			}
			c, found, _ := NewPropagator(W3C).Extract(m)
			_, ok := ParseTraceparent(trimOWS(m.Get(TraceparentHeader)))
			require.Equal(t, tc.found, ok, "ParseTraceparent")
			if !tc.found {
				require.Equal(t, NotFound, found)
				require.Equal(t, Context{}, c)
				return
			}
			require.Equal(t, Valid, found)
			require.Equal(t, suiteTraceID, c.TraceID.String())
			require.Equal(t, suiteSpanID, c.SpanID.String())
			require.Equal(t, tc.state, c.TraceState)

			state, ok := ParseTraceState(m.Get(TracestateHeader))
			if ok {
				require.Equal(t, tc.state, state.String(), "ParseTraceState")
			} else {
				require.Empty(t, tc.state, "ParseTraceState")
			}
		})
	}
}
