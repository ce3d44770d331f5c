// Integration tests of the EC2 resource modules (security groups, instances, volumes) against the run's moto server.
import {
  AttachVolumeCommand,
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateKeyPairCommand,
  CreateManagedPrefixListCommand,
  CreateSecurityGroupCommand,
  CreateSnapshotCommand,
  CreateVolumeCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  DescribeVolumesCommand,
  DescribeVpcsCommand,
  RunInstancesCommand,
  TerminateInstancesCommand,
  type EC2Client,
  type Instance,
  type Volume,
} from '@aws-sdk/client-ec2';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AccountClients } from '../../src/aws/clients/client-factory.js';
import type { Limiter } from '../../src/aws/clients/limiter.js';
import { createInstanceModule, instanceModule } from '../../src/aws/resources/ec2-instance.js';
import {
  compareRules,
  securityGroupFromAws,
  securityGroupModule,
} from '../../src/aws/resources/ec2-security-group.js';
import { volumeModule } from '../../src/aws/resources/ec2-volume.js';
import type { CollectContext, CollectWarning } from '../../src/aws/resources/resource-module.js';
import {
  instanceSchema,
  securityGroupSchema,
  volumeSchema,
  type SgRule,
} from '../../src/core/models/index.js';
import { accountClients, uniqueAccountId } from '../harness/aws.js';

const account = uniqueAccountId();
const setup = accountClients(account);

/** A scan context with its own clients, so its call counts are the module's alone. */
function scanContext(region: string): {
  context: CollectContext;
  clients: AccountClients;
  warnings: CollectWarning[];
} {
  const clients = accountClients(account);
  const warnings: CollectWarning[] = [];
  return {
    context: { account, region, partition: 'aws', clients, warn: (warning) => warnings.push(warning) },
    clients,
    warnings,
  };
}

function calls(clients: AccountClients): Record<string, number> {
  return Object.fromEntries(clients.stats.byOperation);
}

async function defaultVpcId(ec2: EC2Client): Promise<string> {
  const output = await ec2.send(
    new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }),
  );
  const vpcId = output.Vpcs?.[0]?.VpcId;
  if (!vpcId) throw new Error('moto has no default VPC');
  return vpcId;
}

async function createGroup(
  ec2: EC2Client,
  vpcId: string,
  name: string,
  tags: Record<string, string> = {},
): Promise<string> {
  const tagList = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
  const output = await ec2.send(
    new CreateSecurityGroupCommand({
      GroupName: name,
      Description: `${name} group`,
      VpcId: vpcId,
      ...(tagList.length ? { TagSpecifications: [{ ResourceType: 'security-group', Tags: tagList }] } : {}),
    }),
  );
  if (!output.GroupId) throw new Error(`no id for group ${name}`);
  return output.GroupId;
}

async function anyAmi(ec2: EC2Client): Promise<string> {
  // Filtered: moto's full AMI catalogue is over a thousand images and takes seconds to describe.
  const images = await ec2.send(
    new DescribeImagesCommand({
      Owners: ['amazon'],
      Filters: [{ Name: 'name', Values: ['amzn2-ami-hvm-*'] }],
    }),
  );
  const imageId = images.Images?.map((image) => image.ImageId).find((id): id is string => id !== undefined);
  if (!imageId) throw new Error('moto lists no AMI');
  return imageId;
}

function withoutRuleIds(rules: readonly SgRule[]): SgRule[] {
  return rules.map(({ ruleId: _ruleId, ...rest }) => rest).sort(compareRules);
}

