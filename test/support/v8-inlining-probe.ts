// Run by test/check/v8-tiering.test.ts in a child process: tunes V8 as `leuko check` does (unless
// LEUKO_V8_DEFAULT_TIERING=1), then makes TurboFan optimise `total`, which calls `scoreOf`;
// --trace-turbo-inlining then shows whether it inlined it.
import { tuneForBatchRun } from '../../src/check/v8-tiering.js';

tuneForBatchRun();

// 132 bytes of bytecode: above the batch cap (100), below V8's default (920) and above its always-inlined size.
function scoreOf(text: string): number {
  let score = 0;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code === 32 || code === 9) score += 1;
    else if (code >= 48 && code <= 57) score = score * 3 + (code - 48);
    else if (code === 35) score -= 7;
    else score ^= code;
    score = score % 1000003;
  }
  return score + text.length;
}

function total(texts: readonly string[]): number {
  let sum = 0;
  for (const text of texts) sum += scoreOf(text);
  return sum;
}

// Natives syntax is V8's, not JavaScript's: V8 compiles it at run time, under --allow-natives-syntax.
const prepare = new Function('f', '%PrepareFunctionForOptimization(f)') as (f: unknown) => void;
const optimiseNext = new Function('f', '%OptimizeFunctionOnNextCall(f)') as (f: unknown) => void;
const texts = ['a 1#', 'b\t22', 'ccc'];
prepare(total);
prepare(scoreOf);
for (let round = 0; round < 50; round += 1) total(texts);
optimiseNext(total);
total(texts);
