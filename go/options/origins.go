package options

import (
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/grafana/sobek"
	"go.k6.io/k6/v2/js/common"

	"github.com/xk6-tracing/xk6-tracing/go/jsvalue"
)

const allowedPropagateTo = `an origin such as "https://api.example.com", a URL prefix such as ` +
	`"https://api.example.com/v1/", either with "*" for any characters but "/" ("https://*.example.com"), ` +
	`"*" for every origin, a RegExp tested against the whole URL, or an array of these`

// Origins is the propagateTo option: the cross-origin URLs that may
// receive trace headers besides the page's own origin.
type Origins struct {
	all      bool
	origins  []*regexp.Regexp // matched against the request's origin
	prefixes []*regexp.Regexp // matched against the start of the URL
	regexps  []jsRegExp       // the script's RegExps, run by the VM
}

// jsRegExp is a RegExp of the script. It is run by the JS VM, not
// translated to Go's syntax, so that it means exactly what the script
// author wrote; the route handler runs on the VU's event loop, where that
// is allowed.
type jsRegExp struct {
	rt   *sobek.Runtime
	obj  *sobek.Object
	test sobek.Callable
}

// Empty reports whether no origin beyond the page's own is allowed.
func (m Origins) Empty() bool {
	return !m.all && len(m.origins) == 0 && len(m.prefixes) == 0 && len(m.regexps) == 0
}

// Matches reports whether a request to rawURL, whose origin is origin,
// may receive trace headers. It runs the script's RegExps, so it must be
// called on the VU's event loop.
func (m Origins) Matches(rawURL, origin string) bool {
	if m.all {
		return true
	}
	for _, re := range m.origins {
		if re.MatchString(origin) {
			return true
		}
	}
	for _, re := range m.prefixes {
		if re.MatchString(rawURL) {
			return true
		}
	}
	for _, re := range m.regexps {
		// A global or sticky RegExp would start where its last match
		// ended: every test starts from the beginning instead.
		_ = re.obj.Set("lastIndex", 0)
		v, err := re.test(re.obj, re.rt.ToValue(rawURL))
		if err == nil && v.ToBoolean() {
			return true
		}
	}
	return false
}

func decodePropagateTo(rt *sobek.Runtime, v sobek.Value) (Origins, error) {
	var m Origins
	if common.IsNullish(v) {
		return m, nil
	}
	if items, ok := jsvalue.Items(v); ok {
		for i, item := range items {
			if err := m.add(rt, item, fmt.Sprintf("propagateTo[%d]", i)); err != nil {
				return m, err
			}
		}
		return m, nil
	}
	return m, m.add(rt, v, "propagateTo")
}

// add adds one pattern; name names it in errors.
func (m *Origins) add(rt *sobek.Runtime, v sobek.Value, name string) error {
	if obj, ok := v.(*sobek.Object); ok && obj.ClassName() == "RegExp" {
		test, ok := sobek.AssertFunction(obj.Get("test"))
		if !ok {
			return Invalid(name, "the RegExp has no test method", allowedPropagateTo)
		}
		m.regexps = append(m.regexps, jsRegExp{rt: rt, obj: obj, test: test})
		return nil
	}
	s, ok := v.Export().(string)
	if !ok {
		return Invalid(name, jsvalue.Describe(v)+" is not a string or a RegExp", allowedPropagateTo)
	}
	if s == "*" {
		m.all = true
		return nil
	}
	scheme, rest, ok := strings.Cut(s, "://")
	if !ok || scheme == "" || rest == "" || strings.HasPrefix(rest, "/") {
		example := "https://api.example.com"
		if !ok && s != "" {
			example = "https://" + s // a bare host name
		}
		return Invalid(name, strconv.Quote(s)+" is not an origin or URL prefix: it needs a scheme and a host, as in "+
			strconv.Quote(example), allowedPropagateTo)
	}
	host, path, hasPath := strings.Cut(rest, "/")
	origin := trimDefaultPort(strings.ToLower(scheme) + "://" + strings.ToLower(host))
	if !hasPath || path == "" {
		m.origins = append(m.origins, globRegexp(origin, true))
		return nil
	}
	m.prefixes = append(m.prefixes, globRegexp(origin+"/"+path, false))
	return nil
}

// globRegexp compiles a pattern in which "*" stands for any characters but
// "/"; whole asks for a match of the whole text rather than a prefix.
func globRegexp(pattern string, whole bool) *regexp.Regexp {
	parts := strings.Split(pattern, "*")
	for i, p := range parts {
		parts[i] = regexp.QuoteMeta(p)
	}
	expr := "^" + strings.Join(parts, "[^/]*")
	if whole {
		expr += "$"
	}
	return regexp.MustCompile(expr)
}

// OriginOf returns the origin of an http or https URL (scheme and host in
// lower case, without a default port), or false for other URLs.
func OriginOf(rawURL string) (string, bool) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", false
	}
	return trimDefaultPort(strings.ToLower(u.Scheme) + "://" + strings.ToLower(u.Host)), true
}

// trimDefaultPort drops ":80" from an http origin and ":443" from an
// https one, as browsers write origins.
func trimDefaultPort(origin string) string {
	switch {
	case strings.HasPrefix(origin, "http://"):
		return strings.TrimSuffix(origin, ":80")
	case strings.HasPrefix(origin, "https://"):
		return strings.TrimSuffix(origin, ":443")
	}
	return origin
}

// PageRules are the patterns of propagateTo for a script in the page:
// the origin and prefix patterns as regular expressions, in the syntax
// JavaScript shares with Go's (literal text quoted, "[^/]*" for "*"), and
// the script's RegExps as their source and flags.
type PageRules struct {
	All      bool         `json:"all"`
	Origins  []string     `json:"origins"`
	Prefixes []string     `json:"prefixes"`
	RegExps  []PageRegExp `json:"regexps"`
}

// PageRegExp is a RegExp of the script, to be made again in the page.
type PageRegExp struct {
	Source string `json:"source"`
	Flags  string `json:"flags"`
}

// PageRules returns the patterns for a script in the page.
func (m Origins) PageRules() PageRules {
	rules := PageRules{All: m.all, Origins: []string{}, Prefixes: []string{}, RegExps: []PageRegExp{}}
	for _, re := range m.origins {
		rules.Origins = append(rules.Origins, re.String())
	}
	for _, re := range m.prefixes {
		rules.Prefixes = append(rules.Prefixes, re.String())
	}
	for _, re := range m.regexps {
		rules.RegExps = append(rules.RegExps, PageRegExp{Source: re.obj.Get("source").String(), Flags: re.obj.Get("flags").String()})
	}
	return rules
}
