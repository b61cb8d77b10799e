// Command k6 is k6 with the k6/x/tracing extension built in: the same main
// package that `xk6 build --with github.com/xk6-tracing/xk6-tracing=.`
// generates, kept in the module so that `make build` needs only the Go
// toolchain and the versions pinned in go.mod.
package main

import (
	k6cmd "go.k6.io/k6/v2/cmd"

	_ "github.com/xk6-tracing/xk6-tracing"
)

func main() {
	k6cmd.Execute()
}
