// The batch tuning of src/check/v8-tiering.ts, observed in a child process that V8 traces.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TIERING_ENV } from '../../src/check/v8-tiering.js';

const probe = fileURLToPath(new URL('../support/v8-inlining-probe.ts', import.meta.url));

// Compiling on the main thread only: a background compile's trace lines would otherwise cut into the probe's.
const PROBE_FLAGS = ['--import', 'tsx', '--allow-natives-syntax', '--no-concurrent-recompilation', '--trace-turbo-inlining'];

/** Whether TurboFan, optimising total, weighed inlining scoreOf into it, and did. */
function inliningOfScoreOf(defaultTiering: boolean): { inlined: boolean; considered: boolean } {
  const run = spawnSync(process.execPath, [...PROBE_FLAGS, probe], {
    encoding: 'utf8',
    // tsx's own functions are traced too.
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, [DEFAULT_TIERING_ENV]: defaultTiering ? '1' : '' },
  });
  expect(run.status, run.stderr).toBe(0);
  return {
    inlined: /^Inlining .*<SharedFunctionInfo scoreOf>.* into .*<SharedFunctionInfo total>/m.test(run.stdout),
    considered: /^Considering .*<SharedFunctionInfo scoreOf>/m.test(run.stdout),
  };
}

describe('tuneForBatchRun', () => {
  it('caps what TurboFan inlines into one function; LEUKO_V8_DEFAULT_TIERING=1 keeps V8 default', () => {
    // The same probe both ways: V8 weighs inlining scoreOf into total in each, and only the cap stops it.
    expect(inliningOfScoreOf(false)).toEqual({ inlined: false, considered: true });
    expect(inliningOfScoreOf(true)).toEqual({ inlined: true, considered: true });
  });
});
