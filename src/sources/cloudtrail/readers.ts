// Reads CloudTrail records from files and directories in every form users have, streaming, never stopping on a bad file.
import { createReadStream } from 'node:fs';
import { open, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip, gunzipSync } from 'node:zlib';
import { InputError, errorMessage } from '../../core/errors.js';
import { isObject, validateRecord, type CloudTrailRecord, type JsonObject } from './record.js';
import { lineFilterOf, RecordSplitter, skimLogBytes, skimOf, type RecordSkim, type SkimmedLogFile } from './splitter.js';

/** Where a record came from: the file, its index in the file, and its line for JSON Lines. */
export interface RecordSource {
  readonly file: string;
  readonly index: number;
  readonly line?: number;
}

export interface SourcedRecord {
  readonly record: CloudTrailRecord;
  readonly source: RecordSource;
}

export interface ReadStats {
  files: number;
  /** Valid records yielded. */
  records: number;
  /** Items that were not CloudTrail API records (other EventBridge events). */
  skipped: number;
  /** Records dropped by `prefilter` or `select`: no mapper or detection looks at them. */
  filtered: number;
  errors: number;
}

export interface ReadOptions {
  /** Called for each problem (a malformed file, line or record); reading goes on with the rest. */
  readonly onError?: (error: InputError) => void;
  /**
   * Cheap test on a record's raw text before it is parsed: false skips the record unparsed (so it is not
   * validated either). Applies to JSON Lines and streamed log files, not to small files parsed whole.
   */
  readonly prefilter?: (text: string) => boolean;
  /**
   * Test on a parsed record before it is validated: false drops it (counted in `filtered`). Lets a
   * caller skip the work for records it will not look at, even in files parsed whole.
   */
  readonly select?: (value: JsonObject) => boolean;
  /** Files (decompressed) up to this size are parsed whole, which is fastest; larger ones stream. */
  readonly wholeFileBytes?: number;
  readonly stats?: ReadStats;
}

export function createReadStats(): ReadStats {
  return { files: 0, records: 0, skipped: 0, filtered: 0, errors: 0 };
}

/** CloudTrail delivers files of a few MB at most; bigger ones (exports) stream. */
const DEFAULT_WHOLE_FILE_BYTES = 8 * 1024 * 1024;
/**
 * A streamed file whose first line is longer than this (or than the whole-file bound) is taken for one
 * document, a log file on one line; no CloudTrail record comes near it (events are at most 256 KB).
 */
const MAX_FIRST_LINE_CHARS = 1024 * 1024;
const EVENTBRIDGE_CLOUDTRAIL = /^AWS (API Call|Console Sign In|Service Event) via CloudTrail$/;

interface Sink {
  readonly file: string;
  readonly options: ReadOptions;
  readonly stats: ReadStats;
  readonly out: SourcedRecord[];
}

function report(sink: Sink, message: string, where?: { index?: number; line?: number }, cause?: unknown): void {
  sink.stats.errors++;
  const place = where?.line !== undefined ? `${sink.file}:${where.line}` : where?.index !== undefined ? `${sink.file} [record ${where.index}]` : sink.file;
  sink.options.onError?.(new InputError(message, place, cause));
}

/**
 * One parsed JSON value to records: an EventBridge envelope gives its `detail`, a log file object its
 * Records, an array its elements (each of which may be an envelope), anything else is a record itself.
 */
