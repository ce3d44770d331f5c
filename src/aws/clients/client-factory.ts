// One factory for AWS SDK v3 clients: credentials (chain, profile, assumed role), region, endpoint
// override, adaptive retries, call counting, and one concurrency limit per account and region.
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { RDSClient } from '@aws-sdk/client-rds';
import { S3Client } from '@aws-sdk/client-s3';
import { S3ControlClient } from '@aws-sdk/client-s3-control';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromIni, fromNodeProviderChain, fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { createCallStats, recordOperation, type CallStats } from './call-stats.js';
import { endpointFor, type ServiceEnvName } from './endpoints.js';
import { createLimiter, type Limiter } from './limiter.js';

export interface AssumeRoleOptions {
  roleArn: string;
  externalId?: string;
  sessionName?: string;
}

export interface ClientFactoryOptions {
  profile?: string;
  /** Explicit credentials provider (tests, or a caller that already has one). */
  credentials?: AwsCredentialIdentityProvider;
  /** Max attempts per operation (adaptive retry mode). */
  maxAttempts?: number;
  /** Concurrent calls per account and region. */
  concurrencyPerRegion?: number;
  env?: NodeJS.ProcessEnv;
}

interface ClientKinds {
  ec2: EC2Client;
  s3: S3Client;
  s3control: S3ControlClient;
  rds: RDSClient;
  dynamodb: DynamoDBClient;
  cloudformation: CloudFormationClient;
  sqs: SQSClient;
  sts: STSClient;
  /** Alerts publish to SNS topics. */
  sns: SNSClient;
}
export type ClientKind = keyof ClientKinds;

const ENV_NAMES: Record<ClientKind, ServiceEnvName> = {
  ec2: 'EC2',
  s3: 'S3',
  s3control: 'S3_CONTROL',
  rds: 'RDS',
  dynamodb: 'DYNAMODB',
  cloudformation: 'CLOUDFORMATION',
  sqs: 'SQS',
  sts: 'STS',
  sns: 'SNS',
};

/** Clients for one account (one set of credentials) in any region. */
export interface AccountClients {
  readonly accountId: string | undefined;
  readonly stats: CallStats;
  client<K extends ClientKind>(kind: K, region: string): ClientKinds[K];
  limiter(region: string): Limiter;
  /** The account id these credentials belong to (sts:GetCallerIdentity, cached). */
  resolveAccountId(): Promise<string>;
  /** Closes every client's keep-alive sockets, which would otherwise keep the process alive. */
  destroy(): void;
}

interface MiddlewareClient {
  middlewareStack: {
    add(middleware: unknown, options: Record<string, unknown>): void;
    addRelativeTo(middleware: unknown, options: Record<string, unknown>): void;
  };
}

function instrument(client: MiddlewareClient, service: string, stats: CallStats): void {
  client.middlewareStack.add(
    (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
      recordOperation(stats, service, (context.commandName ?? 'Unknown').replace(/Command$/, ''));
      return next(args);
    },
    { step: 'initialize', name: 'leukoCountOperations', override: true },
  );
  client.middlewareStack.addRelativeTo(
    (next: (args: unknown) => Promise<unknown>) => async (args: unknown) => {
      stats.attempts += 1;
      try {
        return await next(args);
      } catch (error) {
        const name = (error as { name?: string }).name ?? '';
        if (/Throttl|RequestLimitExceeded|SlowDown|TooManyRequests/.test(name)) stats.throttled += 1;
        throw error;
      }
    },
    { relation: 'after', toMiddleware: 'retryMiddleware', name: 'leukoCountAttempts', override: true },
  );
}

