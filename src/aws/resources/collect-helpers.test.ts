// Unit tests of the shared collect helpers: paging under the limiter, denied reads, dates, optional keys.
import { describe, expect, it } from 'vitest';
import { createLimiter } from '../clients/limiter.js';
import type { AccountClients } from '../clients/client-factory.js';
import {
  absentOn,
  allPages,
  compareStrings,
  deniedAsUnknown,
  isoDate,
  optional,
  readOrUnknown,
} from './collect-helpers.js';
import type { CollectContext, CollectWarning } from './resource-module.js';

/** A context whose only working part is the limiter: these helpers touch nothing else. */
function limiterContext(concurrency: number, warnings: CollectWarning[] = []) {
  const limiter = createLimiter(concurrency);
  const clients = { limiter: () => limiter } as unknown as AccountClients;
  const context: CollectContext = {
    account: '111122223333',
    region: 'eu-west-1',
    partition: 'aws',
    clients,
    warn: (w) => warnings.push(w),
  };
  return { context, limiter };
}

function awsError(code: string, status: number): Error {
  return Object.assign(new Error(`${code} from AWS`), { name: code, $metadata: { httpStatusCode: status } });
}

describe('allPages', () => {
  it('fetches each page inside the limiter and returns them in order', async () => {
    const { context, limiter } = limiterContext(1);
    const activeDuringFetch: number[] = [];
    async function* pages() {
      for (const page of [1, 2, 3]) {
        activeDuringFetch.push(limiter.active);
        yield await Promise.resolve(page);
      }
    }
    expect(await allPages(context, 'eu-west-1', 'svc:List', pages())).toEqual([1, 2, 3]);
    expect(activeDuringFetch).toEqual([1, 1, 1]);
    expect(limiter.active).toBe(0);
  });

  it('names the failed action on the error without changing its code', async () => {
    const { context } = limiterContext(2);
    // eslint-disable-next-line require-yield -- a paginator whose first request fails
    async function* failing(): AsyncGenerator<number> {
      throw awsError('ThrottlingException', 400);
    }
    await expect(allPages(context, 'eu-west-1', 'dynamodb:ListTables', failing())).rejects.toMatchObject({
      name: 'ThrottlingException',
      $leukoOperation: 'dynamodb:ListTables',
    });
  });
});

describe('absentOn, readOrUnknown, deniedAsUnknown', () => {
  it('answers null for the declared "not configured" codes only', async () => {
    expect(
      await absentOn(['NoSuchBucketPolicy'], () => Promise.reject(awsError('NoSuchBucketPolicy', 404)))(),
    ).toBeNull();
    await expect(
      absentOn(['NoSuchBucketPolicy'], () => Promise.reject(awsError('NoSuchBucket', 404)))(),
    ).rejects.toThrow('NoSuchBucket');
  });

  it('turns a denial into an unknown plus a warning, and throws anything else', async () => {
    const warnings: CollectWarning[] = [];
    const { context } = limiterContext(2, warnings);
    const target = {
      type: 'aws.s3.bucket',
      region: 'eu-west-1',
      resourceId: 'logs',
      action: 's3:GetBucketPolicy',
    } as const;
    expect(await readOrUnknown(context, target, () => Promise.reject(awsError('AccessDenied', 403)))).toEqual(
      {
        $unknown: true,
        reason: 's3:GetBucketPolicy denied',
      },
    );
    expect(warnings).toEqual([
      {
        type: 'aws.s3.bucket',
        account: '111122223333',
        region: 'eu-west-1',
        resourceId: 'logs',
        operation: 's3:GetBucketPolicy',
        code: 'AccessDenied',
        message: 's3:GetBucketPolicy denied on logs; that part of it is unknown',
      },
    ]);
    await expect(
      readOrUnknown(context, target, () => Promise.reject(awsError('InternalError', 500))),
    ).rejects.toMatchObject({
      $leukoOperation: 's3:GetBucketPolicy',
    });
    expect(await deniedAsUnknown(context, target, () => Promise.resolve('policy'))).toBe('policy');
  });
});

describe('isoDate, compareStrings, optional', () => {
  it('writes dates as ISO strings, keeps a string it cannot read, and skips nothing', () => {
    expect(isoDate(new Date(Date.UTC(2024, 0, 2, 3, 4, 5)))).toBe('2024-01-02T03:04:05.000Z');
    expect(isoDate('2012-02-20T17:45:32.000Z')).toBe('2012-02-20T17:45:32.000Z');
    expect(isoDate('2019-01-01T100:00:00Z')).toBe('2019-01-01T100:00:00Z');
    expect(isoDate(null)).toBeUndefined();
    expect(isoDate(undefined)).toBeUndefined();
  });

  it('orders strings byte-wise, independent of locale', () => {
    expect(['b', 'B', 'a', 'A', '_'].sort(compareStrings)).toEqual(['A', 'B', '_', 'a', 'b']);
  });

  it('leaves out undefined and null, keeps false, 0 and empty strings', () => {
    expect({
      ...optional('a', undefined),
      ...optional('b', null),
      ...optional('c', false),
      ...optional('d', 0),
      ...optional('e', ''),
    }).toEqual({
      c: false,
      d: 0,
      e: '',
    });
  });
});
