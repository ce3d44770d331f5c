// Inventory follows events, on moto: a real change, its CloudTrail record, the re-read with the actor in history,
// and findings that share their ids with a scan's (`leuko audit --no-scan` on the same store finds no duplicate).
import { AuthorizeSecurityGroupIngressCommand, CreateSecurityGroupCommand, DeleteSecurityGroupCommand } from '@aws-sdk/client-ec2';
import { CreateBucketCommand, DeleteBucketCommand, PutBucketAclCommand } from '@aws-sdk/client-s3';
import { CreateQueueCommand, GetQueueAttributesCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resourceModule } from '../../src/aws/resources/registry.js';
import { compilePolicy } from '../../src/core/engine/index.js';
import { resourceKey } from '../../src/core/resource.js';
import { createEventPipeline, processRecords, type EventPipelineDeps, type ProcessRecordsResult } from '../../src/events/process-records.js';
import { startSqsIntake } from '../../src/sources/cloudtrail/sqs-intake.js';
import { validateRecord, type CloudTrailRecord } from '../../src/sources/cloudtrail/record.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { defaultVpcId } from '../actions/support.js';
import { accountClients, motoEndpoint, motoEnv, uniqueAccountId } from '../harness/aws.js';
import { parseJson, runCli } from '../harness/cli.js';
import { startFaultProxy } from '../harness/fault-proxy.js';
import { assumedRoleIdentity, authorizeIngressRecord, deleteGroupRecord, eventBridgeEvent, sessionArn } from './support.js';

const account = uniqueAccountId();
const clients = accountClients(account);
const region = 'eu-west-1';
const ec2 = clients.client('ec2', region);
const TYPE = 'aws.ec2.security-group';
const dir = mkdtempSync(join(tmpdir(), 'leuko-pipeline-'));
const dbPath = join(dir, 'leuko.db');
let store: Store;

function record(value: Record<string, unknown>): CloudTrailRecord {
  const checked = validateRecord(value);
  if (!checked.ok) throw new Error(checked.reason);
  return checked.record;
}

function deps(overrides: Partial<EventPipelineDeps> = {}): EventPipelineDeps {
  return { store, clientsFor: (id) => (id === account ? clients : undefined), policy: compilePolicy(), now: () => new Date(), ...overrides };
}

async function createGroup(name: string): Promise<string> {
  const created = await ec2.send(new CreateSecurityGroupCommand({ GroupName: name, Description: name, VpcId: await defaultVpcId(ec2) }));
  return created.GroupId!;
}

/** Makes the change in moto and returns the record CloudTrail would write for it. */
async function openToWorld(groupId: string, port: number): Promise<CloudTrailRecord> {
  const answer = await ec2.send(
    new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: port, ToPort: port, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }),
  );
  return record(authorizeIngressRecord(account, region, groupId, { protocol: 'tcp', port, cidr: '0.0.0.0/0' }, answer.SecurityGroupRules ?? []));
}

/** What `leuko scan` does for one scope: list and store the listing. */
async function scanGroups(): Promise<void> {
  const at = new Date().toISOString();
  const scanId = await store.beginScan({ accounts: [account], regions: [region], types: [TYPE], at });
  const listed = await resourceModule(TYPE).list({ account, region, partition: 'aws', clients, warn: () => undefined });
  await store.applyListing({ type: TYPE, account, region }, listed, { scanId, at });
  await store.finishScan(scanId, { status: 'succeeded', summary: {} });
}

beforeAll(async () => {
  store = await openSqliteStore(dbPath);
});

afterAll(async () => {
  await store.close();
  clients.destroy();
  rmSync(dir, { recursive: true, force: true });
});

