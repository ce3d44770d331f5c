// CloudTrail records straight from S3 (s3://bucket/prefix): every log object under a prefix, plain or gzipped,
// one bad object reported by its key while the others are read.
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { InputError, errorMessage } from '../../core/errors.js';
import { recordsFromText, type TextOptions } from '../../events/records-from-text.js';
import { createReadStats, type ReadStats, type SourcedRecord } from './readers.js';

const gunzipAsync = promisify(gunzip);

export interface S3Location {
  readonly bucket: string;
  /** '' for the whole bucket. */
  readonly prefix: string;
}

export interface S3ReadOptions extends TextOptions {
  readonly onError?: (error: InputError) => void;
  readonly stats?: ReadStats;
  /** Objects larger than this are reported, not read: they are held in memory whole. Default 512 MiB. */
  readonly maxObjectBytes?: number;
  /** Keys per ListObjectsV2 page (S3's maximum, 1000, by default). */
  readonly pageSize?: number;
}

const DEFAULT_MAX_OBJECT_BYTES = 512 * 1024 * 1024;

/** The object names the file readers take from a directory; CloudTrail's digest files are proofs, not events. */
const RECORD_KEY = /\.(json|jsonl|ndjson|log)(\.gz)?$|\.gz$/i;

export function isS3Url(text: string): boolean {
  return text.startsWith('s3://');
}

/** `s3://bucket/prefix` to its parts; throws InputError for anything else. */
export function parseS3Url(url: string): S3Location {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(url);
  const bucket = match?.[1];
  if (!match || !bucket) throw new InputError('not an S3 location: expected s3://bucket/prefix', url);
  return { bucket, prefix: match[2] ?? '' };
}

export function s3Url(bucket: string, key: string): string {
  return `s3://${bucket}/${key}`;
}

/** Keys of log objects under the location, every page of ListObjectsV2, in S3's (lexicographic) order. */
export async function* listLogObjects(s3: S3Client, location: S3Location, pageSize?: number): AsyncGenerator<{ key: string; size: number }> {
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({
        Bucket: location.bucket,
        ...(location.prefix ? { Prefix: location.prefix } : {}),
        ...(token ? { ContinuationToken: token } : {}),
        ...(pageSize ? { MaxKeys: pageSize } : {}),
      }),
    );
    for (const object of page.Contents ?? []) {
      const key = object.Key;
      if (key === undefined || key.endsWith('/') || !RECORD_KEY.test(key) || key.includes('CloudTrail-Digest')) continue;
      yield { key, size: object.Size ?? 0 };
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
}

/**
 * The records of one object. Read errors (denied, gone, corrupt gzip, malformed JSON) are reported through
 * `onError` naming s3://bucket/key, and give no records; a bad record inside is reported and the others kept.
 */
export async function readS3Object(s3: S3Client, bucket: string, key: string, options: S3ReadOptions = {}): Promise<SourcedRecord[]> {
  const stats = options.stats ?? createReadStats();
  const url = s3Url(bucket, key);
  const report = (error: InputError) => {
    stats.errors++;
    options.onError?.(error);
  };
  stats.files++;
  let bytes: Buffer;
  try {
    const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const max = options.maxObjectBytes ?? DEFAULT_MAX_OBJECT_BYTES;
    if ((response.ContentLength ?? 0) > max) {
      // Not read: the unread body is released with the socket.
      (response.Body as { destroy?: () => void } | undefined)?.destroy?.();
      report(new InputError(`object of ${response.ContentLength} bytes is larger than the ${max}-byte limit; not read`, url));
      return [];
    }
    if (!response.Body) throw new Error('GetObject returned no body');
    bytes = Buffer.from(await response.Body.transformToByteArray());
  } catch (error) {
    const code = (error as { name?: string }).name;
    report(new InputError(`cannot read: ${code && code !== 'Error' ? `${code}: ` : ''}${errorMessage(error)}`, url, error));
    return [];
  }
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = await gunzipAsync(bytes);
    } catch (error) {
      report(new InputError(`gzip stream broken (truncated or corrupt): ${errorMessage(error)}`, url, error));
      return [];
    }
  }
  let parsed;
  try {
    parsed = recordsFromText(bytes.toString('utf8'), url, options.select ? { select: options.select } : {});
  } catch (error) {
    report(error instanceof InputError ? error : new InputError(errorMessage(error), url, error));
    return [];
  }
  for (const error of parsed.errors) report(error);
  stats.skipped += parsed.skipped;
  stats.records += parsed.records.length;
  return parsed.records;
}

/** Every record of every log object under `location`, object by object (memory bounded by one object). */
export async function* readS3Records(s3: S3Client, location: S3Location, options: S3ReadOptions = {}): AsyncGenerator<SourcedRecord> {
  const stats = options.stats ?? createReadStats();
  const withStats = { ...options, stats };
  let objects;
  try {
    objects = listLogObjects(s3, location, options.pageSize);
    for await (const object of objects) yield* await readS3Object(s3, location.bucket, object.key, withStats);
  } catch (error) {
    // The listing itself failed (no such bucket, denied): nothing more can be read from this location.
    stats.errors++;
    const code = (error as { name?: string }).name;
    options.onError?.(
      new InputError(`cannot list: ${code && code !== 'Error' ? `${code}: ` : ''}${errorMessage(error)}`, s3Url(location.bucket, location.prefix), error),
    );
  }
}
