package main

import (
	"bytes"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

func TestPercentile(t *testing.T) {
	tests := []struct {
		xs     []float64
		p      float64
		want   float64
		reason string
	}{
		{[]float64{3, 1, 2}, 0.5, 2, "odd count: the middle value"},
		{[]float64{4, 1, 3, 2}, 0.5, 2.5, "even count: the mean of the middle two"},
		{[]float64{7}, 0.9, 7, "one value"},
		{[]float64{10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110}, 0.9, 100, "exact rank"},
		{[]float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 0.9, 9.1, "interpolated, as k6's Trend"},
		{[]float64{5, 1}, 0, 1, "p0 is the minimum"},
		{[]float64{5, 1}, 1, 5, "p100 is the maximum"},
	}
	for _, tt := range tests {
		if got := percentile(tt.xs, tt.p); math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("percentile(%v, %v) = %v, want %v (%s)", tt.xs, tt.p, got, tt.want, tt.reason)
		}
	}
	if !math.IsNaN(median(nil)) {
		t.Error("median of nothing must be NaN")
	}
	xs := []float64{3, 1, 2}
	median(xs)
	if xs[0] != 3 {
		t.Error("median must not sort its argument")
	}
}

func TestRatio(t *testing.T) {
	if got := ratio(230, 200); got != 1.15 {
		t.Errorf("ratio(230, 200) = %v, want 1.15", got)
	}
	for _, b := range []float64{0, math.NaN()} {
		if !math.IsNaN(ratio(1, b)) {
			t.Errorf("ratio(1, %v) must be NaN", b)
		}
	}
}

func TestRatioMet(t *testing.T) {
	for _, tt := range []struct {
		r    float64
		want bool
	}{
		{1.0, true}, {1.15, true}, {1.1504, true}, {1.1506, false}, {1.3, false}, {math.NaN(), false},
	} {
		if got := ratioMet(tt.r, 1.15); got != tt.want {
			t.Errorf("ratioMet(%v, 1.15) = %v, want %v", tt.r, got, tt.want)
		}
	}
}

func TestParseSetups(t *testing.T) {
	got, err := parseSetups(" plain, js ,,route")
	if err != nil || strings.Join(got, ",") != "plain,js,route" {
		t.Fatalf("parseSetups = %v, %v; want [plain js route]", got, err)
	}
	for _, bad := range []string{"", " , ", "plain,bogus", "plain,plain"} {
		if _, err := parseSetups(bad); err == nil {
			t.Errorf("parseSetups(%q) must fail", bad)
		}
	}
}

