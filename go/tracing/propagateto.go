package tracing

import (
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/grafana/sobek"
)

const allowedPropagateTo = `allowed: an origin such as "https://api.example.com", a URL prefix such as ` +
	`"https://api.example.com/v1/", either with "*" for any characters but "/" ("https://*.example.com"), ` +
	`"*" for every origin, a RegExp tested against the whole URL, or an array of these`

// originMatcher is the propagateTo option: the cross-origin URLs that may
// receive trace headers besides the page's own origin.
type originMatcher struct {
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

func (m originMatcher) empty() bool {
	return !m.all && len(m.origins) == 0 && len(m.prefixes) == 0 && len(m.regexps) == 0
}

// matches reports whether a request to rawURL, whose origin is origin,
// may receive trace headers.
func (m originMatcher) matches(rawURL, origin string) bool {
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

func decodePropagateTo(rt *sobek.Runtime, v sobek.Value) (originMatcher, error) {
	var m originMatcher
	if isNullish(v) {
		return m, nil
	}
	if obj, ok := v.(*sobek.Object); ok && obj.ClassName() == "Array" {
		n := int(obj.Get("length").ToInteger())
		for i := range n {
			if err := m.add(rt, obj.Get(strconv.Itoa(i)), fmt.Sprintf(`"propagateTo[%d]"`, i)); err != nil {
				return m, err
			}
		}
		return m, nil
	}
	return m, m.add(rt, v, `"propagateTo"`)
}

// add adds one pattern; where names it in errors.
func (m *originMatcher) add(rt *sobek.Runtime, v sobek.Value, where string) error {
	if obj, ok := v.(*sobek.Object); ok && obj.ClassName() == "RegExp" {
		test, ok := sobek.AssertFunction(obj.Get("test"))
		if !ok {
			return fmt.Errorf("%w %s: the RegExp has no test method; %s", ErrInvalidOption, where, allowedPropagateTo)
		}
		m.regexps = append(m.regexps, jsRegExp{rt: rt, obj: obj, test: test})
		return nil
	}
	s, ok := v.Export().(string)
	if !ok {
		return fmt.Errorf("%w %s: %s is not a string or a RegExp; %s", ErrInvalidOption, where, describe(v), allowedPropagateTo)
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
		return fmt.Errorf(`%w %s: %q is not an origin or URL prefix: it needs a scheme and a host, `+
			`as in %q; %s`, ErrInvalidOption, where, s, example, allowedPropagateTo)
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

// urlOrigin returns the origin of an http or https URL (scheme and host in
// lower case, without a default port), or false for other URLs.
func urlOrigin(rawURL string) (string, bool) {
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
