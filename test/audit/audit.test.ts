// Policy engine end to end on moto, through the CLI: an estate with a planted problem for every kind of
// rule gives exactly the expected findings; fixing one and re-running resolves exactly that finding; an
// exception added to leuko.yaml justifies another.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { CreateTableCommand, UpdateContinuousBackupsCommand } from '@aws-sdk/client-dynamodb';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateVolumeCommand,
  CreateVpcCommand,
  DescribeImagesCommand,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import { CreateDBInstanceCommand, CreateDBSnapshotCommand, ModifyDBSnapshotAttributeCommand } from '@aws-sdk/client-rds';
import {
  CreateBucketCommand,
  PutBucketAclCommand,
  PutBucketPolicyCommand,
  PutPublicAccessBlockCommand,
} from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { accountClients, motoEnv, uniqueAccountId } from '../harness/aws.js';
import { parseJson, runCli, type CliResult } from '../harness/cli.js';

interface JsonFinding {
  id: string;
  ruleId: string;
  status: string;
  severity: string;
  certainty: string;
  resource: { type: string; id: string; region: string; account: string; arn: string };
  message: string;
  justification?: { reason: string };
}
interface InventoryItem {
  type: string;
  id: string;
  region: string;
  config: { isDefault?: boolean };
}

const HOME = 'eu-west-1';
const AWAY = 'us-east-1';