describe('processRecords on moto', () => {
  it('re-reads the group a world-open rule was added to, records the actor, and opens the finding with actor and event id', async () => {
    const groupId = await createGroup('leuko-pipeline-web');
    await scanGroups();
    const event = await openToWorld(groupId, 22);

    const result = await processRecords([event], deps());

    const key = resourceKey({ type: TYPE, account, region, id: groupId });
    expect(result.errors).toEqual([]);
    expect(result.reReads).toMatchObject([{ key, outcome: 'modified', version: 2, eventId: event.eventID }]);
    const history = await store.getHistory(key);
    expect(history.map((version) => [version.version, version.change])).toEqual([
      [1, 'created'],
      [2, 'modified'],
    ]);
    expect(history[0]?.actor).toBeUndefined();
    expect(history[1]?.actor).toMatchObject({ arn: sessionArn(account), type: 'AssumedRole', eventId: event.eventID, sourceIp: '203.0.113.9', eventName: 'AuthorizeSecurityGroupIngress' });

    const opened = result.transitions.filter((transition) => transition.finding.ruleId === 'sg-ingress-open-admin');
    expect(opened).toHaveLength(1);
    expect(opened[0]).toMatchObject({ from: null, to: 'open' });
    expect(opened[0]?.finding.actor?.arn).toBe(sessionArn(account));
    expect(opened[0]?.finding.eventId).toBe(event.eventID);
    // The event's own judgement and the re-read's agree on the id: one finding, whichever came first.
    expect(result.eventFindings.map((finding) => finding.id)).toEqual([opened[0]?.finding.id]);

    // The CLI shows the same: history with the actor, findings with the event id.
    const env = { ...motoEnv(), LEUKO_DB: dbPath };
    const shown = parseJson<{ versions: Array<{ actor?: { arn?: string } }> }>(await runCli(['history', groupId, '--json'], { env }));
    expect(shown.versions.map((version) => version.actor?.arn)).toEqual([undefined, sessionArn(account)]);
    const listed = parseJson<{ findings: Array<{ id: string; eventId?: string; actor?: { arn?: string } }> }>(await runCli(['findings', '--json'], { env }));
    const mine = listed.findings.find((finding) => finding.id === opened[0]?.finding.id);
    expect(mine).toMatchObject({ eventId: event.eventID, actor: { arn: sessionArn(account) } });

    // A later audit of the same estate keeps the id and the actor: no duplicate finding.
    const audit = await runCli(['audit', '--no-scan', '--json'], { env });
    const audited = parseJson<{ findings: Array<{ id: string; ruleId: string; resource: { id: string }; status: string; eventId?: string }> }>(audit);
    const onGroup = audited.findings.filter((finding) => finding.resource.id === groupId && finding.ruleId === 'sg-ingress-open-admin');
    expect(onGroup).toEqual([expect.objectContaining({ id: opened[0]?.finding.id, status: 'open', eventId: event.eventID })]);
    const stored = await store.listFindings({ resourceKey: key });
    expect(stored.filter((finding) => finding.ruleId === 'sg-ingress-open-admin')).toHaveLength(1);

    // The same event again (a redelivered message) changes nothing and alerts nothing.
    const again = await processRecords([event], deps());
    expect(again.reReads).toMatchObject([{ key, outcome: 'unchanged' }]);
    expect(again.transitions).toEqual([]);
  });

  it('a deleted group is marked deleted with the actor and its findings resolve', async () => {
    const groupId = await createGroup('leuko-pipeline-gone');
    const opened = await processRecords([await openToWorld(groupId, 3389)], deps());
    expect(opened.transitions.map((transition) => [transition.finding.ruleId, transition.to])).toEqual([['sg-ingress-open-admin', 'open']]);
    await ec2.send(new DeleteSecurityGroupCommand({ GroupId: groupId }));
    const deletion = record(deleteGroupRecord(account, region, groupId));

    const result = await processRecords([deletion], deps());

    const key = resourceKey({ type: TYPE, account, region, id: groupId });
    expect(result.reReads).toMatchObject([{ key, outcome: 'deleted' }]);
    expect((await store.getResource(key))?.deletedAt).toBeDefined();
    const history = await store.getHistory(key);
    expect(history.at(-1)).toMatchObject({ change: 'deleted', actor: { arn: sessionArn(account), eventName: 'DeleteSecurityGroup' } });
    expect(result.transitions.map((transition) => [transition.finding.ruleId, transition.from, transition.to])).toEqual([['sg-ingress-open-admin', 'open', 'resolved']]);
  });

  it('a denied re-read keeps the event finding, reports the error and writes no version', async () => {
    const groupId = await createGroup('leuko-pipeline-denied');
    const event = await openToWorld(groupId, 3306);
    const proxy = await startFaultProxy(motoEndpoint());
    const denied = accountClients(account, proxy.endpoint);
    try {
      proxy.setRules([{ service: 'ec2', code: 'UnauthorizedOperation', status: 403, message: 'You are not authorized to perform this operation.' }]);
      const result = await processRecords([event], deps({ clientsFor: () => denied }));
      expect(result.errors).toEqual([expect.objectContaining({ kind: 're-read', code: 'UnauthorizedOperation' })]);
      expect(result.errors[0]?.message).toContain(groupId);
      expect(result.reReads).toMatchObject([{ outcome: 'failed' }]);
      const key = resourceKey({ type: TYPE, account, region, id: groupId });
      expect(await store.getHistory(key)).toEqual([]);
      expect(result.transitions).toHaveLength(1);
      expect(result.transitions[0]?.finding).toMatchObject({ ruleId: 'sg-ingress-open-db', status: 'open', certainty: 'definite', eventId: event.eventID, actor: { arn: sessionArn(account) } });
    } finally {
      denied.destroy();
      await proxy.close();
    }
  });

  it('an account leuko has no credentials for: judged, kept, reported; a failed call is recorded only', async () => {
    const other = uniqueAccountId();
    const foreign = record(authorizeIngressRecord(other, region, 'sg-0aaaabbbbccccdddd', { protocol: 'tcp', port: 22, cidr: '0.0.0.0/0' }, []));
    const refused = record({ ...authorizeIngressRecord(account, region, 'sg-0123', { protocol: 'tcp', port: 22, cidr: '0.0.0.0/0' }, []), errorCode: 'Client.UnauthorizedOperation', errorMessage: 'You are not authorized', responseElements: null });

    const result = await processRecords([foreign, refused], deps());

    expect(result.errors).toEqual([expect.objectContaining({ kind: 're-read', message: expect.stringContaining(`no credentials for account ${other}`) })]);
    expect(result.failedCalls).toHaveLength(1);
    expect(result.transitions.map((transition) => transition.finding.resource.account)).toEqual([other]);
    expect(result.transitions[0]?.finding.part).toBe('ingress|tcp|22-22|ipv4:0.0.0.0/0');
  });

  it('from the queue: an EventBridge message goes through the pipeline and is deleted once its finding is saved', async () => {
    const sqs = clients.client('sqs', 'us-east-1');
    const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: `leuko-pipeline-${Date.now()}` }))).QueueUrl!;
    const groupId = await createGroup('leuko-pipeline-queue');
    const event = await openToWorld(groupId, 22);
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(eventBridgeEvent(event.raw as Record<string, unknown>)) }));
    const pipeline = createEventPipeline(deps());
    const results: ProcessRecordsResult[] = [];
    const intake = startSqsIntake({
      sqs,
      queueUrl,
      waitTimeSeconds: 1,
      handle: async (message) => {
        results.push(await pipeline.process(message.records));
      },
    });
    const deadline = Date.now() + 30_000;
    while (results.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    const stats = await intake.stop();
    expect(stats).toMatchObject({ processed: 1, deleted: 1, failed: 0 });
    expect(results[0]?.transitions.map((transition) => [transition.finding.ruleId, transition.to, transition.finding.eventId])).toEqual([
      ['sg-ingress-open-admin', 'open', event.eventID],
    ]);
    const left = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
    expect(Number(left.Attributes?.ApproximateNumberOfMessages) + Number(left.Attributes?.ApproximateNumberOfMessagesNotVisible)).toBe(0);
  });

  it('a bucket event is followed to the bucket region, whatever region the call was made in', async () => {
    const bucket = `leuko-pipeline-${Date.now()}`;
    const s3 = clients.client('s3', 'eu-west-1');
    await s3.send(new CreateBucketCommand({ Bucket: bucket, CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
    await s3.send(new PutBucketAclCommand({ Bucket: bucket, ACL: 'public-read' }));
    const event = record({
      eventVersion: '1.09',
      userIdentity: assumedRoleIdentity(account),
      eventTime: new Date().toISOString(),
      eventSource: 's3.amazonaws.com',
      eventName: 'PutBucketAcl',
      // Called through the global endpoint: CloudTrail writes us-east-1, the bucket lives in eu-west-1.
      awsRegion: 'us-east-1',
      sourceIPAddress: '203.0.113.9',
      userAgent: '[aws-cli/2.17.0]',
      requestParameters: { bucketName: bucket, Host: 's3.amazonaws.com', acl: [''], 'x-amz-acl': ['public-read'] },
      responseElements: null,
      eventID: 'a0b1c2d3-0000-4000-8000-000000000001',
      eventType: 'AwsApiCall',
      recipientAccountId: account,
    });

    const result = await processRecords([event], deps());

    expect(result.errors).toEqual([]);
    const key = resourceKey({ type: 'aws.s3.bucket', account, region: 'eu-west-1', id: bucket });
    expect(result.reReads).toMatchObject([{ key, region: 'eu-west-1', outcome: 'created' }]);
    expect((await store.getHistory(key))[0]?.actor?.arn).toBe(sessionArn(account));
    const acl = result.transitions.find((transition) => transition.finding.ruleId === 's3-public-acl');
    expect(acl?.finding).toMatchObject({ status: 'open', part: 'grant:group:AllUsers:READ', resource: { region: 'eu-west-1' }, eventId: event.eventID });
    // The event alone judged it under the region it named; the id that counts is the re-read's.
    expect(result.eventFindings.map((finding) => finding.resource.region)).toEqual(['us-east-1']);

    // The next event on it finds the bucket's findings where the re-read put them: still open, first seen kept.
    const again = await processRecords([record({ ...event.raw, eventID: 'a0b1c2d3-0000-4000-8000-000000000002' })], deps({ now: () => new Date(Date.now() + 60_000) }));
    expect(again.transitions).toEqual([]);
    const stored = await store.getFinding(acl!.finding.id);
    expect(stored).toMatchObject({ status: 'open', firstSeen: acl?.finding.firstSeen, eventId: event.eventID });
    expect(stored?.lastSeen).not.toBe(acl?.finding.lastSeen);

    // Deleted through the global endpoint too: the stored eu-west-1 bucket is the one marked deleted.
    await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
    const deletion = record({ ...event.raw, eventName: 'DeleteBucket', requestParameters: { bucketName: bucket, Host: 's3.amazonaws.com' }, eventID: 'a0b1c2d3-0000-4000-8000-000000000003' });
    const gone = await processRecords([deletion], deps());
    expect(gone.reReads).toMatchObject([{ key, region: 'eu-west-1', outcome: 'deleted' }]);
    expect((await store.getResource(key))?.deletedAt).toBeDefined();
    expect(gone.transitions.map((transition) => [transition.finding.ruleId, transition.to])).toContainEqual(['s3-public-acl', 'resolved']);
  });
});
