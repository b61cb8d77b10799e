/**
 * The check of a report's explanation (`TraceExplanation` in
 * types/index.d.ts): the fields the renderers read, each of the type the
 * declarations give it, so that a malformed explanation gives an error
 * naming the field rather than a broken rendering.
 *
 * @packageDocumentation
 */
import type { DominantShare, TraceExplanation } from "k6/x/tracing";
import { describe, isPlainObject } from "./describe.js";

/**
 * The shape of a value of type T, checked by the compiler against T: an
 * object's fields must be T's (those left out are not checked), and each
 * field's shape its type's.
 */
type Shape<T> = null extends T
  ? { readonly nullable: Shape<NonNullable<T>> }
  : T extends string
    ? "string"
    : T extends number
      ? "number"
      : T extends boolean
        ? "boolean"
        : T extends readonly (infer E)[]
          ? { readonly array: Shape<E> }
          : { readonly object: { readonly [K in keyof T]?: Shape<T[K]> } };

/** A shape as the checker reads it. */
type AnyShape =
  | "string"
  | "number"
  | "boolean"
  | { readonly nullable: AnyShape }
  | { readonly array: AnyShape }
  | { readonly object: { readonly [key: string]: AnyShape | undefined } };

const dominant: Shape<DominantShare> = {
  object: { service: "string", operation: "string", time: "number", share: "number", traces: { array: "string" } },
};

/** The fields of an explanation the renderers read. */
const explanationShape: Shape<TraceExplanation> = {
  object: {
    backend: { object: { type: "string", url: "string" } },
    elapsed: "number",
    read: "number",
    unread: "number",
    warning: "string",
    requests: {
      array: {
        object: {
          traceId: "string",
          spanId: "string",
          name: "string",
          failed: "boolean",
          complete: "string",
          rootMissing: "boolean",
          orphans: "number",
          clipped: "number",
          error: "string",
        },
      },
    },
    summaries: {
      array: {
        object: {
          name: "string",
          requests: "number",
          unread: "number",
          services: { array: dominant },
          operations: { array: dominant },
          origins: {
            array: {
              object: { service: "string", operation: "string", message: "string", count: "number", traces: { array: "string" } },
            },
          },
        },
      },
    },
    waterfall: {
      nullable: {
        object: {
          traceId: "string",
          spanId: "string",
          name: "string",
          duration: "number",
          truncated: "number",
          spans: {
            array: {
              object: {
                service: "string",
                operation: "string",
                start: "number",
                duration: "number",
                depth: "number",
                error: "boolean",
                critical: "boolean",
              },
            },
          },
        },
      },
    },
  },
};

/**
 * What is wrong with a report's explanation, as the rest of checkReport's
 * message (`the report's "explanation.summaries[0].services" is null, not
 * an array`); undefined when it is well formed.
 */
export function explanationProblem(explanation: unknown): string | undefined {
  return problem(explanation, explanationShape, "explanation");
}

function problem(v: unknown, shape: AnyShape, path: string): string | undefined {
  const not = (what: string): string => `the report's "${path}" is ${describe(v)}, not ${what}`;
  if (typeof shape === "string") {
    return typeof v === shape ? undefined : not(shape === "string" ? "a string" : shape === "number" ? "a number" : "a boolean");
  }
  if ("nullable" in shape) {
    if (v === null) {
      return undefined;
    }
    if (typeof shape.nullable === "object" && "object" in shape.nullable && !isPlainObject(v)) {
      return not("an object or null");
    }
    return problem(v, shape.nullable, path);
  }
  if ("array" in shape) {
    if (!Array.isArray(v)) {
      return not("an array");
    }
    for (const [i, item] of v.entries()) {
      const p = problem(item, shape.array, `${path}[${i}]`);
      if (p !== undefined) {
        return p;
      }
    }
    return undefined;
  }
  if (!isPlainObject(v)) {
    return not("an object");
  }
  for (const [key, field] of Object.entries(shape.object)) {
    const p = field === undefined ? undefined : problem(v[key], field, `${path}.${key}`);
    if (p !== undefined) {
      return p;
    }
  }
  return undefined;
}
