// The HTTP intake: POST /events with CloudTrail records in any form (an EventBridge event, an array, {"Records"},
// JSON Lines), bearer-token auth, a body size limit, 202 once processed; GET /healthz. Loopback by default.
import { timingSafeEqual, createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { UsageError, errorMessage, type InputError } from '../../core/errors.js';
import { recordsFromText, type TextOptions } from '../../events/records-from-text.js';
import type { SourcedRecord } from './readers.js';

const gunzipAsync = promisify(gunzip);

/** One accepted request, read. */
export interface HttpIntakeBatch {
  readonly records: SourcedRecord[];
  readonly errors: InputError[];
  readonly skipped: number;
  readonly receivedAt: number;
}

/** Summary the handler may return; it is sent back in the 202 body (counts only, never secrets). */
export type HttpIntakeSummary = Readonly<Record<string, number | string | boolean>>;

export interface HttpIntakeOptions extends TextOptions {
  /** Processes one request's records; a throw answers 500 and the sender should retry. */
  readonly handle: (batch: HttpIntakeBatch) => Promise<HttpIntakeSummary | void>;
  /** Required bearer token; default: $LEUKO_INTAKE_TOKEN. */
  readonly token?: string;
  /** Default 127.0.0.1: exposing the endpoint is a choice the operator makes. */
  readonly host?: string;
  /** Default 8787; 0 picks a free port. */
  readonly port?: number;
  /** Largest accepted body (after decompression). Default 5 MiB. */
  readonly maxBodyBytes?: number;
  readonly env?: NodeJS.ProcessEnv;
  readonly onEvent?: (event: HttpIntakeEvent) => void;
}

export type HttpIntakeEvent =
  | { readonly kind: 'accepted'; readonly records: number; readonly errors: number; readonly ms: number }
  | { readonly kind: 'rejected'; readonly status: number; readonly reason: string }
  | { readonly kind: 'failed'; readonly error: string };

export interface HttpIntake {
  readonly url: string;
  readonly port: number;
  /** Stops accepting connections and waits for requests in progress to finish. */
  close(): Promise<void>;
}

const DEFAULT_MAX_BODY = 5 * 1024 * 1024;

class HttpFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Constant-time comparison of hashes, so neither the token nor its length leaks through timing. */
function tokenMatches(expected: string, given: string): boolean {
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(given).digest();
  return timingSafeEqual(a, b);
}

function send(response: ServerResponse, status: number, body: Readonly<Record<string, unknown>>, headers: Record<string, string> = {}): void {
  const text = `${JSON.stringify(body)}\n`;
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  response.end(text);
}

async function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw new HttpFailure(413, `body of ${declared} bytes is over the ${limit}-byte limit`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const piece = chunk as Buffer;
    size += piece.length;
    if (size > limit) throw new HttpFailure(413, `body is over the ${limit}-byte limit`);
    chunks.push(piece);
  }
  let body = Buffer.concat(chunks);
  const encoding = String(request.headers['content-encoding'] ?? '').toLowerCase();
  if (encoding === 'gzip') {
    try {
      body = await gunzipAsync(body, { maxOutputLength: limit });
    } catch (error) {
      const tooBig = (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE';
      throw new HttpFailure(tooBig ? 413 : 400, tooBig ? `body is over the ${limit}-byte limit once decompressed` : `gzip body is corrupt: ${errorMessage(error)}`);
    }
  } else if (encoding !== '' && encoding !== 'identity') throw new HttpFailure(415, `content-encoding ${encoding} is not supported (gzip or none)`);
  return body;
}

/**
 * Starts the endpoint. Requests are processed one at a time by `handle` (the event pipeline serialises batches
 * anyway); the 202 is sent only once the records are processed, so a sender that got it can forget them.
 */
export async function startHttpIntake(options: HttpIntakeOptions): Promise<HttpIntake> {
  const env = options.env ?? process.env;
  const token = options.token ?? env.LEUKO_INTAKE_TOKEN;
  if (!token) throw new UsageError('the HTTP intake needs a bearer token: set LEUKO_INTAKE_TOKEN');
  const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY;
  const emit = options.onEvent ?? (() => undefined);
  let queue: Promise<unknown> = Promise.resolve();

  const serve = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const path = (request.url ?? '/').split('?')[0];
    if (path === '/healthz') {
      if (request.method !== 'GET' && request.method !== 'HEAD') return send(response, 405, { error: 'use GET' }, { allow: 'GET' });
      return send(response, 200, { status: 'ok' });
    }
    if (path !== '/events') return send(response, 404, { error: 'not found: POST /events or GET /healthz' });
    if (request.method !== 'POST') return send(response, 405, { error: 'use POST' }, { allow: 'POST' });
    const auth = request.headers.authorization ?? '';
    const given = /^Bearer\s+(.+)$/i.exec(auth)?.[1]?.trim();
    if (!given || !tokenMatches(token, given)) {
      emit({ kind: 'rejected', status: 401, reason: given ? 'wrong token' : 'no bearer token' });
      request.resume();
      return send(response, 401, { error: 'a valid bearer token is required' }, { 'www-authenticate': 'Bearer' });
    }
    const started = Date.now();
    let body: Buffer;
    try {
      body = await readBody(request, limit);
    } catch (error) {
      const status = error instanceof HttpFailure ? error.status : 400;
      emit({ kind: 'rejected', status, reason: errorMessage(error) });
      // Over the limit: answer now, and close the connection once the answer is out rather than read the rest.
      send(response, status, { error: errorMessage(error) }, status === 413 ? { connection: 'close' } : {});
      return;
    }
    let parsed;
    try {
      parsed = recordsFromText(body.toString('utf8'), 'request body', options.select ? { select: options.select } : {});
    } catch (error) {
      emit({ kind: 'rejected', status: 400, reason: errorMessage(error) });
      return send(response, 400, { error: errorMessage(error) });
    }
    if (parsed.objects.length > 0) {
      emit({ kind: 'rejected', status: 400, reason: 'S3 notifications are for the queue intake' });
      return send(response, 400, { error: 'S3 object notifications are not read here: point them at the SQS intake' });
    }
    const batch: HttpIntakeBatch = { records: parsed.records, errors: parsed.errors, skipped: parsed.skipped, receivedAt: started };
    const run = queue.then(() => options.handle(batch));
    queue = run.catch(() => undefined);
    let summary: HttpIntakeSummary | void;
    try {
      summary = await run;
    } catch (error) {
      emit({ kind: 'failed', error: errorMessage(error) });
      return send(response, 500, { error: `processing failed: ${errorMessage(error)}` });
    }
    emit({ kind: 'accepted', records: parsed.records.length, errors: parsed.errors.length, ms: Date.now() - started });
    send(response, 202, {
      accepted: parsed.records.length,
      skipped: parsed.skipped,
      errors: parsed.errors.map((error) => error.message),
      ...(summary ? { result: summary } : {}),
    });
  };

  const server: Server = createServer((request, response) => {
    serve(request, response).catch((error: unknown) => {
      emit({ kind: 'failed', error: errorMessage(error) });
      if (!response.headersSent) send(response, 500, { error: 'internal error' });
      else response.destroy();
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8787, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      }),
  };
}
