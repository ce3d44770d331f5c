// Tests of checkFile's reading (every way a file can fail to be read) and of displayName's fast path, against the relative() it replaces.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compilePolicy } from '../core/engine/index.js';
import { checkFile, displayName, type CheckOptions, type FileReport } from './check-templates.js';

/** displayName as it was before the fast path: the oracle. */
function displayNameByRelative(path: string, root: string = process.cwd()): string {
  const rel = relative(root, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

/** Names chosen to meet the edge cases: dot segments, names starting with dots, a prefix of another name. */
const segment = fc.constantFrom('a', 'b', 'main', 'mainx', 'work', '.', '..', '..x', '...', '.x', '', 'a.yaml');
const relativePath = fc.array(segment, { minLength: 0, maxLength: 5 }).map((parts) => parts.join('/'));
const anyPath = fc
  .tuple(fc.boolean(), relativePath, fc.boolean())
  .map(([absolute, body, trailing]) => `${absolute ? '/' : ''}${body}${trailing ? '/' : ''}`);
const someRoot = fc.oneof(anyPath, fc.constantFrom('/', '/work/main', '/work/main/', '/work//main', '/work/./main', process.cwd(), ''));

/** A path near the root (inside it, the root itself, beside it with a shared prefix), or anywhere. */
const rootAndPath = someRoot.chain((root) =>
  fc.tuple(
    fc.constant(root),
    fc.oneof(
      relativePath.map((rest) => `${root}/${rest}`),
      relativePath.map((rest) => `${root}${rest}`),
      relativePath.map((rest) => `${root}x/${rest}`),
      fc.constantFrom(root, `${root}/`, `${root}/.`, `${root}/..`),
      anyPath,
    ),
  ),
);

describe('displayName', () => {
  it('names every path as relative() did', () => {
    fc.assert(
      fc.property(rootAndPath, ([root, path]) => {
        expect(displayName(path, root)).toBe(displayNameByRelative(path, root));
      }),
      { numRuns: 20_000 },
    );
  });

  it('names paths against the current directory by default, as relative() did', () => {
    fc.assert(
      fc.property(fc.oneof(relativePath.map((rest) => `${process.cwd()}/${rest}`), anyPath), (path) => {
        expect(displayName(path)).toBe(displayNameByRelative(path));
      }),
      { numRuns: 2_000 },
    );
  });

  it.each([
    ['/work/main/a/b.yaml', '/work/main', 'a/b.yaml'],
    ['/work/mainx/a.yaml', '/work/main', '/work/mainx/a.yaml'],
    ['/work/main', '/work/main', '/work/main'],
    ['/work/main/..x/a.yaml', '/work/main', '/work/main/..x/a.yaml'],
    ['/work/main/.x/a.yaml', '/work/main', '.x/a.yaml'],
    ['/work/main/a.yaml', '/work/main/', 'a.yaml'],
    ['/work/main/../a.yaml', '/work/main', '/work/main/../a.yaml'],
    ['/etc/a.yaml', '/', 'etc/a.yaml'],
  ])('%s from %s is %s', (path, root, name) => {
    expect(displayName(path, root)).toBe(name);
    expect(displayNameByRelative(path, root)).toBe(name);
  });
});

describe('checkFile reading', () => {
  let dir: string;
  const options = (extra: Partial<CheckOptions> = {}): CheckOptions => ({ policy: compilePolicy({}), root: dir, ...extra });
  const withoutTime = ({ ms: _ms, ...report }: FileReport) => report;
  const refusal = (file: string, kind: string, cause: string, message: string) => ({
    file,
    status: 'refused',
    resources: 0,
    findings: [],
    problems: [{ kind, file, cause, message }],
  });

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'leuko-check-file-'));
    mkdirSync(join(dir, 'sub.yaml'));
    writeFileSync(join(dir, 'ok.yaml'), 'Resources:\n  A:\n    Type: AWS::S3::Bucket\n');
    writeFileSync(join(dir, 'bin.template'), Buffer.from([0, 1, 2, 3, 0x50]));
    writeFileSync(join(dir, 'empty.yaml'), '');
    symlinkSync('nowhere', join(dir, 'dangling.yaml'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('checks a readable template', async () => {
    expect(withoutTime(await checkFile(join(dir, 'ok.yaml'), options()))).toEqual({
      file: 'ok.yaml',
      kind: 'cloudformation',
      status: 'checked',
      resources: 1,
      findings: [],
      problems: [],
    });
  });

  it('reports a missing file, a dangling link and a path through a file with the stat error', async () => {
    for (const [name, error] of [
      ['missing.yaml', 'ENOENT: no such file or directory'],
      ['dangling.yaml', 'ENOENT: no such file or directory'],
      ['ok.yaml/x', 'ENOTDIR: not a directory'],
    ] as const) {
      const path = join(dir, name);
      expect(withoutTime(await checkFile(path, options()))).toEqual(
        refusal(name, 'unreadable', 'unreadable', `${name}: cannot read file: ${error}, stat '${path}' (unreadable)`),
      );
    }
  });

  it('reports a directory given as a file as unreadable, or too large first when it is', async () => {
    expect(withoutTime(await checkFile(join(dir, 'sub.yaml'), options()))).toEqual(
      refusal('sub.yaml', 'unreadable', 'unreadable', 'sub.yaml: cannot read file: EISDIR: illegal operation on a directory, read (unreadable)'),
    );
    const report = withoutTime(await checkFile(join(dir, 'sub.yaml'), options({ maxBytes: 1 })));
    expect(report.problems.map((problem) => problem.cause)).toEqual(['too-large']);
  });

  it('refuses a file over the limit before reading it', async () => {
    expect(withoutTime(await checkFile(join(dir, 'ok.yaml'), options({ maxBytes: 10 })))).toEqual(
      refusal('ok.yaml', 'refused', 'too-large', 'ok.yaml: file is 42 bytes, more than the limit of 10 (too-large)'),
    );
  });

  it('reads an empty file (no size to trust) and refuses it as no template, or skips it when walked', async () => {
    const report = withoutTime(await checkFile(join(dir, 'empty.yaml'), options()));
    expect(report.problems.map((problem) => problem.message)).toEqual([
      'empty.yaml:1:1: not a CloudFormation template: the top level is empty (not-a-template)',
    ]);
    expect(withoutTime(await checkFile(join(dir, 'empty.yaml'), options(), false)).status).toBe('skipped');
  });

  it('reads a file larger than one pooled buffer whole', async () => {
    const tags = Array.from({ length: 4000 }, (_, index) => `        - Key: k${index}\n          Value: v${index}\n`).join('');
    const text = `Resources:\n  A:\n    Type: AWS::S3::Bucket\n    Properties:\n      Tags:\n${tags}  B:\n    Type: AWS::S3::Bucket\n`;
    writeFileSync(join(dir, 'large.yaml'), text);
    expect(text.length).toBeGreaterThan(100_000);
    expect(withoutTime(await checkFile(join(dir, 'large.yaml'), options())).resources).toBe(2);
  });

  it('refuses a binary file named explicitly, and skips one found by walking', async () => {
    expect(withoutTime(await checkFile(join(dir, 'bin.template'), options()))).toEqual(
      refusal('bin.template', 'refused', 'binary', 'bin.template: not a text file (contains NUL bytes) (binary)'),
    );
    expect(withoutTime(await checkFile(join(dir, 'bin.template'), options(), false))).toEqual({
      file: 'bin.template',
      status: 'skipped',
      resources: 0,
      findings: [],
      problems: [],
    });
  });
});
