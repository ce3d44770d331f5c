// Unit tests of the security group mapping: hand-made DescribeSecurityGroupRules entries and real recorded responses.
import { readFileSync } from 'node:fs';
import type { DescribeSecurityGroupsResult, SecurityGroup, SecurityGroupRule } from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors.js';
import {
  securityGroupSchema,
  type SecurityGroupModel,
  type SgRule,
} from '../../core/models/security-group.js';
import { corpusPath } from '../../../test/harness/corpus.js';
import { placeboRecordings, readPlacebo } from '../../../test/harness/placebo.js';
import { isNotFoundError } from '../aws-errors.js';
import { compareRules, ruleFromAws, securityGroupFromAws, securityGroupModule } from './ec2-security-group.js';

function valid(model: SecurityGroupModel): SecurityGroupModel {
  // parse() drops keys the schema does not know, so equality also proves there are none.
  expect(securityGroupSchema.parse(model)).toEqual(model);
  return model;
}

function withoutRuleIds(rules: readonly SgRule[]): SgRule[] {
  return rules.map(({ ruleId: _ruleId, ...rest }) => rest).sort(compareRules);
}

const GROUP: SecurityGroup = {
  GroupId: 'sg-0a1b2c3d4e5f60718',
  GroupName: 'web',
  Description: 'web tier',
  VpcId: 'vpc-0123456789abcdef0',
  OwnerId: '111122223333',
  IpPermissions: [
    {
      IpProtocol: 'tcp',
      FromPort: 22,
      ToPort: 22,
      IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'ssh' }],
      Ipv6Ranges: [{ CidrIpv6: '::/0' }],
    },
    {
      IpProtocol: '-1',
      UserIdGroupPairs: [{ GroupId: 'sg-0fedcba9876543210', UserId: '444455556666' }],
    },
    {
      IpProtocol: 'udp',
      FromPort: 53,
      ToPort: 53,
      PrefixListIds: [{ PrefixListId: 'pl-0123abcd', Description: '' }],
    },
    { IpProtocol: 'icmp', FromPort: 8, ToPort: -1, IpRanges: [{ CidrIp: '10.0.0.0/8' }] },
  ],
  IpPermissionsEgress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
  Tags: [{ Key: 'Name', Value: 'web-tag' }],
};

/** The same rules as GROUP's IpPermissions, in DescribeSecurityGroupRules' flat shape and AWS's own spellings. */
const RULES: SecurityGroupRule[] = [
  {
    SecurityGroupRuleId: 'sgr-0000000000000000f',
    GroupId: GROUP.GroupId,
    IsEgress: true,
    IpProtocol: '-1',
    FromPort: -1,
    ToPort: -1,
    CidrIpv4: '0.0.0.0/0',
  },
  {
    SecurityGroupRuleId: 'sgr-00000000000000003',
    GroupId: GROUP.GroupId,
    IsEgress: false,
    IpProtocol: 'tcp',
    FromPort: 22,
    ToPort: 22,
    CidrIpv4: '0.0.0.0/0',
    Description: 'ssh',
  },
  {
    SecurityGroupRuleId: 'sgr-00000000000000001',
    GroupId: GROUP.GroupId,
    IsEgress: false,
    IpProtocol: '6',
    FromPort: 22,
    ToPort: 22,
    CidrIpv6: '::/0',
  },
  {
    SecurityGroupRuleId: 'sgr-0000000000000000a',
    GroupId: GROUP.GroupId,
    IsEgress: false,
    IpProtocol: '-1',
    FromPort: -1,
    ToPort: -1,
    ReferencedGroupInfo: { GroupId: 'sg-0fedcba9876543210', UserId: '444455556666' },
  },
  {
    SecurityGroupRuleId: 'sgr-00000000000000002',
    GroupId: GROUP.GroupId,
    IsEgress: false,
    IpProtocol: 'udp',
    FromPort: 53,
    ToPort: 53,
    PrefixListId: 'pl-0123abcd',
    Description: '',
  },
  {
    SecurityGroupRuleId: 'sgr-00000000000000005',
    GroupId: GROUP.GroupId,
    IsEgress: false,
    IpProtocol: 'icmp',
    FromPort: 8,
    ToPort: -1,
    CidrIpv4: '10.0.0.0/8',
  },
];

