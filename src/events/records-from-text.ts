// CloudTrail records from one body held in memory (an SQS message, an HTTP request, an S3 object): every form the
// file readers accept, plus the S3 and SNS notifications that only point at a log object to fetch.
import { InputError, errorMessage } from '../core/errors.js';
import type { RecordSource, SourcedRecord } from '../sources/cloudtrail/readers.js';
import { isObject, validateRecord, type JsonObject } from '../sources/cloudtrail/record.js';

/** A CloudTrail log object a notification points at; its records are read from S3. */
export interface S3ObjectRef {
  readonly bucket: string;
  readonly key: string;
  /** The bucket's region when the notification says it (S3 event notifications do). */
  readonly region?: string;
}

export interface TextRecords {
  readonly records: SourcedRecord[];
  /** Log objects named by S3 event notifications, EventBridge "Object Created" events or CloudTrail's SNS notices. */
  readonly objects: S3ObjectRef[];
  /** Problems with single records; the others are kept. */
  readonly errors: InputError[];
  /** Items that are neither CloudTrail records nor log-object notices (other EventBridge events, S3 test events). */
  readonly skipped: number;
}

export interface TextOptions {
  /** A parsed record object is kept only if this says so (the interest filter's `value`). */
  readonly select?: (value: JsonObject) => boolean;
}

const EVENTBRIDGE_CLOUDTRAIL = /^AWS (API Call|Console Sign In|Service Event) via CloudTrail$/;

/** S3 writes object keys in notifications form-encoded: spaces as '+', the rest percent-encoded. */
function decodeKey(key: string): string {
  try {
    return decodeURIComponent(key.replace(/\+/g, ' '));
  } catch {
    return key;
  }
}

interface Sink {
  readonly origin: string;
  readonly options: TextOptions;
  readonly out: TextRecords & { skipped: number };
}

function fail(sink: Sink, message: string, where: { index: number; line?: number }): void {
  const place = where.line !== undefined ? `${sink.origin}:${where.line}` : `${sink.origin} [record ${where.index}]`;
  sink.out.errors.push(new InputError(message, place));
}

function s3Notice(item: JsonObject): S3ObjectRef | undefined {
  if (item.eventSource !== 'aws:s3' || !isObject(item.s3)) return undefined;
  const bucket = isObject(item.s3.bucket) ? item.s3.bucket.name : undefined;
  const key = isObject(item.s3.object) ? item.s3.object.key : undefined;
  if (typeof bucket !== 'string' || typeof key !== 'string') return undefined;
  const region = typeof item.awsRegion === 'string' ? item.awsRegion : undefined;
  return { bucket, key: decodeKey(key), ...(region ? { region } : {}) };
}

function collect(sink: Sink, value: unknown, index: number, line: number | undefined): void {
  if (Array.isArray(value)) {
    for (let item = 0; item < value.length; item++) collect(sink, value[item], item, line);
    return;
  }
  if (isObject(value)) {
    if (Array.isArray(value.Records)) {
      value.Records.forEach((item, position) => {
        const notice = isObject(item) ? s3Notice(item) : undefined;
        if (notice) {
          // Only object creations carry new log files; a deletion notice has nothing to read.
          if (typeof (item as JsonObject).eventName === 'string' && String((item as JsonObject).eventName).startsWith('ObjectCreated')) sink.out.objects.push(notice);
          else sink.out.skipped++;
        } else collect(sink, item, position, line);
      });
      return;
    }
    // An SNS notification delivered to SQS without raw delivery wraps the real message as a string.
    if (value.Type === 'Notification' && typeof value.Message === 'string') {
      let inner: unknown;
      try {
        inner = JSON.parse(value.Message);
      } catch (error) {
        fail(sink, `SNS message is not JSON: ${errorMessage(error)}`, { index, ...(line !== undefined ? { line } : {}) });
        return;
      }
      collect(sink, inner, index, line);
      return;
    }
    // CloudTrail's own SNS notice of delivered log files.
    if (typeof value.s3Bucket === 'string' && Array.isArray(value.s3ObjectKey)) {
      for (const key of value.s3ObjectKey) if (typeof key === 'string') sink.out.objects.push({ bucket: value.s3Bucket, key });
      return;
    }
    if (value.Event === 's3:TestEvent') {
      sink.out.skipped++;
      return;
    }
    if (isObject(value.detail) && (typeof value['detail-type'] === 'string' || typeof value.source === 'string')) {
      const detailType = value['detail-type'];
      const detail = value.detail;
      if ((typeof detailType === 'string' && EVENTBRIDGE_CLOUDTRAIL.test(detailType)) || typeof detail.eventName === 'string') {
        collect(sink, detail, index, line);
      } else if (value.source === 'aws.s3' && detailType === 'Object Created' && isObject(detail.bucket) && isObject(detail.object)) {
        const bucket = detail.bucket.name;
        const key = detail.object.key;
        const region = value.region;
        if (typeof bucket === 'string' && typeof key === 'string') {
          sink.out.objects.push({ bucket, key, ...(typeof region === 'string' ? { region } : {}) });
        } else sink.out.skipped++;
      } else sink.out.skipped++;
      return;
    }
    if (sink.options.select && !sink.options.select(value)) return;
  }
  const checked = validateRecord(value);
  if (!checked.ok) {
    fail(sink, checked.reason, line !== undefined ? { index, line } : { index });
    return;
  }
  const source: RecordSource = line !== undefined ? { file: sink.origin, index, line } : { file: sink.origin, index };
  sink.out.records.push({ record: checked.record, source });
}

/**
 * Records and log-object notices in `text`. One JSON document (an EventBridge event, `{"Records": [...]}`, an
 * array) or JSON Lines; a line that does not parse is reported by line and the rest go on. A body that is not
 * JSON at all throws InputError naming `origin`: it cannot become better by itself, so a queue should keep it
 * (redelivery, then its dead-letter queue) rather than drop it.
 */
export function recordsFromText(text: string, origin: string, options: TextOptions = {}): TextRecords {
  const sink: Sink = { origin, options, out: { records: [], objects: [], errors: [], skipped: 0 } };
  if (text.trim() === '') throw new InputError('empty body', origin);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const lines = text.split('\n');
    const first = lines.findIndex((candidate) => candidate.trim() !== '');
    const head = lines[first]?.trim() ?? '';
    let linesForm = false;
    if (lines.filter((candidate) => candidate.trim() !== '').length > 1 && head.startsWith('{')) {
      try {
        JSON.parse(head);
        linesForm = true;
      } catch {
        linesForm = false;
      }
    }
    if (!linesForm) throw new InputError(`malformed JSON: ${errorMessage(error)}`, origin, error);
    lines.forEach((raw, position) => {
      const item = raw.trim();
      if (item === '') return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(item);
      } catch (lineError) {
        fail(sink, `malformed JSON: ${errorMessage(lineError)}`, { index: position, line: position + 1 });
        return;
      }
      collect(sink, parsed, position, position + 1);
    });
    return sink.out;
  }
  collect(sink, value, 0, undefined);
  return sink.out;
}