describe('audit: findings for every kind of problem, their lifecycle and exceptions', () => {
  const account = uniqueAccountId();
  const dir = mkdtempSync(join(tmpdir(), 'leuko-audit-'));
  const db = join(dir, 'leuko.db');
  const configPath = join(dir, 'leuko.yaml');
  const ids: Record<string, string> = {};
  const env = motoEnv();
  const baseConfig = [
    `accounts:`,
    `  - id: "${account}"`,
    `    roleArn: arn:aws:iam::${account}:role/leuko-audit`,
    `regions: [${HOME}, ${AWAY}]`,
    `rules:`,
    `  region-not-allowed: { allowedRegions: [${HOME}] }`,
    `  sg-egress-open-all: { enabled: true }`,
    `  sg-ingress-baseline:`,
    `    baseline:`,
    `      - { protocol: tcp, ports: 443, cidrs: [0.0.0.0/0] }`,
  ];
  const audit = (...extra: string[]): Promise<CliResult> =>
    runCli(['--db', db, '--config', configPath, 'audit', '--json', ...extra], { env });
  const pairs = (findings: JsonFinding[]) => findings.map((f) => `${f.ruleId} ${f.resource.id}`).sort();
  let first: JsonFinding[];
  let inventory: InventoryItem[];

  beforeAll(async () => {
    const clients = accountClients(account);
    const ec2 = clients.client('ec2', HOME);
    const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.9.0.0/16' }))).Vpc?.VpcId;
    const group = async (name: string, permission?: { protocol: string; port?: number; cidr: string }) => {
      const id = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: name, Description: name, VpcId: vpcId }))).GroupId ?? '';
      if (permission) {
        await ec2.send(
          new AuthorizeSecurityGroupIngressCommand({
            GroupId: id,
            IpPermissions: [
              {
                IpProtocol: permission.protocol,
                ...(permission.port !== undefined ? { FromPort: permission.port, ToPort: permission.port } : {}),
                IpRanges: [{ CidrIp: permission.cidr }],
              },
            ],
          }),
        );
      }
      ids[name] = id;
    };
    await group('all', { protocol: '-1', cidr: '0.0.0.0/0' });
    await group('admin', { protocol: 'tcp', port: 22, cidr: '0.0.0.0/0' });
    await group('db', { protocol: 'tcp', port: 5432, cidr: '0.0.0.0/0' });
    await group('port', { protocol: 'tcp', port: 8443, cidr: '0.0.0.0/0' });
    await group('web', { protocol: 'tcp', port: 443, cidr: '0.0.0.0/0' });
    await group('vendor', { protocol: 'tcp', port: 9000, cidr: '198.51.100.0/24' });

    ids.plainVolume = (await ec2.send(new CreateVolumeCommand({ AvailabilityZone: `${HOME}a`, Size: 8, Encrypted: false }))).VolumeId ?? '';
    await ec2.send(new CreateVolumeCommand({ AvailabilityZone: `${HOME}a`, Size: 8, Encrypted: true }));

    const s3 = clients.client('s3', HOME);
    for (const suffix of ['acl', 'policy', 'private']) {
      ids[`bucket-${suffix}`] = `audit-${account}-${suffix}`;
      await s3.send(new CreateBucketCommand({ Bucket: ids[`bucket-${suffix}`], CreateBucketConfiguration: { LocationConstraint: HOME } }));
    }
    await s3.send(new PutBucketAclCommand({ Bucket: ids['bucket-acl'], ACL: 'public-read' }));
    await s3.send(
      new PutBucketPolicyCommand({
        Bucket: ids['bucket-policy'],
        Policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Sid: 'Public', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${ids['bucket-policy']}/*` }],
        }),
      }),
    );
    await s3.send(
      new PutPublicAccessBlockCommand({
        Bucket: ids['bucket-private'],
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
      }),
    );
    ids['bucket-away'] = `audit-${account}-away`;
    await clients.client('s3', AWAY).send(new CreateBucketCommand({ Bucket: ids['bucket-away'] }));

    const rds = clients.client('rds', HOME);
    const database = (id: string, open: boolean) =>
      rds.send(
        new CreateDBInstanceCommand({
          DBInstanceIdentifier: id,
          DBInstanceClass: 'db.t3.micro',
          Engine: 'postgres',
          AllocatedStorage: 20,
          MasterUsername: 'admin',
          MasterUserPassword: 'password-123456',
          PubliclyAccessible: open,
          StorageEncrypted: !open,
        }),
      );
    await database('public-db', true);
    await database('private-db', false);
    await rds.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'private-db', DBSnapshotIdentifier: 'shared-snap' }));
    await rds.send(new ModifyDBSnapshotAttributeCommand({ DBSnapshotIdentifier: 'shared-snap', AttributeName: 'restore', ValuesToAdd: ['all'] }));

    const dynamodb = clients.client('dynamodb', HOME);
    for (const name of ['no-pitr', 'with-pitr']) {
      await dynamodb.send(
        new CreateTableCommand({
          TableName: name,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [{ AttributeName: 'k', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'k', KeyType: 'HASH' }],
        }),
      );
    }
    await dynamodb.send(
      new UpdateContinuousBackupsCommand({ TableName: 'with-pitr', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }),
    );

    const awayEc2 = clients.client('ec2', AWAY);
    const image = (await awayEc2.send(new DescribeImagesCommand({ Owners: ['amazon'], Filters: [{ Name: 'name', Values: ['amzn*'] }] }))).Images?.[0]?.ImageId;
    ids.strayInstance = (await awayEc2.send(new RunInstancesCommand({ ImageId: image, MinCount: 1, MaxCount: 1 }))).Instances?.[0]?.InstanceId ?? '';
    await clients.client('cloudformation', AWAY).send(
      new CreateStackCommand({ StackName: 'stray-stack', TemplateBody: JSON.stringify({ Resources: { T: { Type: 'AWS::SNS::Topic' } } }) }),
    );
    clients.destroy();

    writeFileSync(configPath, `${baseConfig.join('\n')}\n`);
    const result = await audit();
    expect(result.stderr).toBe('');
    first = parseJson<{ findings: JsonFinding[] }>(result).findings;
    inventory = parseJson<InventoryItem[]>(await runCli(['--db', db, 'inventory', '--json'], { env }));
  });

  it('finds exactly the planted problems, one finding per rule and offending resource', () => {
    const groups = inventory.filter((r) => r.type === 'aws.ec2.security-group');
    const defaults = groups.filter((g) => g.config.isDefault);
    const away = inventory.filter((r) => r.region === AWAY);
    const awayVolumes = away.filter((r) => r.type === 'aws.ec2.volume');
    expect(awayVolumes.length).toBeGreaterThanOrEqual(1);
    const expected = [
      `sg-ingress-open-all ${ids.all}`,
      `sg-ingress-open-admin ${ids.admin}`,
      `sg-ingress-open-db ${ids.db}`,
      `sg-ingress-open-port ${ids.port}`,
      ...['all', 'admin', 'db', 'port', 'vendor'].map((name) => `sg-ingress-baseline ${ids[name]}`),
      ...defaults.map((g) => `sg-default-has-rules ${g.id}`),
      ...groups.map((g) => `sg-egress-open-all ${g.id}`),
      `s3-public-acl ${ids['bucket-acl']}`,
      `s3-public-policy ${ids['bucket-policy']}`,
      ...['acl', 'policy', 'away'].map((suffix) => `s3-public-access-block-off ${ids[`bucket-${suffix}`]}`),
      `ebs-unencrypted ${ids.plainVolume}`,
      ...awayVolumes.map((v) => `ebs-unencrypted ${v.id}`),
      'rds-public public-db',
      'rds-unencrypted public-db',
      'rds-snapshot-public shared-snap',
      'dynamodb-no-pitr no-pitr',
      ...away.map((r) => `region-not-allowed ${r.id}`),
    ].sort();
    expect(pairs(first)).toEqual(expected);
    expect(away.map((r) => r.type).sort()).toEqual(
      expect.arrayContaining(['aws.cloudformation.stack', 'aws.ec2.instance', 'aws.s3.bucket', 'aws.ec2.security-group']),
    );
    for (const finding of first) {
      expect(finding.status).toBe('open');
      expect(finding.resource.account).toBe(account);
      expect(finding.id).toMatch(/^f-/);
      expect(finding.message.length).toBeGreaterThan(0);
    }
    expect(first.find((f) => f.ruleId === 'sg-ingress-open-all')?.severity).toBe('critical');
    expect(first.find((f) => f.ruleId === 'rds-public')?.certainty).toBe('definite');
  });

  it('re-running with nothing changed opens nothing new and keeps the same ids', async () => {
    const again = parseJson<{ findings: JsonFinding[] }>(await audit('--no-scan')).findings;
    expect(again.map((f) => f.id).sort()).toEqual(first.map((f) => f.id).sort());
  });

  it('a fix resolves exactly its finding, and an exception justifies another', async () => {
    const clients = accountClients(account);
    await clients.client('dynamodb', HOME).send(
      new UpdateContinuousBackupsCommand({ TableName: 'no-pitr', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }),
    );
    clients.destroy();
    writeFileSync(
      configPath,
      [
        ...baseConfig,
        'exceptions:',
        '  - rules: [sg-ingress-open-admin]',
        `    resourceId: ${ids.admin}`,
        '    justification: Bastion behind MFA-only SSH certificates (SEC-1423)',
        '    expires: 2099-12-31',
        '',
      ].join('\n'),
    );
    const second = parseJson<{ findings: JsonFinding[] }>(await audit()).findings;
    const all = parseJson<{ findings: JsonFinding[] }>(
      await runCli(['--db', db, '--config', configPath, 'findings', '--status', 'all', '--json'], { env }),
    ).findings;
    const resolved = all.filter((f) => f.status === 'resolved');
    expect(pairs(resolved)).toEqual(['dynamodb-no-pitr no-pitr']);
    const justified = all.filter((f) => f.status === 'justified');
    expect(pairs(justified)).toEqual([`sg-ingress-open-admin ${ids.admin}`]);
    expect(justified[0]?.justification?.reason).toContain('SEC-1423');
    expect(pairs(second)).toEqual(pairs(first).filter((pair) => pair !== 'dynamodb-no-pitr no-pitr'));
  });

  it('--fail-on sets exit 1 for open findings at or above the severity; a bad severity is a usage error', async () => {
    const failing = await audit('--no-scan', '--fail-on', 'critical');
    expect(failing.code).toBe(1);
    const bad = await audit('--no-scan', '--fail-on', 'severe');
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe('leuko: --fail-on must be one of critical, high, medium, low, info');
  });

  it('writes the other report formats', async () => {
    for (const format of ['csv', 'html', 'asff', 'ocsf']) {
      const file = join(dir, `report.${format}`);
      const result = await runCli(['--db', db, '--config', configPath, 'findings', '--format', format, '-o', file], { env });
      expect(result.code, result.stderr).toBe(0);
    }
  });

  it('a policy error in leuko.yaml names the file, line and key', async () => {
    const broken = join(dir, 'broken.yaml');
    writeFileSync(broken, ['regions: [eu-west-1]', 'rules:', '  sg-ingress-open-admin:', '    ports: [22, "ssh"]', ''].join('\n'));
    const result = await runCli(['--db', db, '--config', broken, 'audit', '--no-scan'], { env });
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/broken\.yaml:4: rules\.sg-ingress-open-admin\.ports\[1\]/);
  });
});