export function createAccountClients(
  options: ClientFactoryOptions & { assumeRole?: AssumeRoleOptions; accountId?: string; baseRegion?: string },
): AccountClients {
  const env = options.env ?? process.env;
  const stats = createCallStats();
  const clients = new Map<string, unknown>();
  const limiters = new Map<string, Limiter>();
  const baseRegion = options.baseRegion ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const maxAttempts = options.maxAttempts ?? 6;

  const sourceCredentials: AwsCredentialIdentityProvider =
    options.credentials ?? (options.profile ? fromIni({ profile: options.profile }) : fromNodeProviderChain());

  const credentials: AwsCredentialIdentityProvider = options.assumeRole
    ? fromTemporaryCredentials({
        masterCredentials: sourceCredentials,
        params: {
          RoleArn: options.assumeRole.roleArn,
          RoleSessionName: options.assumeRole.sessionName ?? 'leuko',
          ...(options.assumeRole.externalId ? { ExternalId: options.assumeRole.externalId } : {}),
        },
        clientConfig: {
          region: baseRegion,
          ...(endpointFor('STS', env) ? { endpoint: endpointFor('STS', env) } : {}),
        },
      })
    : sourceCredentials;

  let accountIdPromise: Promise<string> | undefined = options.accountId ? Promise.resolve(options.accountId) : undefined;

  const make = <K extends ClientKind>(kind: K, region: string): ClientKinds[K] => {
    const endpoint = endpointFor(ENV_NAMES[kind], env);
    const common = {
      region,
      credentials,
      maxAttempts,
      retryMode: 'adaptive' as const,
      ...(endpoint ? { endpoint } : {}),
    };
    let client: ClientKinds[ClientKind];
    switch (kind) {
      case 'ec2':
        client = new EC2Client(common);
        break;
      case 's3':
        // Path-style addressing is what local endpoints (moto, MinIO) understand.
        client = new S3Client({ ...common, ...(endpoint ? { forcePathStyle: true } : {}), followRegionRedirects: true });
        break;
      case 's3control':
        // S3 Control's endpoint rules put the account id in the host name (<account>.s3-control…), which
        // is not a valid host before an IP literal; an overridden endpoint is used verbatim instead (the
        // account still travels in the x-amz-account-id header).
        client = new S3ControlClient(
          endpoint
            ? { ...common, disableHostPrefix: true, endpointProvider: () => ({ url: new URL(endpoint) }) }
            : common,
        );
        break;
      case 'rds':
        client = new RDSClient(common);
        break;
      case 'dynamodb':
        client = new DynamoDBClient(common);
        break;
      case 'cloudformation':
        client = new CloudFormationClient(common);
        break;
      case 'sqs':
        client = new SQSClient(common);
        break;
      case 'sts':
        client = new STSClient(common);
        break;
      case 'sns':
        client = new SNSClient(common);
        break;
      default:
        throw new Error(`unknown client kind ${String(kind)}`);
    }
    instrument(client as unknown as MiddlewareClient, kind, stats);
    return client as ClientKinds[K];
  };

  return {
    get accountId() {
      return options.accountId;
    },
    stats,
    client<K extends ClientKind>(kind: K, region: string): ClientKinds[K] {
      const key = `${kind}|${region}`;
      let client = clients.get(key) as ClientKinds[K] | undefined;
      if (!client) {
        client = make(kind, region);
        clients.set(key, client);
      }
      return client;
    },
    limiter(region: string): Limiter {
      let limiter = limiters.get(region);
      if (!limiter) {
        limiter = createLimiter(options.concurrencyPerRegion ?? 8);
        limiters.set(region, limiter);
      }
      return limiter;
    },
    destroy(): void {
      for (const client of clients.values()) (client as { destroy(): void }).destroy();
      clients.clear();
    },
    resolveAccountId(): Promise<string> {
      accountIdPromise ??= this.client('sts', baseRegion)
        .send(new GetCallerIdentityCommand({}))
        .then((identity) => {
          if (!identity.Account) throw new Error('sts:GetCallerIdentity returned no account');
          return identity.Account;
        });
      return accountIdPromise;
    },
  };
}
