#!/usr/bin/env node
// Entry point: runs the built CLI, dist/bundle/leuko.cjs (npm run build), with V8's code cache for it.
// The cache (dist/bundle/leuko.cache, made by the build) holds the bytecode of what a `leuko check` runs, so V8
// neither parses the 1.6 MB bundle nor compiles those functions again: a check starts about 30 ms sooner, a
// third of leuko's own start-up (`--help` alone is ~9 ms slower: the whole cache is read). A cache V8 rejects
// (another Node, other V8 flags) costs only that read: the bundle is compiled as if there were none. The
// cache's first line names the bundle it was made from, because V8 itself only compares the source's length.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const bundleDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'bundle');
const bundle = join(bundleDir, 'leuko.cjs');
const cacheFile = join(bundleDir, 'leuko.cache');
// Set by the build (scripts/bundle.ts) only: write the cache when this run ends (it grows with each run).
const writeCacheTo = process.env.LEUKO_WRITE_CODE_CACHE;

const source = readIfPresent(bundle)?.toString('utf8');
if (source === undefined) {
  console.error('leuko: not built yet; run `npm run build` first (or `npx tsx src/cli/main.ts`).');
  process.exit(70);
}
// The bundle's first line is `// leuko build <id>`; the cache starts with the same line.
const buildLine = source.slice(0, source.indexOf('\n') + 1);
const cache = readIfPresent(cacheFile);
const fits = cache !== undefined && buildLine.length > 1 && cache.subarray(0, buildLine.length).toString('latin1') === buildLine;
const cachedData = fits ? cache.subarray(buildLine.length) : undefined;
const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
  filename: bundle,
  ...(cachedData ? { cachedData } : {}),
  // Older Node 20 releases lack the constant; the bundle turns its dynamic imports into require().
  ...(vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER ? { importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER } : {}),
});
if (process.env.LEUKO_DEBUG_CODE_CACHE === '1') {
  const state = cachedData
    ? script.cachedDataRejected
      ? 'rejected by V8 (another Node or other V8 flags)'
      : 'taken'
    : cache === undefined
      ? 'absent'
      : 'stale (made from another build)';
  process.stderr.write(`leuko: code cache ${state}\n`);
}
if (writeCacheTo !== undefined) {
  process.on('exit', () => writeFileSync(writeCacheTo, Buffer.concat([Buffer.from(buildLine, 'latin1'), script.createCachedData()])));
}
const module = { exports: {} };
// The bundle's top level starts the CLI (src/cli/main.ts runs main() when started as bin/leuko.js).
script.runInThisContext().call(module.exports, module.exports, createRequire(bundle), module, bundle, bundleDir);

/** The file's bytes, or undefined when there is none: one open, no separate existence check. */
function readIfPresent(path) {
  try {
    return readFileSync(path);
  } catch (error) {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  }
}