function collect(sink: Sink, value: unknown, index: number, line: number | undefined): void {
  if (Array.isArray(value)) {
    // Plain loops and positional arguments: this runs once per record of every file.
    for (let item = 0; item < value.length; item++) collect(sink, value[item], item, line);
    return;
  }
  if (isObject(value)) {
    const records = value.Records;
    if (Array.isArray(records)) {
      for (let item = 0; item < records.length; item++) collect(sink, records[item], item, line);
      return;
    }
    if (isObject(value.detail) && (typeof value['detail-type'] === 'string' || typeof value.source === 'string')) {
      const detailType = value['detail-type'];
      const detail = value.detail;
      if ((typeof detailType === 'string' && EVENTBRIDGE_CLOUDTRAIL.test(detailType)) || typeof detail.eventName === 'string') {
        collect(sink, detail, index, line);
      } else {
        // Config, Security Hub, health events…: not CloudTrail, not an error either.
        sink.stats.skipped++;
      }
      return;
    }
    if (sink.options.select && !sink.options.select(value)) {
      sink.stats.filtered++;
      return;
    }
  }
  const checked = validateRecord(value);
  if (!checked.ok) {
    report(sink, checked.reason, line !== undefined ? { index, line } : { index });
    return;
  }
  sink.stats.records++;
  sink.out.push({ record: checked.record, source: line !== undefined ? { file: sink.file, index, line } : { file: sink.file, index } });
}

function parseText(sink: Sink, text: string, where: { index: number; line?: number }): void {
  if (sink.options.prefilter && !sink.options.prefilter(text)) {
    sink.stats.filtered++;
    return;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    report(sink, `malformed JSON: ${errorMessage(error)}`, where, error);
    return;
  }
  collect(sink, value, where.index, where.line);
}

/**
 * The records a skim kept, decoded from the file's bytes and parsed, and collected as the whole file's
 * records would be; the rest count as filtered.
 */
function parseKept(sink: Sink, bytes: Buffer, skimmed: SkimmedLogFile): void {
  const { kept } = skimmed;
  sink.stats.filtered += skimmed.records - kept.length / 3;
  for (let at = 0; at < kept.length; at += 3) {
    const index = kept[at]!;
    let value: unknown;
    try {
      value = JSON.parse(bytes.toString('utf8', kept[at + 1], kept[at + 2]));
    } catch (error) {
      report(sink, `malformed JSON: ${errorMessage(error)}`, { index }, error);
      continue;
    }
    collect(sink, value, index, undefined);
  }
}

/**
 * A CloudTrail log file read by skimming its bytes: only the records `skim` keeps are decoded and parsed.
 * False when the file is not a plain log file, for the ordinary path to read.
 */
function parseSkimmed(sink: Sink, bytes: Buffer, skim: RecordSkim): boolean {
  const skimmed = skimLogBytes(bytes, skim);
  if (!skimmed) return false;
  parseKept(sink, bytes, skimmed);
  return true;
}

/** The ASCII characters String#trim removes: tab, line feed, vertical tab, form feed, carriage return, space. */
function isTrimSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13);
}

