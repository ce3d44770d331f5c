// Reading CloudTrail logs from s3://bucket/prefix on moto: pages of keys, gzipped and plain objects, a bad object
// reported by key while the rest are read, and `leuko replay s3://…` end to end.
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccountClients } from '../../src/aws/clients/client-factory.js';
import type { InputError } from '../../src/core/errors.js';
import { createReadStats } from '../../src/sources/cloudtrail/readers.js';
import { parseS3Url, readS3Records } from '../../src/sources/cloudtrail/s3-source.js';
import { motoEnv, TEST_CREDENTIALS } from '../harness/aws.js';
import { parseJson, runCli } from '../harness/cli.js';
import { authorizeIngressRecord, describeRecord, eventBridgeEvent, sessionArn } from './support.js';

// The CLI uses the default credentials, so this file works in moto's default account, in its own bucket.
const account = '123456789012';
const clients = createAccountClients({ env: motoEnv(), credentials: async () => ({ ...TEST_CREDENTIALS }), accountId: account, maxAttempts: 3 });
const s3 = clients.client('s3', 'us-east-1');
const bucket = `leuko-replay-${randomUUID().slice(0, 8)}`;
const prefix = `AWSLogs/${account}/CloudTrail/eu-west-1/2026/11/23/`;
const open = authorizeIngressRecord(account, 'eu-west-1', 'sg-0123456789abcdef0', { protocol: 'tcp', port: 22, cidr: '0.0.0.0/0' }, [
  { SecurityGroupRuleId: 'sgr-0abc0000000000001', IsEgress: false, IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIpv4: '0.0.0.0/0' },
]);

async function put(key: string, body: string | Buffer): Promise<void> {
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
}

beforeAll(async () => {
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await put(`${prefix}${account}_CloudTrail_eu-west-1_20261123T1200Z_a.json.gz`, gzipSync(JSON.stringify({ Records: [open, describeRecord(account, 'eu-west-1')] })));
  await put(`${prefix}${account}_CloudTrail_eu-west-1_20261123T1205Z_b.json.gz`, Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x01, 0x02]));
  await put(`${prefix}${account}_CloudTrail_eu-west-1_20261123T1210Z_c.jsonl`, `${JSON.stringify(describeRecord(account, 'eu-west-1'))}\n${JSON.stringify(eventBridgeEvent(describeRecord(account, 'eu-west-1')))}\n`);
  await put(`${prefix}${account}_CloudTrail_eu-west-1_20261123T1215Z_d.json`, '{"Records": [ {"eventName": ');
  await put(`AWSLogs/${account}/CloudTrail-Digest/eu-west-1/2026/11/23/digest.json.gz`, gzipSync('{"digest": true}'));
  await put(`${prefix}README.txt`, 'not a log');
  await put(`AWSLogs/${account}/CloudTrail/us-east-1/2026/11/23/other.json`, JSON.stringify({ Records: [describeRecord(account, 'us-east-1')] }));
});

afterAll(() => clients.destroy());

describe('s3:// source', () => {
  it('parses locations', () => {
    expect(parseS3Url('s3://bucket')).toEqual({ bucket: 'bucket', prefix: '' });
    expect(parseS3Url('s3://bucket/a/b/')).toEqual({ bucket: 'bucket', prefix: 'a/b/' });
    expect(() => parseS3Url('s3:///x')).toThrow(/expected s3:\/\/bucket\/prefix/);
  });

  it('reads every log object under the prefix, page by page; a bad object is reported by key and the rest go on', async () => {
    const errors: InputError[] = [];
    const stats = createReadStats();
    const records = [];
    for await (const item of readS3Records(s3, { bucket, prefix }, { stats, pageSize: 1, onError: (error) => errors.push(error) })) records.push(item);
    expect(records.map(({ record }) => record.eventName)).toEqual(['AuthorizeSecurityGroupIngress', 'DescribeInstances', 'DescribeInstances', 'DescribeInstances']);
    expect(records[0]?.source).toEqual({ file: `s3://${bucket}/${prefix}${account}_CloudTrail_eu-west-1_20261123T1200Z_a.json.gz`, index: 0 });
    expect(records[2]?.source.line).toBe(1);
    expect(stats.files).toBe(4);
    expect(errors.map((error) => error.message)).toEqual([
      expect.stringMatching(new RegExp(`^s3://${bucket}/${prefix}.*_b\\.json\\.gz: gzip stream broken`)),
      expect.stringMatching(new RegExp(`^s3://${bucket}/${prefix}.*_d\\.json: malformed JSON`)),
    ]);
  });

  it('a bucket that does not exist is one error naming it', async () => {
    const errors: InputError[] = [];
    const records = [];
    for await (const item of readS3Records(s3, { bucket: `${bucket}-missing`, prefix: '' }, { onError: (error) => errors.push(error) })) records.push(item);
    expect(records).toEqual([]);
    expect(errors.map((error) => error.message)).toEqual([expect.stringMatching(new RegExp(`^s3://${bucket}-missing/: cannot list: NoSuchBucket`))]);
  });

  it('leuko replay s3://bucket/prefix prints what would have been found, and exits 3 for the unreadable objects', async () => {
    const result = await runCli(['replay', `s3://${bucket}/${prefix}`, '--json'], { env: motoEnv() });
    expect(result.code, result.stderr).toBe(3);
    const json = parseJson<{ findings: Array<{ ruleId: string; part: string; actor: { arn: string }; eventId: string }>; inputErrors: Array<{ message: string }>; read: { files: number } }>(result);
    expect(json.findings.map((finding) => [finding.ruleId, finding.part, finding.actor.arn, finding.eventId])).toEqual([
      ['sg-ingress-open-admin', 'sgr-0abc0000000000001', sessionArn(account), open.eventID],
    ]);
    expect(json.read.files).toBe(4);
    expect(json.inputErrors).toHaveLength(2);

    const whole = await runCli(['replay', `s3://${bucket}`, 'no-such-file.json'], { env: motoEnv() });
    expect(whole.stdout).toMatch(/Replayed \d+ record\(s\) from 5 file\(s\)/);
    expect(whole.stdout).toContain('no-such-file.json: cannot read');
  });
});
