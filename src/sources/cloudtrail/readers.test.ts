// Readers: every form users have, gzip, and what happens with broken input (reported, the rest goes on).
import { mkdtempSync, writeFileSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync, createGzip } from 'node:zlib';
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { InputError } from '../../core/errors.js';
import { createReadStats, readCloudTrailDirectory, readCloudTrailFile, type SourcedRecord } from './readers.js';

const dir = mkdtempSync(join(tmpdir(), 'leuko-ct-'));

function record(index: number, extra: Record<string, unknown> = {}) {
  return {
    eventVersion: '1.09',
    eventTime: `2024-08-01T12:00:${String(index % 60).padStart(2, '0')}Z`,
    eventSource: 'ec2.amazonaws.com',
    eventName: 'DescribeInstances',
    awsRegion: 'eu-west-1',
    eventID: `id-${index}`,
    userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::123456789012:user/alice', accountId: '123456789012' },
    requestParameters: { note: 'a } brace and a "quote" and ] bracket in a string' },
    ...extra,
  };
}

async function readAll(path: string, options: { wholeFileBytes?: number } = {}) {
  const errors: InputError[] = [];
  const stats = createReadStats();
  const records: SourcedRecord[] = [];
  for await (const item of readCloudTrailFile(path, { ...options, stats, onError: (error) => errors.push(error) })) records.push(item);
  return { records, errors, stats };
}

