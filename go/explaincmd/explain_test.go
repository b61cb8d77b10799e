package explaincmd

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/spf13/afero"
	"github.com/stretchr/testify/require"
	k6tests "go.k6.io/k6/v2/cmd/tests"

	"github.com/xk6-tracing/xk6-tracing/go/explain"
)

const (
	traceID = "5b8efff798038103d269b633813fc60c"
	spanID  = "eee19b7ec3c1b174"
)

// oneTrace answers Jaeger's /api/v3/traces/{id} for one trace: k6's span
// and a payments span that took most of it.
func oneTrace(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/v3/traces/"+traceID || r.Header.Get("X-Scope-Orgid") != "team-a" {
			http.NotFound(w, r)
			return
		}
		fmt.Fprintf(w, `{"result":{"resourceSpans":[
{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"k6"}}]},"scopeSpans":[{"spans":[
 {"traceId":%[1]q,"spanId":%[2]q,"name":"GET /checkout","startTimeUnixNano":"1000000000","endTimeUnixNano":"1100000000"}]}]},
{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"payments"}}]},"scopeSpans":[{"spans":[
 {"traceId":%[1]q,"spanId":"0000000000000001","parentSpanId":%[2]q,"name":"charge card","startTimeUnixNano":"1010000000","endTimeUnixNano":"1090000000"}]}]}
]}}`, traceID, spanID)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func run(t *testing.T, env map[string]string, report string, args ...string) (string, string, error) {
	t.Helper()
	gs := k6tests.NewGlobalTestState(t)
	for k, v := range env {
		gs.Env[k] = v
	}
	require.NoError(t, afero.WriteFile(gs.FS, "/test/traces.json", []byte(report), 0o644))
	cmd := New(gs.GlobalState)
	var stdout, stderr bytes.Buffer
	cmd.SetOut(&stdout)
	cmd.SetErr(&stderr)
	cmd.SetArgs(append(args, "/test/traces.json"))
	err := cmd.Execute()
	return stdout.String(), stderr.String(), err
}

var report = fmt.Sprintf(`{"instance":"0:1","slowest":[{"traceId":%q,"spanId":%q,"name":"checkout","sampled":true,"duration":100}],"failed":[]}`,
	traceID, spanID)

func TestExplainCommand(t *testing.T) {
	t.Parallel()
	url := oneTrace(t)
	env := map[string]string{explain.EnvURL: url, explain.EnvHeaders: "X-Scope-OrgID=team-a", explain.EnvSettle: "100ms"}
	out, _, err := run(t, env, report, "--trace-url", "http://ui/trace/{traceId}")
	require.NoError(t, err)
	require.Contains(t, out, "Explanation: 1 of 1 traces read from jaeger "+url)
	require.Contains(t, out, `slow requests: 80% of their time on the critical path was in payments "charge card"`)
	require.Contains(t, out, "http://ui/trace/"+traceID)

	out, _, err = run(t, map[string]string{explain.EnvSettle: "100ms"}, report, "--url", url, "--header", "X-Scope-OrgID=team-a", "--json")
	require.NoError(t, err)
	var rep explain.Report
	require.NoError(t, json.Unmarshal([]byte(out), &rep))
	require.Equal(t, 1, rep.Read)
	require.Equal(t, "charge card", rep.Summaries[0].Operations[0].Operation)

	// Without the tenant header the backend has no such trace: nothing read.
	_, stderr, err := run(t, nil, report, "--url", url, "--timeout", "300ms")
	require.ErrorIs(t, err, ErrNothingRead)
	require.Contains(t, stderr, "warning: 1 of 1 traces could not be read from jaeger "+url)
}

func TestExplainCommandBadInput(t *testing.T) {
	t.Parallel()
	cases := []struct {
		report string
		env    map[string]string
		args   []string
		want   string
	}{
		{`[]`, nil, nil, "not a trace report: /test/traces.json: json: cannot unmarshal array"},
		{`{"slowest":[]}`, nil, nil, `not a trace report: /test/traces.json has no "slowest" and "failed" lists`},
		{`{"slowest":[{"traceId":"x","spanId":"y"}],"failed":[]}`, nil, nil, `an entry with traceId "x" and spanId "y"`},
		{report, nil, []string{"--type", "zipkin"}, `invalid trace backend configuration: --type "zipkin": not a backend this module reads`},
		{report, nil, []string{"--url", "localhost"}, `--url "localhost": not an http or https URL`},
		{report, nil, []string{"--header", "novalue"}, `--header "novalue": not Name=value`},
		{report, nil, []string{"--concurrency", "99"}, `--concurrency "99": not from 1 to 32`},
		{report, nil, []string{"--timeout", "-1s"}, `--timeout "-1s": not a positive duration`},
		{report, map[string]string{explain.EnvType: "zipkin"}, nil, `K6_TRACING_BACKEND_TYPE="zipkin"`},
	}
	for _, tc := range cases {
		_, _, err := run(t, tc.env, tc.report, tc.args...)
		require.ErrorContains(t, err, tc.want, strings.Join(tc.args, " "))
	}
}
