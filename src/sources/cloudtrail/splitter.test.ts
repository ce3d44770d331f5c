// The log-file skim must decide exactly as `select` on parsed records: differential tests against the plain path.
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { corpusPath } from '../../../test/harness/corpus.js';
import { compilePolicy } from '../../core/engine/index.js';
import { BUILT_IN_DETECTIONS } from '../../detections/index.js';
import { evaluateRecords } from './evaluate-events.js';
import { createInterestFilter } from './interest.js';
import { createReadStats, readCloudTrailFile, type ReadOptions, type SourcedRecord } from './readers.js';
import type { JsonObject } from './record.js';
import { skimLogFile } from '../../../test/support/skim-log-text.js';
import { skimLogBytes, skimOf, type SkimmedLogFile } from './splitter.js';

const filter = createInterestFilter(BUILT_IN_DETECTIONS);
const skim = skimOf(filter.value)!;
const policy = compilePolicy({ rules: { 'region-not-allowed': { allowedRegions: ['eu'] } } });
const dir = mkdtempSync(join(tmpdir(), 'leuko-skim-'));

async function read(path: string, options: ReadOptions) {
  const stats = createReadStats();
  const errors: string[] = [];
  const records: SourcedRecord[] = [];
  for await (const item of readCloudTrailFile(path, { ...options, stats, onError: (error) => errors.push(error.message) })) records.push(item);
  return { records, stats, errors };
}

/**
 * The same file read with the skim (prefilter and a registered select) and the plain way (the same select
 * wrapped, so it has no skim): records, positions, counts, errors and everything judged must be equal.
 */
async function expectSameAsPlain(path: string, wholeFileBytes?: number) {
  const size = wholeFileBytes !== undefined ? { wholeFileBytes } : {};
  const fast = await read(path, { ...size, prefilter: filter.text, select: filter.value });
  const plain = await read(path, { ...size, prefilter: (text: string) => filter.text(text), select: (value: JsonObject) => filter.value(value) });
  expect(fast.records).toEqual(plain.records);
  expect(fast.stats).toEqual(plain.stats);
  expect(fast.errors).toEqual(plain.errors);
  const judged = (records: SourcedRecord[]) => evaluateRecords(records, policy, BUILT_IN_DETECTIONS, { now: '2026-01-01T00:00:00Z' });
  expect(judged(fast.records)).toEqual(judged(plain.records));
  return fast;
}

const identity = { type: 'IAMUser', arn: 'arn:aws:iam::123456789012:user/alice', accountId: '123456789012' };
function record(eventName: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { eventVersion: '1.09', userIdentity: identity, eventTime: '2024-08-01T12:00:00Z', eventSource: 'ec2.amazonaws.com', eventName, awsRegion: 'eu-west-1', ...extra };
}