describe('securityGroupFromAws with DescribeSecurityGroupRules entries', () => {
  const model = valid(securityGroupFromAws(GROUP, RULES));

  it('maps the group and every peer kind, normalising protocols and ports, sorted by rule id', () => {
    expect(model).toEqual({
      groupId: 'sg-0a1b2c3d4e5f60718',
      groupName: 'web',
      description: 'web tier',
      vpcId: 'vpc-0123456789abcdef0',
      ownerId: '111122223333',
      isDefault: false,
      rules: [
        {
          ruleId: 'sgr-00000000000000001',
          direction: 'ingress',
          protocol: 'tcp',
          fromPort: 22,
          toPort: 22,
          peer: { kind: 'ipv6', cidr: '::/0' },
        },
        {
          ruleId: 'sgr-00000000000000002',
          direction: 'ingress',
          protocol: 'udp',
          fromPort: 53,
          toPort: 53,
          peer: { kind: 'prefix-list', prefixListId: 'pl-0123abcd' },
        },
        {
          ruleId: 'sgr-00000000000000003',
          direction: 'ingress',
          protocol: 'tcp',
          fromPort: 22,
          toPort: 22,
          peer: { kind: 'ipv4', cidr: '0.0.0.0/0' },
          description: 'ssh',
        },
        {
          ruleId: 'sgr-00000000000000005',
          direction: 'ingress',
          protocol: 'icmp',
          fromPort: 8,
          toPort: -1,
          peer: { kind: 'ipv4', cidr: '10.0.0.0/8' },
        },
        {
          ruleId: 'sgr-0000000000000000a',
          direction: 'ingress',
          protocol: 'all',
          fromPort: 0,
          toPort: 65535,
          peer: { kind: 'security-group', groupId: 'sg-0fedcba9876543210', userId: '444455556666' },
        },
        {
          ruleId: 'sgr-0000000000000000f',
          direction: 'egress',
          protocol: 'all',
          fromPort: 0,
          toPort: 65535,
          peer: { kind: 'ipv4', cidr: '0.0.0.0/0' },
        },
      ],
    });
  });

  it('omits absent fields rather than writing undefined or "" (the store hashes the JSON)', () => {
    const prefixRule = model.rules.find((rule) => rule.peer.kind === 'prefix-list');
    expect(prefixRule && 'description' in prefixRule).toBe(false);
    const bare = securityGroupFromAws({ GroupId: 'sg-1', GroupName: 'bare', VpcId: '' }, []);
    expect(Object.keys(bare)).toEqual(['groupId', 'groupName', 'isDefault', 'rules']);
  });

  it('does not depend on the order AWS returned the rules in', () => {
    expect(securityGroupFromAws(GROUP, [...RULES].reverse())).toEqual(model);
  });

  it('gives the same rules as flattening the nested IpPermissions, apart from the ids', () => {
    const nested = valid(securityGroupFromAws(GROUP));
    expect(nested.rules.every((rule) => rule.ruleId === undefined)).toBe(true);
    expect(nested.rules).toEqual(withoutRuleIds(model.rules));
    expect({ ...nested, rules: [] }).toEqual({ ...model, rules: [] });
  });

  it('takes a given rule list over IpPermissions, even an empty one', () => {
    expect(securityGroupFromAws(GROUP, []).rules).toEqual([]);
  });

  it('normalises numeric and odd protocols and open port ranges', () => {
    const rules = securityGroupFromAws({ GroupId: 'sg-2', GroupName: 'p' }, [
      {
        SecurityGroupRuleId: 'sgr-1',
        IsEgress: false,
        IpProtocol: '50',
        FromPort: -1,
        ToPort: -1,
        CidrIpv4: '1.1.1.1/32',
      },
      {
        SecurityGroupRuleId: 'sgr-2',
        IsEgress: false,
        IpProtocol: '17',
        FromPort: 1000,
        ToPort: 2000,
        CidrIpv4: '1.1.1.1/32',
      },
      {
        SecurityGroupRuleId: 'sgr-3',
        IsEgress: false,
        IpProtocol: '58',
        FromPort: -1,
        ToPort: -1,
        CidrIpv6: '::/0',
      },
      { SecurityGroupRuleId: 'sgr-4', IsEgress: false, IpProtocol: 'tcp', CidrIpv4: '1.1.1.1/32' },
    ]).rules;
    expect(rules.map(({ protocol, fromPort, toPort }) => [protocol, fromPort, toPort])).toEqual([
      ['50', 0, 65535],
      ['udp', 1000, 2000],
      ['icmpv6', -1, -1],
      ['tcp', 0, 65535],
    ]);
  });

  it('marks the VPC default group', () => {
    expect(securityGroupFromAws({ GroupId: 'sg-3', GroupName: 'default' }, []).isDefault).toBe(true);
  });

  it('refuses a rule with no peer it knows rather than dropping it', () => {
    expect(() =>
      securityGroupFromAws(GROUP, [{ SecurityGroupRuleId: 'sgr-9', IsEgress: false, IpProtocol: 'tcp' }]),
    ).toThrow(InputError);
  });

  it('refuses a record without a group id', () => {
    expect(() => securityGroupFromAws({ GroupName: 'x' })).toThrow(InputError);
  });

  it('keeps a peer group known only by name (EC2-Classic) as an explicit unknown', () => {
    const [rule] = securityGroupFromAws({
      GroupId: 'sg-4',
      GroupName: 'classic',
      IpPermissions: [
        {
          IpProtocol: 'tcp',
          FromPort: 80,
          ToPort: 80,
          UserIdGroupPairs: [{ GroupName: 'elb', UserId: 'amazon-elb' }],
        },
      ],
    }).rules;
    expect(rule?.peer).toEqual({
      kind: 'security-group',
      groupId: { $unknown: true, reason: 'a group referenced by name elb' },
      userId: 'amazon-elb',
    });
  });
});