describe('aws.ec2.security-group on moto', () => {
  const region = 'eu-west-1';
  const ec2 = setup.client('ec2', region);
  let vpcId: string;
  let webId: string;
  let peerId: string;
  let defaultId: string;
  let prefixListId: string;

  beforeAll(async () => {
    vpcId = await defaultVpcId(ec2);
    peerId = await createGroup(ec2, vpcId, 'leuko-peer');
    webId = await createGroup(ec2, vpcId, 'leuko-web', { Name: 'web-tag', env: 'test' });
    const prefixList = await ec2.send(
      new CreateManagedPrefixListCommand({
        PrefixListName: 'leuko-offices',
        MaxEntries: 5,
        AddressFamily: 'IPv4',
        Entries: [{ Cidr: '198.51.100.0/24' }],
      }),
    );
    prefixListId = prefixList.PrefixList?.PrefixListId ?? '';
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: webId,
        IpPermissions: [
          {
            IpProtocol: 'tcp',
            FromPort: 22,
            ToPort: 22,
            IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'ssh from anywhere' }],
          },
          { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, Ipv6Ranges: [{ CidrIpv6: '::/0' }] },
          { IpProtocol: '-1', UserIdGroupPairs: [{ GroupId: peerId }] },
          { IpProtocol: 'udp', FromPort: 53, ToPort: 53, PrefixListIds: [{ PrefixListId: prefixListId }] },
          { IpProtocol: 'icmp', FromPort: 8, ToPort: -1, IpRanges: [{ CidrIp: '10.0.0.0/8' }] },
          { IpProtocol: 'tcp', FromPort: 1000, ToPort: 2000, IpRanges: [{ CidrIp: '192.168.0.0/16' }] },
        ],
      }),
    );
    await ec2.send(
      new AuthorizeSecurityGroupEgressCommand({
        GroupId: webId,
        IpPermissions: [
          { IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, UserIdGroupPairs: [{ GroupId: peerId }] },
        ],
      }),
    );
    const groups = await ec2.send(
      new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: ['default'] }] }),
    );
    defaultId = groups.SecurityGroups?.[0]?.GroupId ?? '';
  });

  it('lists every group of the region in one DescribeSecurityGroups and one DescribeSecurityGroupRules call', async () => {
    const { context, clients, warnings } = scanContext(region);
    const resources = await securityGroupModule.list(context);
    expect(resources.map((resource) => resource.id)).toEqual([defaultId, peerId, webId].sort());
    // moto returns both listings in one page; with MaxResults at its maximum so does AWS up to 1,000.
    expect(calls(clients)).toEqual({ 'ec2:DescribeSecurityGroups': 1, 'ec2:DescribeSecurityGroupRules': 1 });
    expect(warnings).toEqual([]);
  });

  it('builds the canonical model: one rule per peer, every peer kind, AWS rule ids', async () => {
    const { context } = scanContext(region);
    const web = (await securityGroupModule.list(context)).find((resource) => resource.id === webId);
    if (!web) throw new Error('web group not listed');
    expect(securityGroupSchema.parse(web.config)).toEqual(web.config);

    const { rules, ...group } = web.config;
    expect(group).toEqual({
      groupId: webId,
      groupName: 'leuko-web',
      description: 'leuko-web group',
      vpcId,
      ownerId: account,
      isDefault: false,
    });
    const peer = { kind: 'security-group', groupId: peerId, userId: account } as const;
    expect(withoutRuleIds(rules)).toEqual(
      withoutRuleIds([
        {
          direction: 'ingress',
          protocol: 'tcp',
          fromPort: 22,
          toPort: 22,
          peer: { kind: 'ipv4', cidr: '0.0.0.0/0' },
          description: 'ssh from anywhere',
        },
        {
          direction: 'ingress',
          protocol: 'tcp',
          fromPort: 443,
          toPort: 443,
          peer: { kind: 'ipv6', cidr: '::/0' },
        },
        { direction: 'ingress', protocol: 'all', fromPort: 0, toPort: 65535, peer },
        {
          direction: 'ingress',
          protocol: 'udp',
          fromPort: 53,
          toPort: 53,
          peer: { kind: 'prefix-list', prefixListId },
        },
        {
          direction: 'ingress',
          protocol: 'icmp',
          fromPort: 8,
          toPort: -1,
          peer: { kind: 'ipv4', cidr: '10.0.0.0/8' },
        },
        {
          direction: 'ingress',
          protocol: 'tcp',
          fromPort: 1000,
          toPort: 2000,
          peer: { kind: 'ipv4', cidr: '192.168.0.0/16' },
        },
        {
          direction: 'egress',
          protocol: 'all',
          fromPort: 0,
          toPort: 65535,
          peer: { kind: 'ipv4', cidr: '0.0.0.0/0' },
        },
        { direction: 'egress', protocol: 'tcp', fromPort: 5432, toPort: 5432, peer },
      ]),
    );

    // The ids are AWS's own, and the rules are ordered by them.
    const awsRules = await ec2.send(
      new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [webId] }] }),
    );
    const awsIds = (awsRules.SecurityGroupRules ?? []).map((rule) => rule.SecurityGroupRuleId).sort();
    expect(rules.map((rule) => rule.ruleId)).toEqual(awsIds);
    expect(awsIds).toHaveLength(8);
    for (const id of awsIds) expect(id).toMatch(/^sgr-[0-9a-f]+$/);

    expect({ ...web, config: undefined }).toEqual({
      type: 'aws.ec2.security-group',
      account,
      region,
      id: webId,
      arn: `arn:aws:ec2:${region}:${account}:security-group/${webId}`,
      name: 'leuko-web',
      tags: { Name: 'web-tag', env: 'test' },
      config: undefined,
    });
  });

  it('models the VPC default group', async () => {
    const { context } = scanContext(region);
    const resource = await securityGroupModule.get(context, defaultId);
    expect(resource?.config).toMatchObject({ groupName: 'default', isDefault: true, vpcId });
    expect(withoutRuleIds(resource?.config.rules ?? [])).toEqual([
      {
        direction: 'egress',
        protocol: 'all',
        fromPort: 0,
        toPort: 65535,
        peer: { kind: 'ipv4', cidr: '0.0.0.0/0' },
      },
    ]);
  });

  it('gets one group by id with the same model as the listing, in two calls', async () => {
    const listed = (await securityGroupModule.list(scanContext(region).context)).find(
      (resource) => resource.id === webId,
    );
    const { context, clients } = scanContext(region);
    expect(await securityGroupModule.get(context, webId)).toEqual(listed);
    expect(calls(clients)).toEqual({ 'ec2:DescribeSecurityGroups': 1, 'ec2:DescribeSecurityGroupRules': 1 });
  });

  it('answers null for a group that does not exist', async () => {
    expect(await securityGroupModule.get(scanContext(region).context, 'sg-0123456789abcdef0')).toBeNull();
  });

  it('flattens the nested IpPermissions of the same groups to the same rules, without ids', async () => {
    const { context } = scanContext(region);
    const listed = await securityGroupModule.list(context);
    const described = await ec2.send(new DescribeSecurityGroupsCommand({}));
    for (const group of described.SecurityGroups ?? []) {
      const resource = listed.find((candidate) => candidate.id === group.GroupId);
      if (!resource) throw new Error(`${group.GroupId} not listed`);
      expect(securityGroupFromAws(group)).toEqual({
        ...resource.config,
        rules: withoutRuleIds(resource.config.rules),
      });
    }
  });
});

