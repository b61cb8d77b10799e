package tracing

// A reader of TypeScript declaration files, for the drift tests: enough
// of the syntax to list what each `declare module` block exports at run
// time and the members of its interfaces, classes and objects.

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// declaredModule is what a .d.ts declares for one `declare module` block.
// Only runtime names count: type aliases and interfaces are not exports a
// script can read, so they are in interfaces, not in names.
type declaredModule struct {
	names      []string            // export function, const, let, var, class, enum, namespace; export { ... }
	defaults   []string            // members of the default export's declared object type
	objects    map[string][]string // members of exported consts declared with an object type
	classes    map[string][]string // instance members of exported classes
	interfaces map[string][]string // members of interfaces, exported or not
	problems   []string

	// Read from the block, resolved once every block is read.
	locals     map[string][]string // members of unexported consts declared with an object type
	typeofs    map[string]string   // consts declared as "typeof a" or "typeof a.b": name -> "a" or "a.b"
	imports    map[string]string   // default imports: local name -> module
	extends    map[string]string   // classes declared "extends a" or "extends a.B": name -> "a" or "a.B"
	reexports  []string            // modules of export * from
	defaultRef string              // the name export default refers to
	resolved   bool
}

var (
	reModule     = regexp.MustCompile(`^declare\s+module\s+["']([^"']+)["']`)
	reDecl       = regexp.MustCompile(`^export\s+(?:declare\s+)?(?:abstract\s+)?(function|const|let|var|class|enum|namespace)\s+([A-Za-z_$][\w$]*)`)
	reLocalConst = regexp.MustCompile(`^(?:declare\s+)?(?:const|let|var)\s+([A-Za-z_$][\w$]*)`)
	reExtends    = regexp.MustCompile(`^\s*extends\s+([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)?)`)
	reTypeof     = regexp.MustCompile(`^\s*:\s*typeof\s+([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)?)\s*$`)
	reInterface  = regexp.MustCompile(`^(?:export\s+)?(?:declare\s+)?interface\s+([A-Za-z_$][\w$]*)`)
	reExportList = regexp.MustCompile(`^export\s+(type\s+)?\{([^}]*)\}`)
	reExportAll  = regexp.MustCompile(`^export\s*\*\s*(?:as\s+([A-Za-z_$][\w$]*)\s+)?from\s*["']([^"']+)["']`)
	reDefault    = regexp.MustCompile(`^export\s+default\s+([A-Za-z_$][\w$]*)\s*$`)
	reImport     = regexp.MustCompile(`^import\s+([A-Za-z_$][\w$]*)\s*(?:,\s*\{[^}]*\}\s*)?from\s*["']([^"']+)["']`)
	reMember     = regexp.MustCompile(`^((?:(?:readonly|static|public|private|protected|abstract|declare|async|get|set)\s+)*)([A-Za-z_$#][\w$]*)\s*\??\s*[:(<]`)
)

// parseDeclarations reads the `declare module "..." { }` blocks of a .d.ts.
func parseDeclarations(src string) map[string]*declaredModule {
	code, depth := scanTS(src)
	decls := map[string]*declaredModule{}
	for _, s := range segments(code, depth, 0, len(code), 0, ";\n") {
		m := reModule.FindStringSubmatch(s.text)
		if m == nil {
			continue
		}
		if open := firstBrace(code, depth, s.start, len(code), 0); open >= 0 {
			decls[m[1]] = parseModule(code, depth, open)
		}
	}
	for _, d := range decls {
		resolveDeclaredModule(d, decls)
	}
	return decls
}