describe('ruleFromAws', () => {
  it('gives its keys in one order (JSON output follows it), optional ones only when present', () => {
    const base: SecurityGroupRule = { GroupId: 'sg-1', IsEgress: false, IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIpv4: '10.0.0.0/8' };
    expect(Object.keys(ruleFromAws({ SecurityGroupRuleId: 'sgr-1', ...base, Description: 'ssh' }))).toEqual(['ruleId', 'direction', 'protocol', 'fromPort', 'toPort', 'peer', 'description']);
    expect(Object.keys(ruleFromAws({ ...base, Description: '' }))).toEqual(['direction', 'protocol', 'fromPort', 'toPort', 'peer']);
    expect(ruleFromAws({ ...base, IpProtocol: '-1', IsEgress: true })).toEqual({ direction: 'egress', protocol: 'all', fromPort: 0, toPort: 65535, peer: { kind: 'ipv4', cidr: '10.0.0.0/8' } });
  });
});

describe('securityGroupModule', () => {
  it('declares its IAM actions, CloudFormation type and ARN form', () => {
    expect(securityGroupModule.permissions).toEqual({
      list: ['ec2:DescribeSecurityGroups', 'ec2:DescribeSecurityGroupRules'],
      get: ['ec2:DescribeSecurityGroups', 'ec2:DescribeSecurityGroupRules'],
    });
    expect(securityGroupModule.cloudFormationType).toBe('AWS::EC2::SecurityGroup');
    expect(
      securityGroupModule.arn({
        partition: 'aws-cn',
        region: 'cn-north-1',
        account: '111122223333',
        id: 'sg-1',
      }),
    ).toBe('arn:aws-cn:ec2:cn-north-1:111122223333:security-group/sg-1');
  });
});

describe('securityGroupFromAws on botocore-parsed DescribeSecurityGroups (corpus)', () => {
  const file = corpusPath('api-responses', 'botocore-response-parsing', 'ec2-describe-security-groups.json');

  it.skipIf(!file)('flattens EC2-Classic and VPC groups', () => {
    const response = JSON.parse(readFileSync(file ?? '', 'utf8')) as DescribeSecurityGroupsResult;
    const models = (response.SecurityGroups ?? []).map((group) => valid(securityGroupFromAws(group)));
    const byId = new Map(models.map((model) => [model.groupId, model]));
    expect(models).toHaveLength(5);

    const self = { kind: 'security-group', groupId: 'sg-eab831da', userId: '123456789012' } as const;
    expect(byId.get('sg-eab831da')).toEqual({
      groupId: 'sg-eab831da',
      groupName: 'default',
      description: 'default group',
      ownerId: '123456789012',
      isDefault: true,
      rules: [
        { direction: 'ingress', protocol: 'icmp', fromPort: -1, toPort: -1, peer: self },
        { direction: 'ingress', protocol: 'tcp', fromPort: 0, toPort: 65535, peer: self },
        { direction: 'ingress', protocol: 'udp', fromPort: 0, toPort: 65535, peer: self },
      ],
    });
    expect(byId.get('sg-97b1aefb')).toEqual({
      groupId: 'sg-97b1aefb',
      groupName: 'default',
      description: 'default VPC security group',
      vpcId: 'vpc-8d2910e4',
      ownerId: '123456789012',
      isDefault: true,
      rules: [
        {
          direction: 'egress',
          protocol: 'all',
          fromPort: 0,
          toPort: 65535,
          peer: { kind: 'ipv4', cidr: '0.0.0.0/0' },
        },
        {
          direction: 'ingress',
          protocol: 'all',
          fromPort: 0,
          toPort: 65535,
          peer: { kind: 'security-group', groupId: 'sg-97b1aefb', userId: '123456789012' },
        },
      ],
    });
    // Ports sort as numbers: 22 < 443 < 8888.
    expect(byId.get('sg-4e970e7e')?.rules.map((rule) => rule.fromPort)).toEqual([22, 443, 8888]);
    expect(byId.get('sg-4e970e7e')?.isDefault).toBe(false);
  });
});

