package propagation

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// OpenTelemetry Go's baggage parsing table (go.opentelemetry.io/otel
// v1.44.0, baggage/baggage_test.go, TestBaggageParse and
// TestBaggageParseValue), adapted. Where we differ, on purpose, the case
// says why:
//   - a repeated key keeps its first value (OpenTelemetry: the last), as
//     baggage merged from several sources does;
//   - properties are carried as received, not decoded;
//   - empty members, as joining an empty header leaves, are not an error;
//   - limits apply when writing (see TestBaggageLimitsApplyWhenWriting),
//     not when reading.
var otelBaggageParse = []struct {
	name string
	in   string
	ok   bool
	want []Member
}{
	{"empty value", "", true, nil},
	{"single member empty value no properties", "foo=", true, []Member{{Key: "foo"}}},
	{"single member no properties", "foo=1", true, []Member{{Key: "foo", Value: "1"}}},
	{"single member no properties plus", "foo=1+1", true, []Member{{Key: "foo", Value: "1+1"}}},
	{"single member no properties plus encoded", "foo=1%2B1", true, []Member{{Key: "foo", Value: "1+1"}}},
	{"single member no properties slash", "foo=1/1", true, []Member{{Key: "foo", Value: "1/1"}}},
	{"single member no properties slash encoded", "foo=1%2F1", true, []Member{{Key: "foo", Value: "1/1"}}},
	{"single member no properties equals", "foo=1=1", true, []Member{{Key: "foo", Value: "1=1"}}},
	{"single member no properties equals encoded", "foo=1%3D1", true, []Member{{Key: "foo", Value: "1=1"}}},
	{"single member with spaces", " foo \t= 1\t\t ", true, []Member{{Key: "foo", Value: "1"}}},
	{"single member empty value with properties", "foo=;state=on;red", true, []Member{{Key: "foo", Properties: "state=on;red"}}},
	{"single member with properties", "foo=1;state=on;red", true, []Member{{Key: "foo", Value: "1", Properties: "state=on;red"}}},
	{"single member with value containing equal signs", "foo=0=0=0", true, []Member{{Key: "foo", Value: "0=0=0"}}},
	{"two members with properties", "foo=1;state=on;red,bar=2;yellow", true, []Member{
		{Key: "foo", Value: "1", Properties: "state=on;red"}, {Key: "bar", Value: "2", Properties: "yellow"},
	}},
	{"duplicate key: the first wins", "foo=1;state=on;red,foo=2", true, []Member{{Key: "foo", Value: "1", Properties: "state=on;red"}}},
	{"= value", "key==", true, []Member{{Key: "key", Value: "="}}},
	{"encoded ASCII string", "key1=val%252%2C", true, []Member{{Key: "key1", Value: "val%2,"}}},
	{"encoded property: kept as received", "key1=;bar=val%252%2C", true, []Member{{Key: "key1", Properties: "bar=val%252%2C"}}},
	{"encoded UTF-8 string", "foo=%C4%85%C5%9B%C4%87", true, []Member{{Key: "foo", Value: "ąść"}}},
	{"encoded UTF-8 string in key: a token, not decoded", "a=b,%C4%85%C5%9B%C4%87=%C4%85%C5%9B%C4%87", true, []Member{
		{Key: "a", Value: "b"}, {Key: "%C4%85%C5%9B%C4%87", Value: "ąść"},
	}},
	{"encoded UTF-8 string in property", "a=b,%C4%85%C5%9B%C4%87=%C4%85%C5%9B%C4%87;%C4%85%C5%9B%C4%87=%C4%85%C5%9B%C4%87", true, []Member{
		{Key: "a", Value: "b"}, {Key: "%C4%85%C5%9B%C4%87", Value: "ąść", Properties: "%C4%85%C5%9B%C4%87=%C4%85%C5%9B%C4%87"},
	}},
	{"empty member between members: tolerated", "foo=,,bar=", true, []Member{{Key: "foo"}, {Key: "bar"}}},
	{"invalid member: no key", "=foo", false, nil},
	{"invalid member: no value", "foo", false, nil},
	{"invalid member: invalid key", "\\=value", false, nil},
	{"invalid member: invalid value", "foo=\\", false, nil},
	{"invalid member: improper url encoded value", "key1=val%", false, nil},
	{"invalid member: one bad hex digit", "key1=val%2g", false, nil},
	{"invalid property: no key", "foo=1;=v", false, nil},
	{"invalid property: invalid key", "foo=1;key\\=v", false, nil},
	{"invalid property: invalid value", "foo=1;key=\\", false, nil},
	{"invalid property: improper url encoded value", "foo=1;key=val%", false, nil},
	{"invalid members are dropped, valid ones kept", "a=1,bad,b=2,c=\"x\"", false, []Member{{Key: "a", Value: "1"}, {Key: "b", Value: "2"}}},
	{"percent-encoded octet sequences do not match the UTF-8 encoding scheme", "k=aa%ffcc;p=d%fff", true, []Member{{Key: "k", Value: "aa\uFFFDcc", Properties: "p=d%fff"}}},
	{"multiple percent encoded octet sequences don't match UTF-8 encoding scheme", "k=aa%ffcc%fedd%fa", true, []Member{{Key: "k", Value: "aa\uFFFDcc\uFFFDdd\uFFFD"}}},
	// From the W3C specification's examples (https://www.w3.org/TR/baggage/#example).
	{"W3C example with properties", "key1=value1;property1;property2, key2 = value2, key3=value3; propertyKey=propertyValue", true, []Member{
		{Key: "key1", Value: "value1", Properties: "property1;property2"},
		{Key: "key2", Value: "value2"},
		{Key: "key3", Value: "value3", Properties: "propertyKey=propertyValue"},
	}},
	{"W3C example with encoding", "userId=alice,serverNode=DF%2028,isProduction=false", true, []Member{
		{Key: "userId", Value: "alice"}, {Key: "serverNode", Value: "DF 28"}, {Key: "isProduction", Value: "false"},
	}},
	{"properties with whitespace are normalised", "k=v ; p1 ; p2 = x ;", true, []Member{{Key: "k", Value: "v", Properties: "p1;p2=x"}}},
	{"one space after a property", "k=v;p1 ", true, []Member{{Key: "k", Value: "v", Properties: "p1"}}},
	{"blank properties only", "k=v; ;", true, []Member{{Key: "k", Value: "v"}}},
	{"property with an empty value", "k=v;p=", true, []Member{{Key: "k", Value: "v", Properties: "p="}}},
}