func parseModule(code string, depth []int, open int) *declaredModule {
	d := &declaredModule{objects: map[string][]string{}, classes: map[string][]string{},
		interfaces: map[string][]string{}, locals: map[string][]string{}, typeofs: map[string]string{},
		imports: map[string]string{}, extends: map[string]string{}}
	inner, end := depth[open]+1, closing(code, depth, open)
	// declared records the type of a const: an object type's members, or
	// the reference of a typeof.
	declared := func(s segment, after int, objects map[string][]string, name string) {
		if b := typeLiteral(depth, s, after, inner); b >= 0 {
			objects[name] = members(code, depth, b, false)
		} else if m := reTypeof.FindStringSubmatch(s.text[after:]); m != nil {
			d.typeofs[name] = m[1]
		}
	}
	for _, s := range segments(code, depth, open+1, end, inner, ";\n") {
		text := s.text
		if m := reImport.FindStringSubmatch(text); m != nil {
			d.imports[m[1]] = m[2]
			continue
		}
		if m := reInterface.FindStringSubmatch(text); m != nil {
			if b := firstBrace(code, depth, s.start, end, inner); b >= 0 {
				d.interfaces[m[1]] = appendUnique(d.interfaces[m[1]], members(code, depth, b, false)...)
			}
			continue
		}
		if m := reDecl.FindStringSubmatch(text); m != nil {
			kind, name := m[1], m[2]
			if kind == "const" && name == "enum" {
				continue // a const enum: erased, no runtime name
			}
			d.names = appendUnique(d.names, name)
			switch kind {
			case "const", "let", "var":
				declared(s, len(m[0]), d.objects, name)
			case "class":
				if b := firstBrace(code, depth, s.start, end, inner); b >= 0 {
					d.classes[name] = members(code, depth, b, true)
				}
				if e := reExtends.FindStringSubmatch(text[len(m[0]):]); e != nil {
					d.extends[name] = e[1]
				}
			}
			continue
		}
		if m := reLocalConst.FindStringSubmatch(text); m != nil {
			declared(s, len(m[0]), d.locals, m[1])
			continue
		}
		if m := reExportList.FindStringSubmatch(text); m != nil {
			if m[1] != "" {
				continue // export type { ... }
			}
			for _, item := range strings.Split(m[2], ",") {
				f := strings.Fields(item)
				switch {
				case len(f) == 0 || f[0] == "type":
				case len(f) == 3 && f[1] == "as" && f[2] == "default":
					d.defaultRef = f[0]
				case len(f) == 3 && f[1] == "as":
					d.names = appendUnique(d.names, f[2])
				case len(f) == 1:
					d.names = appendUnique(d.names, f[0])
				default:
					d.problems = append(d.problems, "cannot read the export list item "+strings.TrimSpace(item))
				}
			}
			continue
		}
		if m := reExportAll.FindStringSubmatch(text); m != nil {
			if m[1] != "" {
				d.names = appendUnique(d.names, m[1])
			} else {
				d.reexports = append(d.reexports, m[2])
			}
			continue
		}
		if m := reDefault.FindStringSubmatch(text); m != nil {
			d.defaultRef = m[1]
			continue
		}
		if strings.HasPrefix(text, "export default") {
			d.problems = append(d.problems, "cannot read the default export "+text)
		}
	}
	return d
}

// resolveDeclaredModule completes d with what it takes from its own
// declarations and from other modules: the names of export *, the
// members behind typeof, and the default export's members.
func resolveDeclaredModule(d *declaredModule, decls map[string]*declaredModule) {
	if d.resolved {
		return
	}
	d.resolved = true // also stops a cycle
	imported := func(alias string) *declaredModule {
		path, ok := d.imports[alias]
		if !ok {
			return nil
		}
		other, ok := decls[path]
		if !ok {
			d.problems = append(d.problems, fmt.Sprintf("%s is imported from an undeclared module %q", alias, path))
			return nil
		}
		resolveDeclaredModule(other, decls)
		return other
	}
	for _, path := range d.reexports {
		other, ok := decls[path]
		if !ok {
			d.problems = append(d.problems, fmt.Sprintf("export * from an undeclared module %q", path))
			continue
		}
		resolveDeclaredModule(other, decls)
		d.names = appendUnique(d.names, other.names...)
	}
	// objectType returns the members of the object ref names, a const
	// of this module or "alias.name" of an imported one.
	var objectType func(ref string, hops int) ([]string, bool)
	objectType = func(ref string, hops int) ([]string, bool) {
		if alias, name, ok := strings.Cut(ref, "."); ok {
			if other := imported(alias); other != nil {
				ms, ok := other.objects[name]
				return ms, ok
			}
			return nil, false
		}
		if ms, ok := d.objects[ref]; ok {
			return ms, true
		}
		if ms, ok := d.locals[ref]; ok {
			return ms, true
		}
		if other := imported(ref); other != nil {
			return other.defaults, other.defaults != nil
		}
		if next, ok := d.typeofs[ref]; ok && hops < 8 {
			return objectType(next, hops+1)
		}
		return nil, false
	}
	// A class inherits the members of the class it extends, of this
	// module or "alias.Name" of an imported one.
	for name, ref := range d.extends {
		base, ok := d.classes[ref]
		if alias, member, dotted := strings.Cut(ref, "."); dotted {
			if other := imported(alias); other != nil {
				base, ok = other.classes[member]
			}
		}
		if !ok {
			d.problems = append(d.problems, fmt.Sprintf("class %s extends %s: no class declared for it", name, ref))
			continue
		}
		d.classes[name] = appendUnique(d.classes[name], base...)
	}
	for _, name := range d.names {
		ref, ok := d.typeofs[name]
		if !ok {
			continue
		}
		if alias, member, ok := strings.Cut(ref, "."); ok {
			if other := imported(alias); other != nil {
				if ms, ok := other.classes[member]; ok {
					d.classes[name] = ms
					continue
				}
			}
		}
		if ms, ok := objectType(ref, 0); ok {
			d.objects[name] = ms
		}
	}
	if d.defaultRef != "" {
		ms, ok := objectType(d.defaultRef, 0)
		if !ok {
			d.problems = append(d.problems, fmt.Sprintf("export default %s: no object type declared for it", d.defaultRef))
		}
		d.defaults = ms
	}
}