describe('securityGroupFromAws on Cloud Custodian placebo recordings (corpus)', () => {
  const dir = corpusPath('api-responses', 'cloud-custodian-placebo');

  it.skipIf(!dir)('maps prefix-list, group and CIDR peers of a recorded response', () => {
    const recording = readPlacebo(`${dir}/test_appelb_add_security_group/ec2.DescribeSecurityGroups_1.json`);
    const groups = (recording.data as DescribeSecurityGroupsResult).SecurityGroups ?? [];
    const byId = new Map(groups.map((group) => [group.GroupId, valid(securityGroupFromAws(group))]));
    expect(byId.get('sg-01a19f602ecaf25f4')).toEqual({
      groupId: 'sg-01a19f602ecaf25f4',
      groupName: 'test-isolation-group',
      description: 'Isolation SG',
      vpcId: 'vpc-3d05f145',
      ownerId: '123412341234',
      isDefault: false,
      rules: [
        {
          direction: 'egress',
          protocol: 'tcp',
          fromPort: 80,
          toPort: 80,
          peer: { kind: 'ipv4', cidr: '20.0.0.0/8' },
        },
        {
          direction: 'ingress',
          protocol: 'tcp',
          fromPort: 80,
          toPort: 80,
          peer: { kind: 'ipv4', cidr: '192.168.0.1/31' },
          description: 'testcidr',
        },
        {
          direction: 'ingress',
          protocol: 'tcp',
          fromPort: 80,
          toPort: 80,
          peer: { kind: 'prefix-list', prefixListId: 'pl-63a5400b' },
        },
      ],
    });
    expect(byId.get('sg-c573e6b3')?.rules).toEqual([
      {
        direction: 'egress',
        protocol: 'all',
        fromPort: 0,
        toPort: 65535,
        peer: { kind: 'ipv4', cidr: '10.0.0.0/8' },
      },
      {
        direction: 'egress',
        protocol: 'all',
        fromPort: 0,
        toPort: 65535,
        peer: { kind: 'security-group', groupId: 'sg-c573e6b3', userId: '123412341234' },
      },
      {
        direction: 'ingress',
        protocol: 'udp',
        fromPort: 443,
        toPort: 443,
        peer: { kind: 'ipv4', cidr: '10.0.0.0/8' },
      },
    ]);
  });

  it.skipIf(!dir)(
    'maps every recorded DescribeSecurityGroups response to a valid model, one rule per peer',
    () => {
      const recordings = placeboRecordings(dir ?? '', 'ec2.DescribeSecurityGroups').filter(
        (recording) => recording.statusCode === 200,
      );
      expect(recordings.length).toBeGreaterThan(100);
      let groups = 0;
      for (const recording of recordings) {
        for (const group of (recording.data as DescribeSecurityGroupsResult).SecurityGroups ?? []) {
          const model = valid(securityGroupFromAws(group));
          const peers = [...(group.IpPermissions ?? []), ...(group.IpPermissionsEgress ?? [])].reduce(
            (sum, permission) =>
              sum +
              (permission.IpRanges?.length ?? 0) +
              (permission.Ipv6Ranges?.length ?? 0) +
              (permission.UserIdGroupPairs?.length ?? 0) +
              (permission.PrefixListIds?.length ?? 0),
            0,
          );
          expect(model.rules, `${recording.file} ${model.groupId}`).toHaveLength(peers);
          groups += 1;
        }
      }
      expect(groups).toBeGreaterThan(300);
    },
  );

  it.skipIf(!dir)('treats the recorded "group does not exist" error as not found', () => {
    const recording = readPlacebo(`${dir}/test_security_group_delete/ec2.DescribeSecurityGroups_2.json`);
    const code = (recording.data as { Error?: { Code?: string } }).Error?.Code;
    expect(recording.statusCode).toBe(400);
    expect(
      isNotFoundError({ name: code, $metadata: { httpStatusCode: 400 } }, securityGroupModule.notFoundCodes),
    ).toBe(true);
  });
});