/** Records built to trip a text scan: each is paired with whether `select` keeps it. */
const TRICKY: Array<[string, string]> = [
  ['a read', JSON.stringify(record('DescribeInstances'))],
  ['a mapped write', JSON.stringify(record('AuthorizeSecurityGroupIngress'))],
  ['a nested eventName before the real one', JSON.stringify({ requestParameters: { eventName: 'StopLogging' }, ...record('DescribeInstances') })],
  ['a nested eventName hiding a read', JSON.stringify({ requestParameters: { eventName: 'DescribeInstances' }, ...record('StopLogging') })],
  ['eventName last', JSON.stringify({ ...record(undefined), eventName: 'DeleteTrail' })],
  ['an escaped name', JSON.stringify(record('Stop')).replace('"Stop"', '"Stop\\u004cogging"')],
  ['an escaped read name', JSON.stringify(record('Describe')).replace('"Describe"', '"Describe\\u0049nstances"')],
  ['a duplicate eventName: the last wins', JSON.stringify(record('DescribeInstances')).replace('"eventName"', '"eventName":"DeleteTrail","eventName"')],
  ['a duplicate eventName: a read last', JSON.stringify(record('DeleteTrail')).replace('"eventName"', '"eventName":"DescribeInstances","eventName"')],
  ['no eventName', JSON.stringify({ ...record('x'), eventName: undefined })],
  ['a number for eventName', JSON.stringify(record(5))],
  ['null eventName', JSON.stringify(record(null))],
  ['an object for eventName', JSON.stringify(record({ name: 'DescribeInstances' }))],
  ['root, type after a nested type', JSON.stringify(record('ListBuckets', { userIdentity: { sessionContext: { sessionIssuer: { type: 'Role' } }, type: 'Root' } }))],
  ['a role, nested Root type', JSON.stringify(record('ListBuckets', { userIdentity: { sessionContext: { sessionIssuer: { type: 'Root' } }, type: 'AssumedRole' } }))],
  ['root as a string identity', JSON.stringify(record('ListBuckets', { userIdentity: 'Root' }))],
  ['an identity array', JSON.stringify(record('ListBuckets', { userIdentity: [{ type: 'Root' }] }))],
  ['an identity type number', JSON.stringify(record('ListBuckets', { userIdentity: { type: 7 } }))],
  ['an escaped Root', JSON.stringify(record('ListBuckets', { userIdentity: { type: 'R' } })).replace('"type":"R"', '"type":"R\\u006f\\u006ft"')],
  ['a duplicate identity type', JSON.stringify(record('ListBuckets', { userIdentity: { type: 'Root' } })).replace('"type":"Root"', '"type":"IAMUser","type":"Root"')],
  ['a duplicate userIdentity', JSON.stringify(record('ListBuckets')).replace('"userIdentity"', '"userIdentity":{"type":"Root"},"userIdentity"')],
  ['a Root type outside userIdentity', JSON.stringify(record('ListBuckets', { requestParameters: { type: 'Root' }, userIdentity: { arn: 'x' } }))],
  ['quotes, braces and backslashes in strings', JSON.stringify(record('DescribeInstances', { userAgent: 'a "} ] \\" \\\\', requestParameters: { k: '\\"eventName\\":\\"StopLogging\\"' } }))],
  ['a record holding Records', JSON.stringify(record('DescribeInstances', { Records: [record('StopLogging')] }))],
  ['a record holding an envelope detail', JSON.stringify({ ...record('DescribeInstances'), 'detail-type': 'AWS API Call via CloudTrail', detail: record('DeleteTrail') })],
  ['spaces everywhere', JSON.stringify(record('DescribeInstances', { userIdentity: { type: 'Root' } }), null, 2)],
  ['a record with no region (validation reports it)', JSON.stringify({ ...record('DeleteTrail'), awsRegion: undefined })],
];

describe('the text skim, the oracle of the byte skim, and reading skimmed files', () => {
  it('keeps every record select keeps, and only those it cannot settle beside them', () => {
    const text = `{"Records":[${TRICKY.map(([, item]) => item).join(',')}]}`;
    const skimmed = skimLogFile(text, skim)!;
    expect(skimmed.records).toBe(TRICKY.length);
    const kept = new Set<number>();
    for (let at = 0; at < skimmed.kept.length; at += 3) {
      kept.add(skimmed.kept[at]!);
      expect(text.slice(skimmed.kept[at + 1], skimmed.kept[at + 2])).toBe(TRICKY[skimmed.kept[at]!]![1]);
    }
    TRICKY.forEach(([label, item], index) => {
      if (filter.value(JSON.parse(item) as JsonObject)) expect(kept.has(index), label).toBe(true);
    });
    // Plain reads are recognised and skipped: the point of skimming.
    for (const label of ['a read', 'a nested eventName before the real one', 'a role, nested Root type', 'an identity array', 'a Root type outside userIdentity'])
      expect(kept.has(TRICKY.findIndex(([name]) => name === label)), label).toBe(false);
  });

  it.each([
    ['another top-level key', '{"Records":[],"x":1}'],
    ['a bare array', '[{"eventName":"A"}]'],
    ['a string element', '{"Records":["x"]}'],
    ['an unclosed record', '{"Records":[{"eventName":"A"'],
    ['text after the document', '{"Records":[]} x'],
    ['a missing comma between records', '{"Records":[{"a":1}{"b":2}]}'],
    ['an envelope', '{"detail-type":"AWS API Call via CloudTrail","detail":{}}'],
  ])('gives the file back to the ordinary path on %s', (_label, text) => {
    expect(skimLogFile(text, skim)).toBeUndefined();
  });

  it('reads these records exactly as the plain path does, plain and gzipped', async () => {
    const text = `{"Records":[${TRICKY.map(([, item]) => item).join(',\n')}]}`;
    for (const [name, content] of [['tricky.json', text], ['tricky.json.gz', gzipSync(text)]] as const) {
      const path = join(dir, name);
      writeFileSync(path, content);
      const fast = await expectSameAsPlain(path);
      expect(fast.stats.filtered).toBeGreaterThan(0);
      expect(fast.records.length).toBeGreaterThan(0);
    }
  });

  it('a malformed record it keeps is reported by its index, as the plain path reports it', async () => {
    const path = join(dir, 'broken.json');
    writeFileSync(path, `{"Records":[${JSON.stringify(record('DescribeInstances'))},{"eventName":"DeleteTrail","x":tru},${JSON.stringify(record('DeleteTrail'))}]}`);
    const fast = await expectSameAsPlain(path);
    expect(fast.errors).toHaveLength(1);
    expect(fast.records.map(({ source }) => source.index)).toEqual([2]);
  });
});

