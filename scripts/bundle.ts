// Second build step (npm run build): bundles the compiled CLI (dist/) into one CommonJS file, dist/bundle/leuko.cjs,
// which bin/leuko.js runs with V8's code cache for it (dist/bundle/leuko.cache, made here by running the CLI on
// scripts/code-cache-templates/). The cache spares every start the parse of the bundle and the compile of what
// `leuko check` runs: `check` of an empty directory 0.13 -> 0.10 s, the template corpus on one core 5% sooner.
// Commands stay lazy inside the bundle: a command's modules run only when it is invoked. Packages that are
// native, large or loaded only by some commands (the AWS SDK, SQLite, PostgreSQL, mail, Chromium) stay outside,
// as does js-yaml, which the template reader loads only for the rare template it declines.
// The `check --jobs` worker is its own ES module bundle beside it (check-worker.js), started by file name.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';

const OUT = 'dist/bundle';
const EXTERNAL = ['@aws-sdk/*', '@smithy/*', 'better-sqlite3', 'js-yaml4', 'nodemailer', 'pg', 'playwright-core'];

// No stale files of earlier builds: the cache must be made from this bundle.
rmSync(OUT, { recursive: true, force: true });
await build({
  entryPoints: ['dist/cli/main.js'],
  outfile: `${OUT}/leuko.cjs`,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: EXTERNAL,
  // Dynamic imports of the external packages become require(): a script run by vm.Script has no import() of
  // its own on Node releases before 20.12, and every one of those packages has a CommonJS build.
  supported: { 'dynamic-import': false },
  // The sources are ES modules: import.meta.url names this file (a worker entry and js-yaml are found from it).
  define: { 'import.meta': '__leukoImportMeta' },
  banner: { js: "const __leukoImportMeta = { url: require('node:url').pathToFileURL(__filename).href };" },
  logLevel: 'warning',
});
await build({
  entryPoints: ['dist/check/check-worker.js'],
  outfile: `${OUT}/check-worker.js`,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: EXTERNAL,
  // commander and other CommonJS packages require Node's modules; an ES module bundle has no `require` of its own.
  banner: { js: "import { createRequire as __leukoCreateRequire } from 'node:module';\nconst require = __leukoCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});

// The bundle's first line names it, and bin/leuko.js takes a cache only if it starts with the same line: V8
// checks a cache against the source's length alone. An entry's hashbang line is not kept (the bundle is not run
// directly) and would not parse inside the function bin/leuko.js wraps it in.
const bundled = readFileSync(`${OUT}/leuko.cjs`, 'utf8').replace(/^#!.*\n/, '');
const buildId = createHash('sha256').update(bundled).digest('hex').slice(0, 32);
writeFileSync(`${OUT}/leuko.cjs`, `// leuko build ${buildId}\n${bundled}`);

// The cache: the CLI as a user runs it, on a few templates, in each output format; each run adds what it
// compiled to the cache the run before left. V8's default tiering for these runs: a cache is taken only by a
// V8 with the same flags, and a run starts with the defaults (`check` tunes them after loading).
const templates = 'scripts/code-cache-templates';
const scratch = mkdtempSync(join(tmpdir(), 'leuko-code-cache-'));
try {
  const env = { ...process.env, LEUKO_WRITE_CODE_CACHE: `${OUT}/leuko.cache`, LEUKO_V8_DEFAULT_TIERING: '1', NO_COLOR: '1' };
  // And Terraform plans: the test fixtures, not copies of them.
  const plans = ['compute', 's3', 'security-groups'].map((name) => `src/sources/template/fixtures/terraform/plan-${name}.json`);
  const files = [...readdirSync(templates).map((name) => join(templates, name)), ...plans];
  for (const format of ['json', 'sarif', 'text']) {
    const args = ['check', ...files, '--format', format, '--fail-on', 'none', '--output', join(scratch, format)];
    const run = spawnSync(process.execPath, ['bin/leuko.js', ...args], { env, encoding: 'utf8' });
    // The broken templates make it exit 3 (files could not be checked); anything else is a broken build.
    if (run.status !== 3) throw new Error(`making the code cache: leuko check --format ${format} exited ${run.status}: ${run.stderr}`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
