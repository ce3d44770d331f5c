// An HTTP proxy in front of moto that answers chosen calls with real AWS error responses (AuthFailure
// for a region, Throttling n times...). moto serves no faults; the SDK still parses real wire errors.
import { randomUUID } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a rule's `match` sees of a request: enough to pick S3 sub-resources (?policy) and JSON targets. */
export interface FaultRequest {
  readonly method: string;
  readonly url: string;
  readonly target: string;
  readonly body: string;
}

export interface FaultRule {
  /** Any further condition on the request (S3's REST calls carry no operation name). */
  match?: (request: FaultRequest) => boolean;
  /** Region from the SigV4 credential scope; omit for every region. */
  region?: string;
  /** SigV4 service name: ec2, s3, rds, dynamodb, cloudformation, sts. */
  service?: string;
  /** API action (query Action=, X-Amz-Target suffix); omit for any. */
  operation?: string;
  code: string;
  status: number;
  message?: string;
  /** Fail only this many matching requests, then pass them through. */
  times?: number;
}

export interface FaultProxy {
  readonly endpoint: string;
  /** Requests answered with a fault, by code. */
  readonly injected: Map<string, number>;
  setRules(rules: FaultRule[]): void;
  close(): Promise<void>;
}

interface RequestFacts {
  region?: string;
  service?: string;
  operation?: string;
}

function factsOf(request: IncomingMessage, body: Buffer): RequestFacts {
  const facts: RequestFacts = {};
  const authorization = request.headers.authorization ?? '';
  const scope = /Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(authorization);
  if (scope) {
    facts.region = scope[1];
    facts.service = scope[2];
  }
  const target = request.headers['x-amz-target'];
  if (typeof target === 'string') facts.operation = target.split('.').pop();
  else {
    const action = /(?:^|&)Action=([^&]+)/.exec(body.toString('utf8'));
    if (action?.[1]) facts.operation = decodeURIComponent(action[1]);
  }
  return facts;
}

function errorBody(service: string | undefined, code: string, message: string): { type: string; body: string } {
  const requestId = randomUUID();
  if (service === 'ec2') {
    return {
      type: 'text/xml',
      body: `<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>${code}</Code><Message>${message}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`,
    };
  }
  if (service === 's3') {
    return {
      type: 'application/xml',
      body: `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message><RequestId>${requestId}</RequestId></Error>`,
    };
  }
  if (service === 'dynamodb') {
    return { type: 'application/x-amz-json-1.0', body: JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${code}`, message }) };
  }
  return {
    type: 'text/xml',
    body: `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
  };
}

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  let rules: Array<FaultRule & { used: number }> = [];
  const injected = new Map<string, number>();

  const handle = (request: IncomingMessage, response: ServerResponse, body: Buffer) => {
    const facts = factsOf(request, body);
    const seen: FaultRequest = {
      method: request.method ?? 'GET',
      url: request.url ?? '/',
      target: String(request.headers['x-amz-target'] ?? ''),
      body: body.toString('utf8'),
    };
    const rule = rules.find(
      (candidate) =>
        (candidate.match === undefined || candidate.match(seen)) &&
        (candidate.region === undefined || candidate.region === facts.region) &&
        (candidate.service === undefined || candidate.service === facts.service) &&
        (candidate.operation === undefined || candidate.operation === facts.operation) &&
        (candidate.times === undefined || candidate.used < candidate.times),
    );
    if (rule) {
      rule.used += 1;
      injected.set(rule.code, (injected.get(rule.code) ?? 0) + 1);
      const { type, body: payload } = errorBody(facts.service, rule.code, rule.message ?? `injected ${rule.code}`);
      response.writeHead(rule.status, { 'content-type': type, 'x-amzn-requestid': randomUUID() });
      response.end(payload);
      return;
    }
    const forwarded = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: request.method,
        path: request.url,
        headers: { ...request.headers, host: upstream.host },
      },
      (upstreamResponse) => {
        response.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.headers);
        upstreamResponse.pipe(response);
      },
    );
    forwarded.on('error', (error) => {
      response.writeHead(502);
      response.end(String(error));
    });
    forwarded.end(body);
  };

  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => handle(request, response, Buffer.concat(chunks)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    injected,
    setRules(next) {
      rules = next.map((rule) => ({ ...rule, used: 0 }));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
