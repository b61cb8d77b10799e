import { expect } from "vitest";
import { OptionsError } from "../src/index.js";

/** The OptionsError fn throws; fails the test when it throws nothing or something else. */
export function thrown(fn: () => unknown): OptionsError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(OptionsError);
    return e as OptionsError;
  }
  throw new Error("expected an OptionsError, but nothing was thrown");
}

/** The message of the Error fn throws. */
export function message(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(Error);
    return (e as Error).message;
  }
  throw new Error("expected an Error, but nothing was thrown");
}