describe('aws.ec2.security-group listing while a group changes', () => {
  const region = 'eu-west-2';
  const ec2 = setup.client('ec2', region);

  it('re-reads only the rules of a group whose two listings disagree', async () => {
    const groupId = await createGroup(ec2, await defaultVpcId(ec2), 'leuko-drift');
    const { context, clients } = scanContext(region);
    const limiter = clients.limiter(region);
    // A real change on moto between the two listings: the groups listing (which list() asks first) is held
    // until the rules listing has answered, then a rule is added, so the rules listing is the stale one.
    let rulesAnswered: () => void = () => undefined;
    const rulesDone = new Promise<void>((resolve) => {
      rulesAnswered = resolve;
    });
    let started = 0;
    const changing: Limiter = {
      get active() {
        return limiter.active;
      },
      get pending() {
        return limiter.pending;
      },
      async run<T>(task: () => Promise<T>): Promise<T> {
        started += 1;
        const call = started;
        if (call === 1) {
          await rulesDone;
          await ec2.send(
            new AuthorizeSecurityGroupIngressCommand({
              GroupId: groupId,
              IpPermissions: [
                { IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, IpRanges: [{ CidrIp: '203.0.113.0/24' }] },
              ],
            }),
          );
        }
        try {
          return await limiter.run(task);
        } finally {
          if (call === 2) rulesAnswered();
        }
      },
    };
    const racing: CollectContext = {
      ...context,
      clients: {
        accountId: clients.accountId,
        stats: clients.stats,
        client: clients.client.bind(clients),
        destroy: () => undefined,
        limiter: () => changing,
        resolveAccountId: () => clients.resolveAccountId(),
      },
    };

    const drift = (await securityGroupModule.list(racing)).find((resource) => resource.id === groupId);
    expect(withoutRuleIds(drift?.config.rules ?? [])).toEqual(
      withoutRuleIds([
        {
          direction: 'egress',
          protocol: 'all',
          fromPort: 0,
          toPort: 65535,
          peer: { kind: 'ipv4', cidr: '0.0.0.0/0' },
        },
        {
          direction: 'ingress',
          protocol: 'tcp',
          fromPort: 8080,
          toPort: 8080,
          peer: { kind: 'ipv4', cidr: '203.0.113.0/24' },
        },
      ]),
    );
    // One extra call, for that group alone.
    expect(calls(clients)).toEqual({ 'ec2:DescribeSecurityGroups': 1, 'ec2:DescribeSecurityGroupRules': 2 });
    expect(drift).toEqual(await securityGroupModule.get(scanContext(region).context, groupId));
  });
});