func TestOTelBaggageParseTable(t *testing.T) {
	t.Parallel()
	for _, tc := range otelBaggageParse {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b, ok := ParseBaggage(tc.in)
			require.Equal(t, tc.ok, ok)
			require.True(t, slices.Equal(tc.want, b.Members()), "got %q", b.Members())
		})
	}
}

func members(n int, prefix string) (header string, ms []Member) {
	parts := make([]string, n)
	for i := range n {
		m := Member{Key: fmt.Sprintf("%s%02d", prefix, i), Value: fmt.Sprintf("v%02d", i)}
		parts[i] = m.Key + "=" + m.Value
		ms = append(ms, m)
	}
	return strings.Join(parts, ","), ms
}

// OpenTelemetry Go's extraction tables (propagation/baggage_test.go,
// TestExtractValidBaggage and TestExtractValidMultipleBaggageHeaders),
// through our codec: repeated headers are comma-joined by the carrier.
// sent is what Inject writes back: the limits apply there.
func TestBaggageLimitsApplyWhenWriting(t *testing.T) {
	t.Parallel()
	h64, m64 := members(64, "k")
	h65, m65 := members(65, "k")
	big := strings.Repeat("v", maxBaggageBytes-2)
	tests := []struct {
		name    string
		headers []string
		want    []Member
		sent    string
	}{
		{"valid w3cHeader", []string{"key1=val1,key2=val2"}, []Member{{Key: "key1", Value: "val1"}, {Key: "key2", Value: "val2"}}, "key1=val1,key2=val2"},
		{"valid w3cHeader with spaces", []string{"key1 =   val1,  key2 =val2   "}, []Member{{Key: "key1", Value: "val1"}, {Key: "key2", Value: "val2"}}, "key1=val1,key2=val2"},
		{"valid header with an invalid header", []string{"key1=val1,key2=val2,a,val3"}, []Member{{Key: "key1", Value: "val1"}, {Key: "key2", Value: "val2"}}, "key1=val1,key2=val2"},
		{"valid header with url encoded string", []string{"key1=val%252"}, []Member{{Key: "key1", Value: "val%2"}}, "key1=val%252"},
		{"non conflicting headers", []string{"key1=val1", "key2=val2"}, []Member{{Key: "key1", Value: "val1"}, {Key: "key2", Value: "val2"}}, "key1=val1,key2=val2"},
		{"conflicting keys: the first wins", []string{"key1=val1", "key1=val2"}, []Member{{Key: "key1", Value: "val1"}}, "key1=val1"},
		{"single empty", []string{"", "key1=val1"}, []Member{{Key: "key1", Value: "val1"}}, "key1=val1"},
		{"all empty", []string{"", ""}, nil, ""},
		{"multiple headers with one invalid", []string{"key1=val1", "invalid-no-equals", "key2=val2"}, []Member{{Key: "key1", Value: "val1"}, {Key: "key2", Value: "val2"}}, "key1=val1,key2=val2"},
		{"at max members", []string{h64}, m64, h64},
		{"over max members: 64 sent", []string{h65}, m65, h64},
		{"at max bytes", []string{"k=" + big}, []Member{{Key: "k", Value: big}}, "k=" + big},
		{"over max bytes: kept, not sent", []string{"k=" + big + "v"}, []Member{{Key: "k", Value: big + "v"}}, ""},
		{"over max bytes across headers: the first fits", []string{"k=" + big, "y=1"}, []Member{{Key: "k", Value: big}, {Key: "y", Value: "1"}}, "k=" + big},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			in := MapCarrier{}
			for _, h := range tc.headers {
				in.Add("baggage", h)
			}
			p := NewPropagator(W3CBaggage)
			_, _, b := p.Extract(in)
			require.True(t, slices.Equal(tc.want, b.Members()), "got %q", b.Members())
			out := MapCarrier{}
			p.Inject(Context{}, b, out)
			require.Equal(t, tc.sent, out.Get("baggage"))
		})
	}
}

// TestParseBaggageIsLinear: a large header with many members parses fast
// (a quadratic duplicate check would take seconds).
func TestParseBaggageIsLinear(t *testing.T) {
	t.Parallel()
	header, _ := members(200_000, "k")
	b, ok := ParseBaggage(header + ",k00=dup")
	require.True(t, ok)
	require.Equal(t, 200_000, b.Len())
	v, _ := b.Get("k00")
	require.Equal(t, "v00", v)
	require.Len(t, b.WithinLimits(), maxBaggageMembers)
}
