/**
 * A stand-in for k6's "k6/execution": vitest.config.ts aliases the module
 * to this file. `vu` answers only while a test sets inVU, as k6's throws
 * in the init context; test.abort records its reason and throws, as k6's
 * ends the test.
 */
export const state = { inVU: false, aborted: [] as string[] };

export function reset(): void {
  state.inVU = false;
  state.aborted.length = 0;
}

const exec = {
  get vu(): { idInInstance: number } {
    if (!state.inVU) {
      throw new Error("getting VU information in the init context is not supported");
    }
    return { idInInstance: 1 };
  },
  test: {
    abort(reason?: string): never {
      state.aborted.push(reason ?? "");
      throw new Error(`test aborted: ${reason ?? ""}`);
    },
  },
};

export default exec;