describe('aws.ec2.instance on moto', () => {
  const region = 'us-west-2';
  const ec2 = setup.client('ec2', region);
  let vpcId: string;
  let appGroupId: string;
  let imageId: string;
  let app: Instance;
  let terminatedId: string;
  const liveIds: string[] = [];

  beforeAll(async () => {
    vpcId = await defaultVpcId(ec2);
    appGroupId = await createGroup(ec2, vpcId, 'leuko-app');
    imageId = await anyAmi(ec2);
    await ec2.send(new CreateKeyPairCommand({ KeyName: 'leuko-key' }));
    const launched = await ec2.send(
      new RunInstancesCommand({
        ImageId: imageId,
        MinCount: 2,
        MaxCount: 2,
        InstanceType: 't3.micro',
        KeyName: 'leuko-key',
        SecurityGroupIds: [appGroupId],
        Placement: { AvailabilityZone: `${region}b` },
        MetadataOptions: { HttpTokens: 'required' },
        // moto creates no root volume when mappings are given, so the root is spelled out as AWS would make it.
        BlockDeviceMappings: [
          { DeviceName: '/dev/sdb', Ebs: { VolumeSize: 10, DeleteOnTermination: false } },
          { DeviceName: '/dev/sda1', Ebs: { VolumeSize: 8, DeleteOnTermination: true } },
        ],
        TagSpecifications: [
          {
            ResourceType: 'instance',
            Tags: [
              { Key: 'Name', Value: 'app' },
              { Key: 'tier', Value: 'web' },
            ],
          },
        ],
      }),
    );
    liveIds.push(...(launched.Instances ?? []).map((instance) => instance.InstanceId ?? ''));
    // Four more reservations: with the terminated one, six, so a page size of 5 needs two pages.
    for (let index = 0; index < 4; index += 1) {
      const single = await ec2.send(new RunInstancesCommand({ ImageId: imageId, MinCount: 1, MaxCount: 1 }));
      liveIds.push(single.Instances?.[0]?.InstanceId ?? '');
    }
    const doomed = await ec2.send(new RunInstancesCommand({ ImageId: imageId, MinCount: 1, MaxCount: 1 }));
    terminatedId = doomed.Instances?.[0]?.InstanceId ?? '';
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [terminatedId] }));

    const firstId = liveIds[0] ?? '';
    const described = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [firstId] }));
    const found = described.Reservations?.[0]?.Instances?.[0];
    if (!found) throw new Error(`moto did not describe ${firstId}`);
    app = found;
  });

  it('builds the canonical model from what RunInstances set', async () => {
    const { context } = scanContext(region);
    const resource = await instanceModule.get(context, app.InstanceId ?? '');
    if (!resource) throw new Error('instance not found');
    expect(instanceSchema.parse(resource.config)).toEqual(resource.config);
    // Ids and addresses moto invents are read back from DescribeInstances; the rest is what the test chose.
    const eni = app.NetworkInterfaces?.[0];
    const volumeAt = (device: string) =>
      app.BlockDeviceMappings?.find((mapping) => mapping.DeviceName === device)?.Ebs?.VolumeId;
    expect(resource.config).toEqual({
      instanceId: app.InstanceId,
      state: 'running',
      imageId,
      instanceType: 't3.micro',
      launchTime: app.LaunchTime?.toISOString(),
      vpcId,
      subnetId: app.SubnetId,
      availabilityZone: `${region}b`,
      privateIpAddress: app.PrivateIpAddress,
      publicIpAddress: app.PublicIpAddress,
      keyName: 'leuko-key',
      securityGroupIds: [appGroupId],
      networkInterfaces: [
        {
          networkInterfaceId: eni?.NetworkInterfaceId,
          subnetId: app.SubnetId,
          privateIpAddress: app.PrivateIpAddress,
          publicIpAddress: app.PublicIpAddress,
          securityGroupIds: [appGroupId],
        },
      ],
      volumes: [
        { volumeId: volumeAt('/dev/sda1'), deviceName: '/dev/sda1', deleteOnTermination: true },
        { volumeId: volumeAt('/dev/sdb'), deviceName: '/dev/sdb', deleteOnTermination: false },
      ],
      metadataHttpTokens: 'required',
    });
    expect(eni?.NetworkInterfaceId).toMatch(/^eni-/);
    expect(volumeAt('/dev/sdb')).toMatch(/^vol-/);
    expect({ ...resource, config: undefined }).toEqual({
      type: 'aws.ec2.instance',
      account,
      region,
      id: app.InstanceId,
      arn: `arn:aws:ec2:${region}:${account}:instance/${app.InstanceId}`,
      name: 'app',
      tags: { Name: 'app', tier: 'web' },
      config: undefined,
    });
  });

  it('lists every instance but the terminated one, in one call', async () => {
    const { context, clients } = scanContext(region);
    const resources = await instanceModule.list(context);
    expect(resources.map((resource) => resource.id)).toEqual([...liveIds].sort());
    expect(calls(clients)).toEqual({ 'ec2:DescribeInstances': 1 });
    expect(resources.find((resource) => resource.id === app.InstanceId)).toEqual(
      await instanceModule.get(context, app.InstanceId ?? ''),
    );
  });

  it('follows every page: one call per page', async () => {
    const { context, clients } = scanContext(region);
    // moto pages DescribeInstances by reservation: 6 reservations at 5 a page are 2 pages.
    const resources = await createInstanceModule({ pageSize: 5 }).list(context);
    expect(resources.map((resource) => resource.id)).toEqual([...liveIds].sort());
    expect(calls(clients)).toEqual({ 'ec2:DescribeInstances': 2 });
  });

  it('answers null for a terminated instance and for one that does not exist', async () => {
    const { context } = scanContext(region);
    expect(await instanceModule.get(context, terminatedId)).toBeNull();
    expect(await instanceModule.get(context, 'i-0123456789abcdef0')).toBeNull();
  });
});