// members returns the names of the members of the type literal, interface
// or class body whose "{" is at open. Constructors, call and index
// signatures and, in a class, static and private members are left out.
func members(code string, depth []int, open int, class bool) []string {
	var names []string
	for _, s := range segments(code, depth, open+1, closing(code, depth, open), depth[open]+1, ";,\n") {
		m := reMember.FindStringSubmatch(s.text)
		if m == nil {
			continue
		}
		mods, name := strings.Fields(m[1]), m[2]
		skip := slices.Contains(mods, "private") || slices.Contains(mods, "protected") || strings.HasPrefix(name, "#")
		if class && (name == "constructor" || slices.Contains(mods, "static")) {
			skip = true
		}
		if !skip {
			names = appendUnique(names, name)
		}
	}
	return names
}

// typeLiteral returns where the object type of a declaration starts: the
// "{" right after the ":" that follows offset after of segment s, or -1.
func typeLiteral(depth []int, s segment, after, inner int) int {
	rest := s.text[after:]
	trimmed := strings.TrimLeft(rest, " \t\r\n:")
	if !strings.HasPrefix(trimmed, "{") {
		return -1
	}
	b := s.start + after + len(rest) - len(trimmed)
	if depth[b] != inner {
		return -1
	}
	return b
}

// firstBrace returns the first "{" at depth d in code[from:to], or -1. A
// declaration's body may lie beyond its segment: "extends Omit<A, B> {"
// has a comma at the segment's depth.
func firstBrace(code string, depth []int, from, to, d int) int {
	for i := from; i < to; i++ {
		if code[i] == '{' && depth[i] == d {
			return i
		}
	}
	return -1
}

// closing returns the offset of the bracket that closes the one at open.
func closing(code string, depth []int, open int) int {
	for i := open + 1; i < len(code); i++ {
		if depth[i] == depth[open] {
			return i
		}
	}
	return len(code)
}

type segment struct {
	start int
	text  string
}

// segments splits code[from:to] at the separators seps that are at depth
// d, and trims each piece; nested brackets stay whole.
func segments(code string, depth []int, from, to, d int, seps string) []segment {
	var out []segment
	add := func(a, b int) {
		text := code[a:b]
		trimmed := strings.TrimLeft(text, " \t\r\n")
		a += len(text) - len(trimmed)
		if text = strings.TrimRight(trimmed, " \t\r\n"); text != "" {
			out = append(out, segment{a, text})
		}
	}
	start := from
	for i := from; i < to; i++ {
		if depth[i] == d && strings.IndexByte(seps, code[i]) >= 0 {
			add(start, i)
			start = i + 1
		}
	}
	add(start, to)
	return out
}

// scanTS blanks the comments of TypeScript source (offsets and line ends
// stay) and returns, for each byte, its depth in (), [] and {}; brackets
// are at the depth outside them, strings do not count.
func scanTS(src string) (string, []int) {
	code := []byte(src)
	depth := make([]int, len(code))
	d := 0
	for i := 0; i < len(code); i++ {
		c := code[i]
		switch {
		case c == '/' && i+1 < len(code) && code[i+1] == '/':
			for ; i < len(code) && code[i] != '\n'; i++ {
				code[i], depth[i] = ' ', d
			}
			if i < len(code) {
				depth[i] = d
			}
			continue
		case c == '/' && i+1 < len(code) && code[i+1] == '*':
			end := strings.Index(src[i+2:], "*/")
			last := len(code)
			if end >= 0 {
				last = i + 2 + end + 2
			}
			for ; i < last; i++ {
				if code[i] != '\n' {
					code[i] = ' '
				}
				depth[i] = d
			}
			i--
			continue
		case c == '"' || c == '\'' || c == '`':
			depth[i] = d
			for i++; i < len(code) && code[i] != c; i++ {
				if code[i] == '\\' {
					depth[i] = d + 1
					i++
				}
				if i < len(code) {
					depth[i] = d + 1
				}
			}
			if i < len(code) {
				depth[i] = d
			}
			continue
		case c == '(' || c == '[' || c == '{':
			depth[i] = d
			d++
			continue
		case c == ')' || c == ']' || c == '}':
			d--
		}
		depth[i] = d
	}
	return string(code), depth
}

func appendUnique(list []string, names ...string) []string {
	for _, n := range names {
		if !slices.Contains(list, n) {
			list = append(list, n)
		}
	}
	return list
}
