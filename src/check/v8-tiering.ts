// How eagerly V8 optimises code during a one-shot batch run such as `leuko check <dir>`.
// Such a run is mostly V8 warming up: with V8's default tiering, each hot function of the reader, loader and
// rules is optimised (TurboFan) while it is still collecting type feedback, then thrown away at the first
// branch it had not seen, then optimised again. Over the template corpus that was about 1.6 s of compile work
// for a 2.3 s run: on one core it competes with the check itself. Waiting for 16x the default interrupt budget
// lets a function tier up once, with its feedback complete. Corpus, medians of 7: one core 2.29 s (default) ->
// 1.78 (4x), 1.67 (8x), 1.63 (12x), 1.63 (16x), 1.58 (24x), 1.68 s (32x); two cores 1.26 (8x), 1.23 (16x),
// 1.24 s (24x).
// The reader's recursive functions (blockMapping, node) were then still compiled 3-4 times each, 20-37 ms per
// compile, because TurboFan inlined most of the reader into them; a deopt anywhere in that graph threw it all
// away. Capping the bytecode inlined into one function at 100 bytes (V8's default: 920) keeps those compiles
// small, and the hot code is the reader's own loops, which inlining barely speeds up: corpus, one core, medians
// of 9: 2.01 s -> 1.89 s; the warm passes of a long in-process run were 2-4% slower. Long-running processes
// (watch, serve) keep the defaults.
import { setFlagsFromString } from 'node:v8';

/** V8's default interrupt budget (V8 11.3, Node 20), in bytes of bytecode run between tier-up checks. */
const V8_DEFAULT_INTERRUPT_BUDGET = 67_584;
/** The budget for one-shot batch runs. */
const BATCH_INTERRUPT_BUDGET = 16 * V8_DEFAULT_INTERRUPT_BUDGET;
/** Bytecode TurboFan may inline into one optimised function in a batch run. */
const BATCH_INLINED_BYTECODE = 100;
/** Set to 1 to keep V8's default tiering (to compare, or if a future V8 behaves otherwise). */
export const DEFAULT_TIERING_ENV = 'LEUKO_V8_DEFAULT_TIERING';

/**
 * Tunes this process's V8 for a one-shot batch run: process-wide, so worker threads started later share it.
 * Setting it again is harmless.
 */
export function tuneForBatchRun(env: NodeJS.ProcessEnv = process.env): void {
  if (env[DEFAULT_TIERING_ENV] === '1') return;
  setFlagsFromString(`--interrupt-budget=${BATCH_INTERRUPT_BUDGET}`);
  setFlagsFromString(`--max-inlined-bytecode-size-cumulative=${BATCH_INLINED_BYTECODE}`);
}
