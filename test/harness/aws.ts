// Test helpers for talking to the run's moto server: each test file works in its own AWS account
// (reached through a real sts:AssumeRole, which moto maps to the role's account), so files can run in
// parallel without resetting each other's state.
import { randomInt } from 'node:crypto';
import { inject } from 'vitest';
import { createAccountClients, type AccountClients } from '../../src/aws/clients/client-factory.js';

export const TEST_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' } as const;

export function motoEndpoint(): string {
  return inject('motoEndpoint');
}

/** Environment that points the SDK (and the leuko CLI) at moto. */
export function motoEnv(endpoint = motoEndpoint()): NodeJS.ProcessEnv {
  return {
    ...process.env,
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    AWS_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

/** A fresh 12-digit account id, so each test file has a clean estate in the shared moto server. */
export function uniqueAccountId(): string {
  return String(randomInt(100_000_000_000, 999_999_999_999));
}

export function testRoleArn(accountId: string): string {
  return `arn:aws:iam::${accountId}:role/leuko-test`;
}

/** SDK clients acting inside `accountId` on moto, via assume-role. */
export function accountClients(accountId: string, endpoint = motoEndpoint()): AccountClients {
  return createAccountClients({
    env: motoEnv(endpoint),
    credentials: async () => ({ ...TEST_CREDENTIALS }),
    assumeRole: { roleArn: testRoleArn(accountId), sessionName: 'leuko-test' },
    accountId,
    maxAttempts: 3,
  });
}
