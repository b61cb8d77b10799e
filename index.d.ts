// The declarations of "k6/x/tracing" and "k6/x/tracing/pyroscope" live in
// types/index.d.ts. This file only points there, for tools that look for an
// index.d.ts at the root of an extension (`xk6 lint`'s types check) and for
// a tsconfig that lists this file instead.
/// <reference path="./types/index.d.ts" />
