package otlpsink

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	collectorpb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
)

// maxBodyBytes bounds a request body, before and after gzip, so that a
// broken or hostile exporter cannot exhaust memory. Exporters batch far
// less (the Go SDK's default batch of 512 spans is a few hundred KiB).
const maxBodyBytes = 64 << 20

// The two encodings of OTLP/HTTP, by Content-Type.
const (
	contentProtobuf = "application/x-protobuf"
	contentJSON     = "application/json"
)

// httpError is a request the sink refuses, with the status to answer.
type httpError struct {
	status int
	msg    string
}

func (e *httpError) Error() string { return e.msg }

func refuse(status int, format string, args ...any) error {
	return &httpError{status: status, msg: fmt.Sprintf(format, args...)}
}

// mediaType returns the request's encoding, or a 415 error.
func mediaType(r *http.Request) (string, error) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || (mt != contentProtobuf && mt != contentJSON) {
		return "", refuse(http.StatusUnsupportedMediaType,
			"unsupported Content-Type %q: want %s or %s", r.Header.Get("Content-Type"), contentProtobuf, contentJSON)
	}
	return mt, nil
}

// readBody reads the body, un-gzipped, of at most limit bytes each way.
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	var body io.Reader = http.MaxBytesReader(w, r.Body, limit)
	switch enc := strings.ToLower(strings.TrimSpace(r.Header.Get("Content-Encoding"))); enc {
	case "", "identity":
	case "gzip":
		zr, err := gzip.NewReader(body)
		if err != nil {
			return nil, refuse(http.StatusBadRequest, "gzip body: %v", err)
		}
		defer zr.Close()
		body = zr
	default:
		return nil, refuse(http.StatusUnsupportedMediaType, "unsupported Content-Encoding %q: want gzip or none", enc)
	}
	// One byte over the limit tells a body that was cut from one that fits.
	b, err := io.ReadAll(io.LimitReader(body, limit+1))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig) || int64(len(b)) > limit:
		return nil, refuse(http.StatusRequestEntityTooLarge, "body over %d bytes", limit)
	case err != nil:
		return nil, refuse(http.StatusBadRequest, "reading body: %v", err)
	}
	return b, nil
}

// decode unmarshals an export request in the given encoding.
func decode(mt string, body []byte) (*collectorpb.ExportTraceServiceRequest, error) {
	req := &collectorpb.ExportTraceServiceRequest{}
	if mt == contentProtobuf {
		if err := proto.Unmarshal(body, req); err != nil {
			return nil, refuse(http.StatusBadRequest, "protobuf body: %v", err)
		}
		return req, nil
	}
	body, err := hexIDsToBase64(body)
	if err == nil {
		// Receivers ignore fields they do not know, as the spec asks, so
		// that a newer exporter's requests still count.
		err = protojson.UnmarshalOptions{DiscardUnknown: true}.Unmarshal(body, req)
	}
	if err != nil {
		return nil, refuse(http.StatusBadRequest, "JSON body: %v", err)
	}
	return req, nil
}

// encodeResponse is the empty (fully accepted) response in the request's
// encoding.
func encodeResponse(mt string) []byte {
	resp := &collectorpb.ExportTraceServiceResponse{}
	var b []byte
	if mt == contentProtobuf {
		b, _ = proto.Marshal(resp) // an empty message cannot fail
	} else {
		b, _ = protojson.Marshal(resp)
	}
	return b
}

// idHexLen maps the JSON fields holding trace and span ids, in both the
// lowerCamelCase the spec uses and the original names protojson accepts,
// to the length of their hex form.
var idHexLen = map[string]int{
	"traceId": 32, "spanId": 16, "parentSpanId": 16,
	"trace_id": 32, "span_id": 16, "parent_span_id": 16,
}

// hexIDsToBase64 rewrites trace and span ids from the hex that OTLP/JSON
// mandates to the base64 that protojson reads for bytes fields. A value
// that is not hex of an id's length is left as it is: an exporter that
// wrongly sends base64 still decodes.
func hexIDsToBase64(body []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber() // keeps 64-bit timestamps exact through the round trip
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return nil, err
	}
	rewriteIDs(doc)
	return json.Marshal(doc)
}

func rewriteIDs(v any) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			s, ok := e.(string)
			if !ok {
				rewriteIDs(e)
				continue
			}
			if n := idHexLen[k]; n > 0 && len(s) == n && isHex(s) {
				b, _ := hex.DecodeString(s)
				x[k] = base64.StdEncoding.EncodeToString(b)
			}
		}
	case []any:
		for _, e := range x {
			rewriteIDs(e)
		}
	}
}

func isHex(s string) bool {
	for _, c := range []byte(s) {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') && (c < 'A' || c > 'F') {
			return false
		}
	}
	return true
}
