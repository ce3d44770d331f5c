// Tags that could not be read are unknown, not absent: remediation refuses rather than miss a leuko:protect tag.
import { CreateTableCommand, TagResourceCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockS3PublicAccess } from '../../src/aws/actions/block-s3-public-access.js';
import { enableDynamodbPitr } from '../../src/aws/actions/enable-dynamodb-pitr.js';
import { tableModule } from '../../src/aws/resources/dynamodb-table.js';
import { bucketModule } from '../../src/aws/resources/s3-bucket.js';
import { isPlan, PROTECT_TAG, type PlanResult } from '../../src/core/action.js';
import { startFaultProxy, type FaultProxy } from '../harness/fault-proxy.js';
import { accountClients, motoEndpoint, uniqueAccountId } from '../harness/aws.js';
import { plantBucket } from '../actions/support.js';

const REGION = 'us-east-1';

function reason(result: PlanResult): string {
  return isPlan(result) ? 'plan' : result.reason;
}

describe('unreadable tags', () => {
  const account = uniqueAccountId();
  const direct = accountClients(account);
  let proxy: FaultProxy;
  const bucket = `leuko-unknown-tags-${account}`;
  const table = `unknown-tags-${account}`;

  beforeAll(async () => {
    proxy = await startFaultProxy(motoEndpoint());
    await plantBucket(direct, bucket, REGION, { [PROTECT_TAG]: 'yes' });
    const dynamodb = direct.client('dynamodb', REGION);
    const created = await dynamodb.send(
      new CreateTableCommand({
        TableName: table,
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    await dynamodb.send(
      new TagResourceCommand({
        ResourceArn: created.TableDescription!.TableArn!,
        Tags: [{ Key: PROTECT_TAG, Value: '' }],
      }),
    );
  });
  afterAll(async () => {
    await proxy.close();
  });

  function contextVia(endpoint: string) {
    return {
      account,
      region: REGION,
      partition: 'aws',
      clients: accountClients(account, endpoint),
      warn: () => undefined,
    };
  }

  it('a denied GetBucketTagging marks the bucket tagsUnknown and every plan refuses as unknown', async () => {
    proxy.setRules([
      {
        service: 's3',
        match: (request) => request.method === 'GET' && new URL(request.url, 'http://proxy').searchParams.has('tagging'),
        code: 'AccessDenied',
        status: 403,
      },
    ]);
    const resource = await bucketModule.get(contextVia(proxy.endpoint), bucket);
    expect(resource?.tagsUnknown).toBe(true);
    expect(resource?.tags).toEqual({});
    const result = blockS3PublicAccess.plan({ resource: resource!, violations: [{ part: 'publicAccessBlock' }] });
    expect(reason(result)).toBe('unknown');
    expect(isPlan(result) ? '' : result.message).toContain(PROTECT_TAG);
  });

  it('readable tags: no tagsUnknown, and the protect tag itself refuses', async () => {
    const resource = await bucketModule.get(contextVia(motoEndpoint()), bucket);
    expect(resource?.tagsUnknown).toBeUndefined();
    expect(reason(blockS3PublicAccess.plan({ resource: resource!, violations: [{ part: 'publicAccessBlock' }] }))).toBe(
      'protected',
    );
  });

  it('a denied ListTagsOfResource marks the table tagsUnknown and its plan refuses as unknown', async () => {
    proxy.setRules([{ service: 'dynamodb', operation: 'ListTagsOfResource', code: 'AccessDeniedException', status: 400 }]);
    const resource = await tableModule.get(contextVia(proxy.endpoint), table);
    expect(resource?.tagsUnknown).toBe(true);
    expect(reason(enableDynamodbPitr.plan({ resource: resource!, violations: [{ part: 'pointInTimeRecovery' }] }))).toBe(
      'unknown',
    );
    const readable = await tableModule.get(contextVia(motoEndpoint()), table);
    expect(readable?.tagsUnknown).toBeUndefined();
    expect(reason(enableDynamodbPitr.plan({ resource: readable!, violations: [{ part: 'pointInTimeRecovery' }] }))).toBe(
      'protected',
    );
  });
});
