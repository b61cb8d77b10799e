// Package jsvalue reads, describes and calls the JS values that scripts
// hand to the k6 module: the one place where the module's Go code meets
// sobek values that are not its own. It holds no state. Where k6 exports a
// helper (common.IsNullish, common.Throw), the module uses k6's.
//
//   - describe.go: [Describe], a value as an error message names it.
//   - values.go: [PlainObject], [Number] and [Items], the shapes option
//     decoders accept.
//   - call.go: [CallMethod], [HasMethods] and [CallString] for the browser
//     module's objects, and [Require] for k6's own modules.
//   - promise.go: [IsThenable], [Settled] and [Observe], the one way the
//     module waits for a promise.
package jsvalue