/** Records whose text is not all ASCII: names, user names and agents in other scripts, escapes beside them. */
const UNICODE: Array<[string, string]> = [
  ['a non-ASCII read name', JSON.stringify(record('Décrire'))],
  ['a non-ASCII name that is a mapped one but for one letter', JSON.stringify(record('StopLoggïng'))],
  ['a non-ASCII identity type', JSON.stringify(record('ListBuckets', { userIdentity: { type: 'Rööt' } }))],
  ['a non-ASCII user beside a mapped write', JSON.stringify(record('StopLogging', { userIdentity: { type: 'IAMUser', userName: 'zoë', arn: 'arn:aws:iam::123456789012:user/zoë' } }))],
  ['agents in other scripts and astral characters', JSON.stringify(record('DescribeInstances', { userAgent: '日本語 naïve ✓ 𝄞 "}] \\' }))],
  ['root with a non-ASCII agent', JSON.stringify(record('ListBuckets', { userIdentity: { type: 'Root' }, userAgent: 'é"}' }))],
  ['a name with a non-ASCII escape', JSON.stringify(record('X')).replace('"X"', '"Stop\\u00e9Logging"')],
];

/** What the byte skim must agree on with the text skim: records, kept indexes, and the text of each kept record. */
function keptTexts(skimmed: SkimmedLogFile | undefined, slice: (start: number, end: number) => string) {
  if (!skimmed) return undefined;
  const kept: Array<[number, string]> = [];
  for (let at = 0; at < skimmed.kept.length; at += 3) kept.push([skimmed.kept[at]!, slice(skimmed.kept[at + 1]!, skimmed.kept[at + 2]!)]);
  return { records: skimmed.records, kept };
}

/** `bytes` at each alignment (the byte skim reads words through an aligned view), skimmed as bytes and as text. */
function expectBytesSkimAsText(bytes: Buffer) {
  const text = bytes.toString('utf8');
  const expected = keptTexts(skimLogFile(text, skim), (start, end) => text.slice(start, end));
  for (let offset = 0; offset < 4; offset++) {
    const room = Buffer.alloc(bytes.length + 8);
    bytes.copy(room, offset);
    const shifted = room.subarray(offset, offset + bytes.length);
    expect(keptTexts(skimLogBytes(shifted, skim), (start, end) => shifted.toString('utf8', start, end))).toEqual(expected);
  }
  return expected;
}

