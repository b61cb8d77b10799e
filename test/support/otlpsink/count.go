package otlpsink

import (
	"errors"
	"net/http"

	"google.golang.org/protobuf/encoding/protowire"
)

// The field numbers on the path from an export request to its spans:
// ExportTraceServiceRequest.resource_spans, ResourceSpans.scope_spans,
// ScopeSpans.spans (opentelemetry-proto, trace/v1).
const (
	fieldResourceSpans protowire.Number = 1
	fieldScopeSpans    protowire.Number = 2
	fieldSpans         protowire.Number = 2
)

// errMalformed is a protobuf body whose framing is broken.
var errMalformed = errors.New("malformed message")

// countProtobufSpans counts the spans of a protobuf export request by
// walking its wire format down to the spans, without decoding them. A
// benchmark's sink shares the machine with k6: a full decode costs it
// several microseconds a span that k6 would be charged for. Framing
// errors on that path are refused as a decode would refuse them; the
// spans' own fields are not looked into.
func countProtobufSpans(body []byte) (int, error) {
	n := 0
	err := eachField(body, fieldResourceSpans, func(rs []byte) error {
		return eachField(rs, fieldScopeSpans, func(ss []byte) error {
			return eachField(ss, fieldSpans, func([]byte) error {
				n++
				return nil
			})
		})
	})
	if err != nil {
		return 0, refuse(http.StatusBadRequest, "protobuf body: %v", err)
	}
	return n, nil
}

// eachField calls fn with the bytes of every length-delimited field
// numbered want in msg, and checks that every other field is well formed.
func eachField(msg []byte, want protowire.Number, fn func([]byte) error) error {
	for len(msg) > 0 {
		num, typ, n := protowire.ConsumeTag(msg)
		if n < 0 {
			return errMalformed
		}
		msg = msg[n:]
		if num == want && typ == protowire.BytesType {
			v, n := protowire.ConsumeBytes(msg)
			if n < 0 {
				return errMalformed
			}
			if err := fn(v); err != nil {
				return err
			}
			msg = msg[n:]
			continue
		}
		n = protowire.ConsumeFieldValue(num, typ, msg)
		if n < 0 {
			return errMalformed
		}
		msg = msg[n:]
	}
	return nil
}