describe('aws.ec2.volume on moto', () => {
  const region = 'eu-central-1';
  const zone = `${region}a`;
  const ec2 = setup.client('ec2', region);
  const kmsKeyId = `arn:aws:kms:${region}:${account}:key/0b0e0e0f-1111-4222-8333-444455556666`;
  let instanceId: string;
  let rootVolume: Volume;
  let dataId: string;
  let scratchId: string;
  let restoredId: string;
  let snapshotId: string;

  beforeAll(async () => {
    const launched = await ec2.send(
      new RunInstancesCommand({
        ImageId: await anyAmi(ec2),
        MinCount: 1,
        MaxCount: 1,
        Placement: { AvailabilityZone: zone },
      }),
    );
    instanceId = launched.Instances?.[0]?.InstanceId ?? '';
    const data = await ec2.send(
      new CreateVolumeCommand({
        AvailabilityZone: zone,
        Size: 20,
        VolumeType: 'gp3',
        Encrypted: true,
        KmsKeyId: kmsKeyId,
        TagSpecifications: [{ ResourceType: 'volume', Tags: [{ Key: 'Name', Value: 'data' }] }],
      }),
    );
    dataId = data.VolumeId ?? '';
    await ec2.send(new AttachVolumeCommand({ VolumeId: dataId, InstanceId: instanceId, Device: '/dev/sdf' }));
    const scratch = await ec2.send(
      new CreateVolumeCommand({ AvailabilityZone: zone, Size: 8, VolumeType: 'gp2', Encrypted: false }),
    );
    scratchId = scratch.VolumeId ?? '';
    const snapshot = await ec2.send(new CreateSnapshotCommand({ VolumeId: scratchId }));
    snapshotId = snapshot.SnapshotId ?? '';
    const restored = await ec2.send(
      new CreateVolumeCommand({ AvailabilityZone: zone, SnapshotId: snapshotId, VolumeType: 'gp2' }),
    );
    restoredId = restored.VolumeId ?? '';
    const volumes = await ec2.send(
      new DescribeVolumesCommand({ Filters: [{ Name: 'attachment.instance-id', Values: [instanceId] }] }),
    );
    const root = volumes.Volumes?.find((volume) => volume.VolumeId !== dataId);
    if (!root) throw new Error('no root volume');
    rootVolume = root;
  });

  it('lists every volume of the region in one call', async () => {
    const { context, clients } = scanContext(region);
    const resources = await volumeModule.list(context);
    expect(resources.map((resource) => resource.id)).toEqual(
      [rootVolume.VolumeId, dataId, scratchId, restoredId].sort(),
    );
    expect(calls(clients)).toEqual({ 'ec2:DescribeVolumes': 1 });
    for (const resource of resources) expect(volumeSchema.parse(resource.config)).toEqual(resource.config);
  });

  it('builds the canonical models: encryption, attachments, snapshot origin', async () => {
    const { context } = scanContext(region);
    const byId = new Map((await volumeModule.list(context)).map((resource) => [resource.id, resource]));
    expect(byId.get(dataId)).toEqual({
      type: 'aws.ec2.volume',
      account,
      region,
      id: dataId,
      arn: `arn:aws:ec2:${region}:${account}:volume/${dataId}`,
      name: 'data',
      tags: { Name: 'data' },
      config: {
        volumeId: dataId,
        sizeGiB: 20,
        volumeType: 'gp3',
        encrypted: true,
        kmsKeyId,
        availabilityZone: zone,
        state: 'in-use',
        // moto leaves DeleteOnTermination out of an AttachVolume attachment (AWS says false); absent stays absent.
        attachments: [{ instanceId, device: '/dev/sdf', state: 'attached' }],
      },
    });
    expect(byId.get(scratchId)?.config).toEqual({
      volumeId: scratchId,
      sizeGiB: 8,
      volumeType: 'gp2',
      encrypted: false,
      availabilityZone: zone,
      state: 'available',
      attachments: [],
    });
    expect(byId.get(restoredId)?.config).toMatchObject({
      snapshotId,
      encrypted: false,
      state: 'available',
      attachments: [],
    });
    expect(byId.get(restoredId)?.name).toBeUndefined();
    expect(byId.get(rootVolume.VolumeId ?? '')?.config.attachments).toEqual([
      {
        instanceId,
        device: rootVolume.Attachments?.[0]?.Device,
        state: 'attached',
        deleteOnTermination: rootVolume.Attachments?.[0]?.DeleteOnTermination,
      },
    ]);
  });

  it('gets one volume by id with the same model as the listing, and null for one that does not exist', async () => {
    const { context, clients } = scanContext(region);
    const listed = (await volumeModule.list(scanContext(region).context)).find(
      (resource) => resource.id === dataId,
    );
    expect(await volumeModule.get(context, dataId)).toEqual(listed);
    expect(calls(clients)).toEqual({ 'ec2:DescribeVolumes': 1 });
    expect(await volumeModule.get(context, 'vol-0123456789abcdef0')).toBeNull();
  });
});