async function isGzip(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const { bytesRead, buffer } = await handle.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

type Form = 'lines' | 'document';

/** Characters of a file's head that form detection reads. */
const HEAD_CHARS = 1 << 16;
/** Bytes that hold the first HEAD_CHARS characters of a decoded file: a UTF-16 unit comes from at most 3 bytes. */
const HEAD_BYTES = 3 * HEAD_CHARS;

/**
 * JSON Lines when the first line is a whole JSON value and more follows it; otherwise one JSON document
 * (an array, a log file object, an envelope, possibly pretty-printed).
 */
function detectForm(head: string, complete: boolean): Form {
  const newline = head.indexOf('\n');
  if (newline === -1) return 'document';
  const first = head.slice(0, newline).trim();
  if (!first.startsWith('{')) return 'document';
  const rest = head.slice(newline + 1).trimStart();
  if (rest === '' && complete) return 'document';
  try {
    JSON.parse(first);
    return 'lines';
  } catch {
    // A pretty-printed document starts with a line like "{" that is not JSON by itself.
    return first === '{' || first.endsWith(',') || first.endsWith('[') ? 'document' : rest.startsWith('{') ? 'lines' : 'document';
  }
}

/**
 * Whether `bytes` decoded hold a line break in their first HEAD_CHARS characters, where detectForm looks:
 * those come from at most the first HEAD_BYTES bytes, and a line break is the same byte decoded or not.
 * Without one the file is one document, whatever else its head holds.
 */
function mayBeLines(bytes: Buffer): boolean {
  return bytes.subarray(0, HEAD_BYTES).indexOf(10) !== -1;
}

/**
 * The form the streamed read would detect in decompressed `bytes`, or undefined where that could depend on
 * where the stream's chunks end (it decides on the chunks up to the one that holds the first line break, so
 * a first line that does not parse is judged by what that chunk holds after it).
 */
function streamedFormOf(bytes: Buffer): Form | undefined {
  const newline = bytes.indexOf(10);
  if (newline === -1) return 'document';
  const line = bytes.toString('utf8', 0, newline);
  const first = line.trim();
  // detectForm's answers that hold wherever its head ends (such a line never parses).
  if (!first.startsWith('{') || first === '{' || first.endsWith(',') || first.endsWith('[')) return 'document';
  try {
    JSON.parse(first);
    return 'lines';
  } catch {
    // detectForm then looks at what follows the line break in its head.
    return undefined;
  }
}

/** Output chunk when a gzip trailer claims less (zlib's own default is 16 KiB). */
const MIN_GUNZIP_CHUNK = 64 * 1024;

/**
 * A gzipped file's content when it (and the file) are at most `limit` bytes, so it can be read whole; else,
 * or when it does not gunzip, undefined: the stream reads it and reports what is wrong.
 */
async function gunzipWhole(path: string, limit: number): Promise<Buffer | undefined> {
  if (limit < 1) return undefined;
  try {
    if ((await stat(path)).size > limit) return undefined;
    const packed = await readFile(path);
    // The last member's size mod 2^32: a hint that spares decompressing what would be refused, and the size
    // of the one output chunk (no joining of 16 KiB chunks: ~20% of gunzip's time). The bound itself is
    // maxOutputLength: a gzip bomb stops there, whatever its trailer says.
    const size = packed.length >= 18 ? packed.readUInt32LE(packed.length - 4) : 0;
    if (size > limit) return undefined;
    return gunzipSync(packed, { maxOutputLength: limit, chunkSize: Math.max(size + 1, MIN_GUNZIP_CHUNK) });
  } catch {
    return undefined;
  }
}

/**
 * Reads one file (plain or gzipped: detected by its magic bytes) as an async iterable of records with
 * their position. Problems are reported through `onError` as InputError naming the file (and line or
 * record index); the records before and after a bad one still come out.
 */
export async function* readCloudTrailFile(path: string, options: ReadOptions = {}): AsyncGenerator<SourcedRecord> {
  const stats = options.stats ?? createReadStats();
  stats.files++;
  const out: SourcedRecord[] = [];
  const sink: Sink = { file: path, options, stats, out };
  let gzip: boolean;
  try {
    gzip = await isGzip(path);
  } catch (error) {
    report(sink, `cannot read: ${errorMessage(error)}`, undefined, error);
    return;
  }
  const whole = options.wholeFileBytes ?? DEFAULT_WHOLE_FILE_BYTES;
  const errorsBefore = stats.errors;

  let form: Form | undefined;
  let head = '';
  const buffered: string[] = [];
  let bufferedLength = 0;
  let streaming = false;
  // JSON Lines state.
  let carry = '';
  let line = 0;
  // Document state when streamed.
  const splitter = new RecordSplitter(
    (text, index) => parseText(sink, text, { index }),
    (index, what) => report(sink, `expected a record object, found ${what}`, { index }),
  );

  const feedLines = (chunk: string, final: boolean) => {
    let text = carry + chunk;
    let from = 0;
    for (;;) {
      const end = text.indexOf('\n', from);
      if (end === -1) break;
      line++;
      const item = text.slice(from, end).trim();
      if (item !== '') parseText(sink, item, { index: line - 1, line });
      from = end + 1;
    }
    text = text.slice(from);
    if (final) {
      if (text.trim() !== '') {
        line++;
        parseText(sink, text.trim(), { index: line - 1, line });
      }
      carry = '';
    } else carry = text;
  };

  // Skimming applies where records may be skipped unparsed (a prefilter is given) and `select` has a skim
  // equivalent: its decisions are then the same, without parsing the records it drops.
  const skim = options.prefilter ? skimOf(options.select) : undefined;

  /** A document small enough to parse at once; if it does not parse, it is split so only broken records are lost. */
  /** `skimmed`: the file's bytes were skimmed already and are not a plain log file. */
  const parseWhole = (text: string, skimmed = false) => {
    if (text.trim() === '') {
      report(sink, 'empty file');
      return;
    }
    // Text decoded already (a head with a line break, a buffered stream) is skimmed as its UTF-8 again.
    if (skim && !skimmed && parseSkimmed(sink, Buffer.from(text, 'utf8'), skim)) return;
    let value: unknown;
    let parsed = false;
    try {
      value = JSON.parse(text);
      parsed = true;
    } catch (error) {
      // JSON Lines whose first line is longer than the head form detection reads: lines after all.
      if (detectForm(text, true) === 'lines') {
        feedLines(text, true);
        return;
      }
      const before = stats.errors;
      splitter.push(text);
      if (splitter.kind === 'other' || (splitter.incomplete && stats.errors === before && splitter.index === 0))
        report(sink, `malformed JSON: ${errorMessage(error)}`, undefined, error);
      else if (splitter.incomplete) report(sink, `malformed JSON: the file ends inside a record or is not closed`, undefined, error);
      // Nothing found and nothing said would lose the file silently.
      else if (splitter.index === 0 && stats.errors === before) report(sink, `malformed JSON: ${errorMessage(error)}`, undefined, error);
    }
    if (parsed) collect(sink, value, 0, undefined);
  };

  // Decoded here rather than by setEncoding: JSON Lines with a byte-level prefilter are read as bytes, and
  // only the lines it keeps are decoded (most of a trail is never turned into a string).
  const decoder = new StringDecoder('utf8');
  const lineFilter = lineFilterOf(options.prefilter);
  const headBytes: Buffer[] = [];
  let bytesMode = false;
  let carryBytes: Buffer | undefined;

  /** One line's bytes [start, end): trimmed as String#trim would, tested on bytes, decoded only if kept. */
  const lineOfBytes = (bytes: Buffer, start: number, end: number) => {
    line++;
    while (start < end && isTrimSpace(bytes[start]!)) start++;
    while (end > start && isTrimSpace(bytes[end - 1]!)) end--;
    if (start === end) return;
    if (bytes[start]! >= 0x80 || bytes[end - 1]! >= 0x80) {
      // Maybe a Unicode space at an edge: decode and trim as the text path does.
      const item = bytes.toString('utf8', start, end).trim();
      if (item !== '') parseText(sink, item, { index: line - 1, line });
      return;
    }
    if (!lineFilter!(bytes, start, end)) {
      stats.filtered++;
      return;
    }
    parseText(sink, bytes.toString('utf8', start, end), { index: line - 1, line });
  };

  const feedLineBytes = (bytes: Buffer, final: boolean) => {
    let from = 0;
    if (carryBytes !== undefined) {
      const end = bytes.indexOf(10);
      if (end === -1) {
        carryBytes = Buffer.concat([carryBytes, bytes]);
        if (final) {
          const last = carryBytes;
          carryBytes = undefined;
          lastLineOfBytes(last, 0, last.length);
        }
        return;
      }
      const joined = Buffer.concat([carryBytes, bytes.subarray(0, end)]);
      carryBytes = undefined;
      lineOfBytes(joined, 0, joined.length);
      from = end + 1;
    }
    for (;;) {
      const end = bytes.indexOf(10, from);
      if (end === -1) break;
      lineOfBytes(bytes, from, end);
      from = end + 1;
    }
    if (from < bytes.length) {
      if (final) lastLineOfBytes(bytes, from, bytes.length);
      else carryBytes = Buffer.from(bytes.subarray(from));
    }
  };

  /** The text after the last newline counts as a line only if it holds something (as feedLines counts it). */
  const lastLineOfBytes = (bytes: Buffer, start: number, end: number) => {
    if (bytes.toString('utf8', start, end).trim() !== '') lineOfBytes(bytes, start, end);
  };

  const onText = (chunk: string) => {
    if (form === undefined) {
      head += chunk;
      // Up to the first line break, however long the first line (one record can be long), within a bound.
      if (head.indexOf('\n') === -1 && head.length < Math.max(whole, MAX_FIRST_LINE_CHARS)) return;
      form = detectForm(head, false);
      const start = head;
      head = '';
      if (form === 'lines' && lineFilter) {
        bytesMode = true;
        for (const bytes of headBytes.splice(0)) feedLineBytes(bytes, false);
      } else if (form === 'lines') feedLines(start, false);
      else {
        buffered.push(start);
        bufferedLength += start.length;
      }
      headBytes.length = 0;
    } else if (form === 'lines') feedLines(chunk, false);
    else if (streaming) splitter.push(chunk);
    else {
      buffered.push(chunk);
      bufferedLength += chunk.length;
      if (bufferedLength > whole) {
        // Too big to parse whole: stream what is buffered and the rest through the splitter.
        streaming = true;
        for (const part of buffered.splice(0)) splitter.push(part);
      }
    }
  };

  // A small plain file is read in one call: no stream, no chunk joining; a log file is skimmed on its bytes.
  if (!gzip) {
    let size = Number.POSITIVE_INFINITY;
    try {
      size = (await stat(path)).size;
    } catch {
      // The stream below reports it.
    }
    if (size <= whole) {
      let bytes: Buffer | undefined;
      try {
        bytes = await readFile(path);
      } catch (error) {
        report(sink, `cannot read: ${errorMessage(error)}`, undefined, error);
      }
      if (bytes !== undefined) {
        // Decoded whole only where the form needs the text, or the skim gives the file back.
        const text = mayBeLines(bytes) ? bytes.toString('utf8') : undefined;
        if (bytes.length === 0) report(sink, 'empty file');
        else if (text !== undefined && detectForm(text.slice(0, HEAD_CHARS), text.length <= HEAD_CHARS) === 'lines') feedLines(text, true);
        else if (!skim || !parseSkimmed(sink, bytes, skim)) parseWhole(text ?? bytes.toString('utf8'), true);
      }
      if (out.length > 0) yield* out.splice(0);
      return;
    }
  }

  // A gzipped file whose content is small enough is gunzipped in one call and read as the stream below would
  // read it, bar chunking: where that could matter (or when it is too big or broken) the stream reads it.
  const content = gzip ? await gunzipWhole(path, whole) : undefined;
  const contentForm = content && content.length > 0 ? streamedFormOf(content) : undefined;
  if (content && content.length === 0) {
    report(sink, 'empty file');
    return;
  }
  if (content && contentForm === 'lines') {
    if (lineFilter) {
      feedLineBytes(content, false);
      feedLineBytes(Buffer.alloc(0), true);
    } else {
      feedLines(content.toString('utf8'), false);
      feedLines('', true);
    }
    if (out.length > 0) yield* out.splice(0);
    return;
  }
  if (content && contentForm === 'document') {
    if (!skim || !parseSkimmed(sink, content, skim)) parseWhole(content.toString('utf8'), true);
    if (out.length > 0) yield* out.splice(0);
    return;
  }

  // Created only now: a paused stream still reads ahead and decodes, which the one-call path must not pay for.
  const raw = createReadStream(path, { highWaterMark: 1 << 20 });
  // Big output chunks: the default 16 KiB makes a 1 MB log file ~70 trips through the loop below.
  const stream = gzip ? raw.pipe(createGunzip({ chunkSize: 1 << 20 })) : raw;
  if (gzip) raw.on('error', (error) => stream.destroy(error));

  let failed: unknown;
  try {
    for await (const piece of stream) {
      const bytes = piece as Buffer;
      if (bytesMode) feedLineBytes(bytes, false);
      else {
        if (form === undefined && lineFilter) headBytes.push(bytes);
        const chunk = decoder.write(bytes);
        if (chunk !== '') onText(chunk);
      }
      // Hand over what this chunk produced before reading more, so memory stays bounded.
      if (out.length > 0) yield* out.splice(0);
    }
  } catch (error) {
    failed = error;
  }
  if (failed === undefined && !bytesMode) {
    const tail = decoder.end();
    if (tail !== '') onText(tail);
  }
  if (form === undefined && head !== '') {
    form = detectForm(head, true);
    if (form === 'lines' && lineFilter) {
      bytesMode = true;
      for (const bytes of headBytes.splice(0)) feedLineBytes(bytes, false);
    } else if (form === 'lines') feedLines(head, false);
    else buffered.push(head);
  }
  // After a broken stream the last partial line is a fragment, not a record: it is not reported twice.
  if (form === 'lines') {
    if (failed === undefined) {
      if (bytesMode) feedLineBytes(Buffer.alloc(0), true);
      else feedLines('', true);
    }
  } else if (form === undefined && failed === undefined) report(sink, 'empty file');
  else if (!streaming && buffered.length > 0 && failed === undefined) {
    const text = buffered.join('');
    buffered.length = 0;
    parseWhole(text);
  } else if (streaming || (failed !== undefined && buffered.length > 0)) {
    if (!streaming) for (const part of buffered.splice(0)) splitter.push(part);
    if (splitter.kind === 'other') report(sink, 'not JSON: expected an array, an object or JSON Lines');
    else if (splitter.incomplete && failed === undefined) report(sink, 'malformed JSON: the file ends inside a record or is not closed');
    // Read to the end, nothing found, nothing said: an object with no "Records" array, too big to read whole.
    else if (splitter.index === 0 && failed === undefined && stats.errors === errorsBefore)
      report(sink, 'no records: expected a CloudTrail log file ({"Records": [...]}), an array of records or JSON Lines');
  }
  if (failed !== undefined) {
    const message = gzip ? `gzip stream broken (truncated or corrupt): ${errorMessage(failed)}` : `read failed: ${errorMessage(failed)}`;
    report(sink, message, undefined, failed);
  }
  if (out.length > 0) yield* out.splice(0);
}

/** Names a CloudTrail reader takes from a directory: JSON, JSON Lines and their gzipped forms. */
const RECORD_FILE = /\.(json|jsonl|ndjson|log)(\.gz)?$|\.gz$/i;

async function listFiles(dir: string, onError: (error: InputError) => void): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    onError(new InputError(`cannot read directory: ${errorMessage(error)}`, dir, error));
    return [];
  }
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await listFiles(path, onError)));
    // Digest files are CloudTrail's integrity proofs, not events.
    else if (entry.isFile() && RECORD_FILE.test(entry.name) && !path.includes('CloudTrail-Digest')) files.push(path);
  }
  return files;
}

/** Every record of every CloudTrail file under `dir` (recursively, in name order). */
export async function* readCloudTrailDirectory(dir: string, options: ReadOptions = {}): AsyncGenerator<SourcedRecord> {
  const stats = options.stats ?? createReadStats();
  const onError = (error: InputError) => {
    stats.errors++;
    options.onError?.(error);
  };
  for (const file of await listFiles(dir, onError)) yield* readCloudTrailFile(file, { ...options, stats });
}

/** Files and directories alike, in the order given. */
export async function* readCloudTrailPaths(paths: readonly string[], options: ReadOptions = {}): AsyncGenerator<SourcedRecord> {
  const stats = options.stats ?? createReadStats();
  for (const path of paths) {
    let isDir: boolean;
    try {
      isDir = (await stat(path)).isDirectory();
    } catch (error) {
      stats.errors++;
      options.onError?.(new InputError(`cannot read: ${errorMessage(error)}`, path, error));
      continue;
    }
    if (isDir) yield* readCloudTrailDirectory(path, { ...options, stats });
    else yield* readCloudTrailFile(path, { ...options, stats });
  }
}
