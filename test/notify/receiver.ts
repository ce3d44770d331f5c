// A real local HTTP peer for the Slack and webhook channels: records every request and answers with
// scripted statuses (500, 429 + Retry-After, …) before settling on 200.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly at: number;
}

export interface ScriptedReply {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

export interface Receiver {
  readonly url: string;
  readonly requests: ReceivedRequest[];
  /** Replies used in order for the next requests to `path`; afterwards 200 "ok". */
  script(path: string, replies: ScriptedReply[]): void;
  /** Only the requests that got a 2xx. */
  accepted(path: string): ReceivedRequest[];
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  const ok = new Set<ReceivedRequest>();
  const scripts = new Map<string, ScriptedReply[]>();
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const received: ReceivedRequest = { path: request.url ?? '/', headers: request.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() };
      requests.push(received);
      const reply = scripts.get(received.path)?.shift() ?? { status: 200, body: 'ok' };
      if (reply.status < 300) ok.add(received);
      response.writeHead(reply.status, { 'content-type': 'text/plain', ...reply.headers });
      response.end(reply.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    script: (path, replies) => scripts.set(path, [...replies]),
    accepted: (path) => requests.filter((request) => request.path === path && ok.has(request)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