/** A small deterministic PRNG, so a failing case can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

describe('skimLogBytes', () => {
  it('decides as skimLogFile on the decoded text, at every alignment, tricky and non-ASCII records alike', () => {
    const items = [...TRICKY, ...UNICODE].map(([, item]) => item);
    const skimmed = expectBytesSkimAsText(Buffer.from(`{"Records":[${items.join(',')}]}`));
    expect(skimmed?.records).toBe(items.length);
    const kept = new Set(skimmed?.kept.map(([index]) => index));
    // A non-ASCII name is read, not just kept: an unknown one is skipped, a mapped write still kept.
    expect(kept.has(TRICKY.length)).toBe(false);
    expect(kept.has(TRICKY.length + 3)).toBe(true);
    expect(kept.has(TRICKY.length + 5)).toBe(true);
    expect(kept.has(TRICKY.length + 6)).toBe(true);
  });

  it('decides as skimLogFile on random records: quotes, escapes, # and ] after quotes, multi-byte text', () => {
    // '#' and ']' right after a quote are what a word-at-a-time search may flag by mistake; runs of
    // backslashes decide whether a quote closes its string.
    const pieces = ['a', 'Stop', '#', ']', '"', '\\', '\\\\', '\\"', 'é', '日本', '𝄞', ' ', '}', '{', '[', ',', ':', '\u2028', '\u0000'];
    const names = ['DescribeInstances', 'StopLogging', 'AuthorizeSecurityGroupIngress', 'Décrire', 'ListBuckets', '#', ']'];
    const types = ['Root', 'IAMUser', 'AssumedRole', 'Rööt'];
    const next = random(7);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
    const text = () => Array.from({ length: Math.floor(next() * 8) }, () => pick(pieces)).join('');
    for (let round = 0; round < 300; round++) {
      const items = Array.from({ length: 1 + Math.floor(next() * 6) }, () => {
        const value: Record<string, unknown> = { [text()]: text(), eventName: pick(names), userIdentity: { type: pick(types), arn: text() } };
        if (next() < 0.3) value.requestParameters = { eventName: pick(names), list: [text(), 1, null, { type: 'Root' }] };
        if (next() < 0.2) value.userIdentity = text();
        return JSON.stringify(value, null, next() < 0.2 ? 1 : undefined);
      });
      expectBytesSkimAsText(Buffer.from(`{"Records":[${items.join(',')}]}`));
    }
  });

  it('reads bytes that are not UTF-8 as the decoded text reads them, and a BOM as not a log file', () => {
    const good = Buffer.from(JSON.stringify(record('StopLogging')));
    const bad = Buffer.concat([Buffer.from('{"eventName":"Stop'), Buffer.from([0xff, 0xc3]), Buffer.from('","userAgent":"'), Buffer.from([0xe2, 0x82]), Buffer.from('","x":['), Buffer.from([0xf0, 0x9f]), Buffer.from(']}')]);
    const file = Buffer.concat([Buffer.from('{"Records":['), good, Buffer.from(','), bad, Buffer.from(','), good, Buffer.from(']}')]);
    expect(expectBytesSkimAsText(file)?.records).toBe(3);
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), file]);
    expect(skimLogBytes(bom, skim)).toBeUndefined();
    expect(skimLogFile(bom.toString('utf8'), skim)).toBeUndefined();
  });

  it.each([
    ['another top-level key', '{"Records":[],"x":1}'],
    ['a bare array', '[{"eventName":"A"}]'],
    ['a string element', '{"Records":["x"]}'],
    ['an unclosed record', '{"Records":[{"eventName":"A"'],
    ['an unclosed string', '{"Records":[{"eventName":"A\\"}]}'],
    ['text after the document', '{"Records":[]} x'],
    ['a missing comma between records', '{"Records":[{"a":1}{"b":2}]}'],
    ['an envelope', '{"detail-type":"AWS API Call via CloudTrail","detail":{}}'],
    ['nothing', ''],
  ])('gives the file back to the ordinary path on %s', (_label, text) => {
    expect(skimLogBytes(Buffer.from(text), skim)).toBeUndefined();
  });

  it('a log file with non-ASCII names, user names and bytes that are not UTF-8 reads as the plain path, plain and gzipped', async () => {
    const items = [...TRICKY, ...UNICODE].map(([, item]) => Buffer.from(item));
    items.push(Buffer.concat([Buffer.from('{"eventName":"DeleteTrail","userAgent":"'), Buffer.from([0xff, 0xe2, 0x82]), Buffer.from('","awsRegion":"eu-west-1"}')]));
    const parts: Buffer[] = [Buffer.from('{"Records":[')];
    items.forEach((item, index) => parts.push(...(index ? [Buffer.from(','), item] : [item])));
    parts.push(Buffer.from(']}'));
    const content = Buffer.concat(parts);
    for (const [name, bytes] of [['unicode.json', content], ['unicode.json.gz', gzipSync(content)]] as const) {
      const path = join(dir, name);
      writeFileSync(path, bytes);
      const fast = await expectSameAsPlain(path);
      expect(fast.stats.filtered).toBeGreaterThan(0);
      expect(fast.records.some(({ record: kept }) => kept.userIdentity.userName === 'zoë')).toBe(true);
    }
  });
});

describe('JSON Lines read as bytes', () => {
  it('a streamed JSON Lines file reads exactly as when every line is decoded, plain and gzipped', async () => {
    const lines = TRICKY.map(([, item]) => item.replace(/\n\s*/g, ''));
    const odd = [
      '',
      '   \t ',
      '\u00a0' + JSON.stringify(record('DeleteTrail')) + '\u3000',
      JSON.stringify(record('DescribeInstances')) + '\r',
      JSON.stringify(record('Décrire')),
      JSON.stringify(record('DescribeInstances', { userAgent: 'é'.repeat(300) })),
      '{"eventName": tru',
      '{"Records":[' + JSON.stringify(record('StopLogging')) + ']}',
      '\ufeff' + JSON.stringify(record('DescribeInstances')),
    ];
    // Over 1 MiB, so lines span the stream's chunks; read streamed (wholeFileBytes 0), ending without a newline.
    const body: string[] = [];
    for (let round = 0; body.join('\n').length < 1.5 * 2 ** 20; round++) body.push(...lines, ...odd);
    const text = body.join('\n') + '\n' + JSON.stringify(record('DeleteFlowLogs'));
    for (const [name, content] of [['lines.jsonl', text], ['lines.jsonl.gz', gzipSync(text)]] as const) {
      const path = join(dir, name);
      writeFileSync(path, content);
      const fast = await expectSameAsPlain(path, 0);
      expect(fast.stats.filtered).toBeGreaterThan(1000);
      expect(fast.errors.length).toBeGreaterThan(0);
      expect(fast.records.at(-1)?.record.eventName).toBe('DeleteFlowLogs');
    }
  });

  it('a truncated gzip of JSON Lines loses only the broken tail, as the text path does', async () => {
    const text = Array.from({ length: 3000 }, (_, index) => JSON.stringify(record(index % 7 ? 'DescribeInstances' : 'DeleteTrail', { eventID: `e-${index}` }))).join('\n');
    const zipped = gzipSync(text);
    const path = join(dir, 'cut.jsonl.gz');
    writeFileSync(path, zipped.subarray(0, Math.floor(zipped.length * 0.6)));
    const fast = await expectSameAsPlain(path, 0);
    expect(fast.records.length).toBeGreaterThan(0);
    expect(fast.errors.length).toBe(1);
  });
});

const root = corpusPath('cloudtrail');

function files(path: string): string[] {
  return readdirSync(path).flatMap((name) => {
    const full = join(path, name);
    return statSync(full).isDirectory() ? files(full) : /\.(json|jsonl|log)(\.gz)?$/.test(name) ? [full] : [];
  });
}

describe.skipIf(root === undefined || !existsSync(root))('skim over the CloudTrail corpus', () => {
  it('every corpus file reads and judges exactly as the plain path; log files are skimmed', async () => {
    let skimmedFiles = 0;
    for (const path of files(root!)) {
      await expectSameAsPlain(path);
      await expectSameAsPlain(path, 0);
      const raw = readFileSync(path);
      const bytes = raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw;
      if (skimLogBytes(bytes, skim)) skimmedFiles++;
      // The byte skim decides as the text skim on every corpus log file, too.
      const text = bytes.toString('utf8');
      expect(keptTexts(skimLogBytes(bytes, skim), (start, end) => bytes.toString('utf8', start, end))).toEqual(
        keptTexts(skimLogFile(text, skim), (start, end) => text.slice(start, end)),
      );
    }
    // The Stratus and invictus trails are S3-delivered log files.
    expect(skimmedFiles).toBeGreaterThan(20);
  }, 120_000);
});