function write(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe('readCloudTrailFile forms', () => {
  const three = [record(0), record(1), record(2)];

  it.each([
    ['a CloudTrail log file', 'log.json', JSON.stringify({ Records: three })],
    ['a pretty-printed log file', 'pretty.json', JSON.stringify({ Records: three }, null, 2)],
    ['a bare array', 'array.json', JSON.stringify(three)],
    ['JSON Lines', 'lines.jsonl', three.map((item) => JSON.stringify(item)).join('\n') + '\n'],
    ['JSON Lines of EventBridge envelopes', 'eb.jsonl', three.map((item) => JSON.stringify({ version: '0', 'detail-type': 'AWS API Call via CloudTrail', source: 'aws.ec2', detail: item })).join('\n')],
    ['an array of EventBridge envelopes', 'eb.json', JSON.stringify(three.map((item) => ({ 'detail-type': 'AWS API Call via CloudTrail', source: 'aws.ec2', detail: item })))],
  ])('%s', async (_label, name, content) => {
    for (const path of [write(name, content), write(`${name}.gz`, gzipSync(content))]) {
      for (const wholeFileBytes of [undefined, 64]) {
        const { records, errors } = await readAll(path, wholeFileBytes ? { wholeFileBytes } : {});
        expect(errors).toEqual([]);
        expect(records.map((item) => item.record.eventID)).toEqual(['id-0', 'id-1', 'id-2']);
        expect(records[2]?.source.file).toBe(path);
      }
    }
  });

  it('a first line longer than form detection looks at reads the same whether its characters take 1, 2 or 3 bytes', async () => {
    // Form detection reads the first 64 Ki characters; a file is only decoded for it when its first 192 KiB
    // hold a line break, which these 70 Ki characters of 1, 2 and 3 bytes put before and after.
    const outcomes = [];
    for (const [name, letter] of [['ascii.jsonl', 'a'], ['latin.jsonl', 'é'], ['cjk.jsonl', '日']] as const) {
      const text = `${JSON.stringify(record(0, { userAgent: letter.repeat(70_000) }))}\n${JSON.stringify(record(1))}\n`;
      const path = write(name, text);
      const { records, errors } = await readAll(path);
      outcomes.push({ ids: records.map((item) => item.record.eventID), errors: errors.map((error) => error.message.replace(path, 'FILE')) });
    }
    expect(outcomes[1]).toEqual(outcomes[0]);
    expect(outcomes[2]).toEqual(outcomes[0]);
    // 30 Ki characters of 3 bytes: past 64 KiB of bytes, yet a line detection sees whole.
    const path = write('cjk-short.jsonl', `${JSON.stringify(record(0, { userAgent: '日'.repeat(30_000) }))}\n${JSON.stringify(record(1))}\n`);
    const { records, errors } = await readAll(path);
    expect(errors).toEqual([]);
    expect(records.map((item) => [item.record.eventID, item.source.line])).toEqual([['id-0', 1], ['id-1', 2]]);
  });

  it('JSON Lines whose first line is longer than form detection looks at are still read as lines, whole or streamed, plain or gzipped', async () => {
    // A record can be long (a large requestParameters); such a file used to give no records and no error.
    const text = `${JSON.stringify(record(0, { userAgent: 'a'.repeat(100_000) }))}\n${JSON.stringify(record(1))}\n${JSON.stringify(record(2))}\n`;
    for (const path of [write('long-first.jsonl', text), write('long-first.jsonl.gz', gzipSync(text))]) {
      for (const wholeFileBytes of [undefined, 64]) {
        const { records, errors } = await readAll(path, wholeFileBytes ? { wholeFileBytes } : {});
        expect(errors, `${path} ${wholeFileBytes}`).toEqual([]);
        expect(records.map((item) => [item.record.eventID, item.source.line])).toEqual([['id-0', 1], ['id-1', 2], ['id-2', 3]]);
      }
    }
  });

  it('a file that parses to nothing a reader knows is reported, never passed over in silence', async () => {
    // Neither a log file nor records: an object without "Records", read whole, or streamed (over the
    // whole-file bound and longer than a first line is waited for) through the record splitter.
    const text = JSON.stringify({ Items: { count: 0 }, padding: 'x'.repeat(1_100_000) });
    for (const wholeFileBytes of [undefined, 64]) {
      const path = write('not-records.json', text);
      const { records, errors } = await readAll(path, wholeFileBytes ? { wholeFileBytes } : {});
      expect(records).toEqual([]);
      expect(errors.map((error) => error.message.replace(path, 'FILE')), `${wholeFileBytes}`).toEqual([
        wholeFileBytes ? 'FILE: no records: expected a CloudTrail log file ({"Records": [...]}), an array of records or JSON Lines' : 'FILE [record 0]: record has no eventName',
      ]);
    }
  });

  it('a single EventBridge envelope gives its detail; another kind of event is skipped, not an error', async () => {
    const one = await readAll(write('one.json', JSON.stringify({ 'detail-type': 'AWS API Call via CloudTrail', source: 'aws.s3', detail: record(7) }, null, 2)));
    expect(one.records.map((item) => item.record.eventID)).toEqual(['id-7']);
    const other = await readAll(write('config.json', JSON.stringify({ 'detail-type': 'Config Configuration Item Change', source: 'aws.config', detail: { configurationItem: {} } })));
    expect(other.records).toEqual([]);
    expect(other.errors).toEqual([]);
    expect(other.stats.skipped).toBe(1);
  });

  it('JSON Lines keep line numbers; a malformed line is reported with its line and the rest is read', async () => {
    const lines = [JSON.stringify(record(0)), '{"eventName": "Broken", ', JSON.stringify(record(2)), '', JSON.stringify(record(4))];
    const path = write('bad.jsonl', lines.join('\n'));
    const { records, errors } = await readAll(path);
    expect(records.map((item) => [item.record.eventID, item.source.line])).toEqual([['id-0', 1], ['id-2', 3], ['id-4', 5]]);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toContain(`${path}:2`);
    expect(errors[0]?.message).toContain('malformed JSON');
  });

  it('a malformed record inside a log file costs that record only', async () => {
    const text = `{"Records":[${JSON.stringify(record(0))},{"eventName": tru},${JSON.stringify(record(2))}]}`;
    const { records, errors } = await readAll(write('bad-record.json', text));
    expect(records.map((item) => item.record.eventID)).toEqual(['id-0', 'id-2']);
    expect(errors.map((error) => error.message)).toEqual([expect.stringContaining('[record 1]: malformed JSON')]);
  });

  it('wrong types are reported by record: a string, a number, a record without eventName', async () => {
    const text = JSON.stringify({ Records: [record(0), 'text', 42, { eventSource: 'x' }, record(4)] });
    const { records, errors } = await readAll(write('types.json', text));
    expect(records.map((item) => item.record.eventID)).toEqual(['id-0', 'id-4']);
    expect(errors).toHaveLength(3);
    expect(errors[2]?.message).toMatch(/\[record 3\]: record has no eventName/);
  });

  it('odd field types never crash: numbers for strings, strings for booleans, nulls', async () => {
    const text = JSON.stringify([record(0, { userIdentity: 'nobody', requestParameters: [1, 2], responseElements: null, readOnly: 'true', errorCode: 5 })]);
    const { records, errors } = await readAll(write('odd.json', text));
    expect(errors).toEqual([]);
    expect(records[0]?.record).toMatchObject({ userIdentity: {}, readOnly: true });
    expect(records[0]?.record.errorCode).toBeUndefined();
  });

  it('a truncated gzip keeps the records before the break and reports the file', async () => {
    const lines = Array.from({ length: 2000 }, (_, index) => JSON.stringify(record(index))).join('\n');
    const full = gzipSync(lines);
    const path = write('truncated.jsonl.gz', full.subarray(0, Math.floor(full.length / 2)));
    const { records, errors } = await readAll(path);
    expect(records.length).toBeGreaterThan(0);
    expect(records.length).toBeLessThan(2000);
    expect(errors.map((error) => error.message)).toEqual([expect.stringMatching(/truncated\.jsonl\.gz: gzip stream broken/)]);
  });

  it('not JSON at all, an empty file, and a missing file are reported', async () => {
    expect((await readAll(write('text.json', 'hello world'))).errors[0]?.message).toMatch(/text\.json: (malformed JSON|not JSON)/);
    expect((await readAll(write('empty.json', ''))).errors[0]?.message).toMatch(/empty\.json: empty file/);
    expect((await readAll(join(dir, 'missing.json'))).errors[0]?.message).toMatch(/missing\.json: cannot read/);
  });

  it('a directory: every record file, recursively, digests and other files ignored', async () => {
    const root = mkdtempSync(join(tmpdir(), 'leuko-ct-dir-'));
    const nested = join(root, 'AWSLogs', '123456789012', 'CloudTrail', 'eu-west-1');
    const digest = join(root, 'AWSLogs', '123456789012', 'CloudTrail-Digest');
    for (const path of [nested, digest]) (await import('node:fs')).mkdirSync(path, { recursive: true });
    writeFileSync(join(nested, 'a.json.gz'), gzipSync(JSON.stringify({ Records: [record(0)] })));
    writeFileSync(join(nested, 'b.json'), JSON.stringify({ Records: [record(1)] }));
    writeFileSync(join(nested, 'notes.txt'), 'not a log');
    writeFileSync(join(digest, 'd.json.gz'), gzipSync(JSON.stringify({ digestStartTime: 'x' })));
    const ids: string[] = [];
    for await (const item of readCloudTrailDirectory(root)) ids.push(item.record.eventID ?? '');
    expect(ids).toEqual(['id-0', 'id-1']);
  });
});

describe('bounded memory', () => {
  it('a ~50 MB log file streams: it reads in a process whose heap is smaller than the file', async () => {
    for (const gzip of [false, true]) {
      const path = join(dir, gzip ? 'big.json.gz' : 'big.json');
      const sink = gzip ? createGzip() : undefined;
      const file = createWriteStream(path);
      const out = sink ? (sink.pipe(file), sink) : file;
      const count = 45_000;
      const padding = 'x'.repeat(1000);
      out.write('{"Records":[');
      for (let index = 0; index < count; index++) {
        const chunk = (index ? ',' : '') + JSON.stringify(record(index, { userAgent: padding }));
        if (!out.write(chunk)) await once(out, 'drain');
      }
      out.end(']}');
      await once(file, 'close');
      // 40 MB of heap cannot hold the file's text, let alone its parsed records: only streaming gets through.
      const child = spawnSync(
        process.execPath,
        ['--max-old-space-size=40', '--import', 'tsx', fileURLToPath(new URL('../../../test/cloudtrail/support/read-count.ts', import.meta.url)), path],
        { encoding: 'utf8', timeout: 120_000 },
      );
      expect(child.stderr).toBe('');
      expect(JSON.parse(child.stdout)).toMatchObject({ records: count, errors: 0 });
    }
  }, 180_000);
});
