// Gzipped files: small ones are gunzipped in one call and read as the stream reads them; big, forged and broken ones stream.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as zlib from 'node:zlib';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { BUILT_IN_DETECTIONS } from '../../detections/index.js';
import { createInterestFilter } from './interest.js';
import { createReadStats, readCloudTrailDirectory, readCloudTrailFile, type ReadOptions, type SourcedRecord } from './readers.js';

// Spied on so each test can tell whether a file was streamed (createGunzip) or gunzipped whole.
vi.mock('node:zlib', async (importOriginal) => {
  const actual = await importOriginal<typeof zlib>();
  return { ...actual, createGunzip: vi.fn(actual.createGunzip) };
});
const createGunzip = vi.mocked(zlib.createGunzip);

const dir = mkdtempSync(join(tmpdir(), 'leuko-gz-'));
const filter = createInterestFilter(BUILT_IN_DETECTIONS);

function record(index: number, eventName = index % 5 ? 'DescribeInstances' : 'DeleteTrail') {
  return {
    eventVersion: '1.09',
    eventTime: '2024-08-01T12:00:00Z',
    eventSource: 'ec2.amazonaws.com',
    eventName,
    awsRegion: 'eu-west-1',
    eventID: `id-${index}`,
    userIdentity: { type: 'IAMUser', userName: 'zoë', arn: 'arn:aws:iam::123456789012:user/zoë', accountId: '123456789012' },
  };
}

function logFile(count: number): string {
  return JSON.stringify({ Records: Array.from({ length: count }, (_, index) => record(index)) });
}

function write(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

async function read(path: string, options: ReadOptions = {}, directory = false) {
  const stats = createReadStats();
  const errors: string[] = [];
  const records: SourcedRecord[] = [];
  const all = { ...options, stats, onError: (error: Error) => errors.push(error.message) };
  for await (const item of directory ? readCloudTrailDirectory(path, all) : readCloudTrailFile(path, all)) records.push(item);
  return { records: records.map(({ record: kept, source }) => ({ id: kept.eventID, index: source.index, line: source.line })), stats: { ...stats, files: 0 }, errors };
}

const skimming = { prefilter: filter.text, select: filter.value };

beforeEach(() => createGunzip.mockClear());

describe('gzipped files read whole', () => {
  it('a gzipped log file is gunzipped in one call and reads as the same file plain, skimmed or not', async () => {
    const text = logFile(300);
    const plain = write('log.json', text);
    const gzipped = write('log.json.gz', zlib.gzipSync(text));
    for (const options of [{}, skimming]) {
      const expected = await read(plain, options);
      expect(await read(gzipped, options)).toEqual(expected);
      expect(expected.records.length).toBe(options === skimming ? 60 : 300);
    }
    expect(createGunzip).not.toHaveBeenCalled();
  });

  it('gzipped JSON Lines are read whole too, with their line numbers, as when streamed', async () => {
    const text = Array.from({ length: 200 }, (_, index) => JSON.stringify(record(index))).join('\n') + '\n';
    const path = write('lines.jsonl.gz', zlib.gzipSync(text));
    for (const options of [{}, skimming]) {
      const whole = await read(path, options);
      expect(createGunzip).not.toHaveBeenCalled();
      const streamed = await read(path, { ...options, wholeFileBytes: 0 });
      expect(createGunzip).toHaveBeenCalled();
      createGunzip.mockClear();
      expect(whole).toEqual(streamed);
      expect(whole.records.length).toBe(options === skimming ? 40 : 200);
      expect(whole.records.every(({ id, index, line }) => id === `id-${index}` && line === index + 1)).toBe(true);
    }
  });

  it('a first line whose form depends on where the stream cuts is left to the stream', async () => {
    // Not JSON by itself and followed by a line that starts with "{": detectForm looks past the line break.
    const path = write('odd.json.gz', zlib.gzipSync(`{"Records": [${JSON.stringify(record(1))}\n${JSON.stringify(record(2))}]}`));
    const { errors } = await read(path);
    expect(createGunzip).toHaveBeenCalled();
    expect(errors.length).toBeGreaterThan(0);
  });

  it('content over wholeFileBytes streams: by the size the gzip trailer gives, and by the bound when the trailer lies', async () => {
    const text = logFile(2000);
    const packed = zlib.gzipSync(text);
    const honest = write('big.json.gz', packed);
    const expected = await read(honest, { ...skimming, wholeFileBytes: 64 * 1024 });
    expect(createGunzip).toHaveBeenCalled();
    expect(expected.records.length).toBe(400);
    // A bomb's trailer can claim a few bytes: here a last, empty member, so the file is valid and its
    // trailer says 0. Gunzipping stops at the bound and the stream reads it.
    const bomb = write('bomb.json.gz', Buffer.concat([packed, zlib.gzipSync('')]));
    createGunzip.mockClear();
    expect(await read(bomb, { ...skimming, wholeFileBytes: 64 * 1024 })).toEqual(expected);
    expect(createGunzip).toHaveBeenCalled();
    // Within the bound the same members are gunzipped whole.
    createGunzip.mockClear();
    expect(await read(bomb, skimming)).toEqual(expected);
    expect(createGunzip).not.toHaveBeenCalled();
  });

  it('a truncated gzipped log file keeps the records before the break, names the file, and the next file is read', async () => {
    const root = mkdtempSync(join(tmpdir(), 'leuko-gz-dir-'));
    const packed = zlib.gzipSync(logFile(3000));
    writeFileSync(join(root, 'a.json.gz'), packed.subarray(0, Math.floor(packed.length / 2)));
    writeFileSync(join(root, 'b.json.gz'), zlib.gzipSync(logFile(10)));
    const { records, errors } = await read(root, {}, true);
    expect(errors).toEqual([expect.stringMatching(/a\.json\.gz: gzip stream broken \(truncated or corrupt\)/)]);
    const before = records.slice(0, -10);
    expect(before.length).toBeGreaterThan(0);
    expect(before.length).toBeLessThan(3000);
    expect(before.map(({ id }) => id)).toEqual(before.map((_, index) => `id-${index}`));
    expect(records.slice(-10).map(({ id }) => id)).toEqual(Array.from({ length: 10 }, (_, index) => `id-${index}`));
  });

  it('an empty gzipped file and a gzipped blank file are reported as empty, as when streamed', async () => {
    for (const [name, content] of [['empty.json.gz', ''], ['blank.json.gz', '  \n ']] as const) {
      const path = write(name, zlib.gzipSync(content));
      const whole = await read(path);
      expect(whole.errors).toEqual([expect.stringMatching(/empty file/)]);
      expect(whole).toEqual(await read(path, { wholeFileBytes: 0 }));
    }
  });
});