func TestParseLoads(t *testing.T) {
	const raw = `BENCHBROWSER {"setup":"route","round":3,"ms":412,"nav":405.5,"prep":120,"res":100,"wait":12.5,"status":200}`
	tests := []struct {
		name    string
		in      string
		want    []load
		wantErr bool
	}{
		{
			name: "raw, among other lines",
			in:   "k6 says hello\n" + raw + "\nBENCHBROWSERX {}\n\n",
			want: []load{{Setup: "route", Round: 3, MS: 412, Nav: 405.5, Prep: 120, Res: 100, Wait: 12.5, Status: 200}},
		},
		{
			name: "logfmt",
			in: `time="2026-01-01T00:00:00Z" level=info msg="BENCHBROWSER {\"setup\":\"plain\",\"round\":-1,\"ms\":300,` +
				`\"nav\":290,\"prep\":100,\"res\":100,\"status\":200}" source=console` + "\n",
			want: []load{{Setup: "plain", Round: -1, MS: 300, Nav: 290, Prep: 100, Res: 100, Status: 200}},
		},
		{name: "several", in: raw + "\n" + strings.Replace(raw, "route", "js", 1) + "\n",
			want: []load{
				{Setup: "route", Round: 3, MS: 412, Nav: 405.5, Prep: 120, Res: 100, Wait: 12.5, Status: 200},
				{Setup: "js", Round: 3, MS: 412, Nav: 405.5, Prep: 120, Res: 100, Wait: 12.5, Status: 200},
			}},
		{name: "none", in: "nothing here\n", wantErr: true},
		{name: "bad json", in: "BENCHBROWSER {setup: route}\n", wantErr: true},
		{name: "unknown setup", in: strings.Replace(raw, "route", "fast", 1), wantErr: true},
		{name: "unknown field", in: strings.Replace(raw, `"res"`, `"resx"`, 1), wantErr: true},
		{name: "negative time", in: strings.Replace(raw, `"ms":412`, `"ms":-1`, 1), wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseLoads(strings.NewReader(tt.in))
			if tt.wantErr {
				if err == nil {
					t.Fatalf("parseLoads = %+v, want an error", got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("parseLoads = %+v, want %+v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("load %d = %+v, want %+v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestSummarize(t *testing.T) {
	var loads []load
	server := map[loadKey]loadCounts{}
	add := func(setup string, round int, ms float64, c loadCounts) {
		loads = append(loads, load{Setup: setup, Round: round, MS: ms, Nav: ms - 10, Prep: 50, Res: numResources, Wait: ms / 10, Status: 200})
		server[loadKey{setup, round}] = c
	}
	plainCounts := loadCounts{requests: 101}
	routeCounts := loadCounts{requests: 101, traceparent: 101, traces: 1, spans: 101}
	// The warm-up (round -1) is slow and must not count.
	add("plain", -1, 5000, plainCounts)
	add("route", -1, 5000, loadCounts{requests: 101})
	for i, ms := range []float64{200, 220, 210, 400} {
		add("plain", i, ms, plainCounts)
	}
	for i, ms := range []float64{230, 240, 250, 260} {
		add("route", i, ms, routeCounts)
	}
	results := summarize(loads, server, []string{"plain", "route", "js"})
	if len(results) != 3 {
		t.Fatalf("%d results, want 3", len(results))
	}
	plain, route, js := results[0], results[1], results[2]
	if plain.loads != 4 || plain.median != 215 || route.median != 245 {
		t.Fatalf("plain %d loads, median %v; route median %v; want 4, 215, 245", plain.loads, plain.median, route.median)
	}
	if math.Abs(plain.p90-346) > 1e-9 {
		t.Errorf("plain p90 = %v, want 346 (220 + 0.7 × 180)", plain.p90)
	}
	if plain.ratio != 1 || math.Abs(route.ratio-245.0/215) > 1e-12 {
		t.Errorf("ratios %v, %v; want 1 and %v", plain.ratio, route.ratio, 245.0/215)
	}
	if route.tpShare != 1 || plain.tpShare != 0 || route.spans != 101 || route.traces != 1 || route.requests != 101 {
		t.Errorf("server figures: route %+v, plain %+v", route, plain)
	}
	// Per round: 1.15, 1.09, 1.19, 0.65; the median is the mean of 1.09 and 1.15.
	if want := (240.0/220 + 230.0/200) / 2; math.Abs(route.paired-want) > 1e-12 || plain.paired != 1 {
		t.Errorf("paired ratios: route %v, want %v; plain %v, want 1", route.paired, want, plain.paired)
	}
	if route.navMedian != 235 || route.prep != 50 || route.res != numResources || route.wait != 24.5 {
		t.Errorf("route nav %v prep %v res %v wait %v", route.navMedian, route.prep, route.res, route.wait)
	}
	if js.loads != 0 || !math.IsNaN(js.median) || !math.IsNaN(js.ratio) {
		t.Errorf("a setup without loads: %+v", js)
	}

	var out bytes.Buffer
	rp, rj := printTargets(&out, results, 1.15)
	if math.Abs(rp-245.0/215) > 1e-12 || !math.IsNaN(rj) {
		t.Errorf("printTargets = %v, %v", rp, rj)
	}
	if s := out.String(); !strings.Contains(s, "1.140× (245 ms vs 215 ms): target met") || !strings.Contains(s, "not measured") {
		t.Errorf("printTargets printed:\n%s", s)
	}
}

func TestPrintTargetsMissed(t *testing.T) {
	results := []setupResult{
		{setup: "plain", loads: 1, median: 200, ratio: 1},
		{setup: "route", loads: 1, median: 300, ratio: 1.5},
		{setup: "js", loads: 1, median: 280, ratio: 1.4},
	}
	var out bytes.Buffer
	rp, rj := printTargets(&out, results, 1.15)
	if rp != 1.5 || math.Abs(rj-300.0/280) > 1e-12 {
		t.Errorf("printTargets = %v, %v", rp, rj)
	}
	if got := strings.Count(out.String(), "target missed"); got != 2 {
		t.Errorf("want two missed targets, got:\n%s", out.String())
	}
}

func TestSite(t *testing.T) {
	for _, cacheable := range []bool{false, true} {
		s := newSite(cacheable)
		if len(s.resources) != numResources || numResources != 100 {
			t.Fatalf("%d resources, want 100", len(s.resources))
		}
		// The page refers to every resource exactly once.
		// (the fetch() calls name theirs as JS strings)
		refs := regexp.MustCompile(`(?m)(?:src=|href=|^)"(/r/[^"]+)"`).FindAllStringSubmatch(string(s.page), -1)
		seen := map[string]bool{}
		for _, m := range refs {
			if seen[m[1]] {
				t.Errorf("%s referred to twice", m[1])
			}
			seen[m[1]] = true
			if _, ok := s.resources[m[1]]; !ok {
				t.Errorf("page refers to %s, which is not served", m[1])
			}
		}
		if len(seen) != numResources {
			t.Errorf("page refers to %d resources, want %d", len(seen), numResources)
		}

		tr := newTracker()
		srv := httptest.NewServer(s.handler(tr))
		get := func(path string, header http.Header) *http.Response {
			req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
			for k, v := range header {
				req.Header[k] = v
			}
			resp, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			_ = resp.Body.Close()
			return resp
		}
		page := "/page?setup=route&round=2"
		const tid = "0af7651916cd43dd8448eb211c80319c"
		resp := get(page, http.Header{"Traceparent": {"00-" + tid + "-b7ad6b7169203331-01"}})
		if cc := resp.Header.Get("Cache-Control"); resp.StatusCode != 200 || cc != "no-store" {
			t.Errorf("page: status %d, Cache-Control %q", resp.StatusCode, cc)
		}
		ref := http.Header{"Referer": {srv.URL + page}}
		for _, span := range []string{"00f067aa0ba902b7", "00f067aa0ba902b8"} {
			h := ref.Clone()
			h.Set("Traceparent", "00-"+tid+"-"+span+"-01")
			resp = get("/r/img-00.png", h)
			wantCC := "no-store"
			if cacheable {
				wantCC = "public, max-age=3600"
			}
			if cc := resp.Header.Get("Cache-Control"); resp.StatusCode != 200 || cc != wantCC ||
				resp.Header.Get("Content-Type") != "image/png" {
				t.Errorf("cacheable %v: image: status %d, Cache-Control %q, Content-Type %q",
					cacheable, resp.StatusCode, cc, resp.Header.Get("Content-Type"))
			}
		}
		bad := ref.Clone()
		bad.Set("Traceparent", "00-"+tid+"-0000000000000000-01")
		get("/r/script-00.js", bad)
		get("/r/style-00.css", ref) // no traceparent
		get("/favicon.ico", nil)    // no load
		srv.Close()

		got := tr.snapshot()[loadKey{"route", 2}]
		want := loadCounts{requests: 5, traceparent: 3, invalid: 1, traces: 1, spans: 3}
		if got != want {
			t.Errorf("tracker counted %+v, want %+v", got, want)
		}
		if tr.unassigned != 1 {
			t.Errorf("%d unassigned requests, want 1 (favicon)", tr.unassigned)
		}
		tr.reset()
		if len(tr.snapshot()) != 0 {
			t.Error("reset must forget the loads")
		}
	}
}
