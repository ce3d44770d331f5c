// Pure plan() cases that need no AWS: what the actions refuse, and how they name what they will change.
import { describe, expect, it } from 'vitest';
import type { Resource } from '../../core/resource.js';
import { unknownValue } from '../../core/unknown.js';
import {
  deleteResource,
  removeS3PublicAclGrants,
  removeS3PublicPolicyStatements,
  revokeSecurityGroupRules,
} from './index.js';
import { finalSnapshotName } from './delete-resource.js';

function group(
  rules: Resource<'aws.ec2.security-group'>['config']['rules'],
): Resource<'aws.ec2.security-group'> {
  return {
    type: 'aws.ec2.security-group',
    account: '123456789012',
    region: 'eu-west-1',
    id: 'sg-1',
    arn: 'arn:aws:ec2:eu-west-1:123456789012:security-group/sg-1',
    tags: {},
    config: { groupId: 'sg-1', groupName: 'web', isDefault: false, rules },
  };
}

function bucket(config: Partial<Resource<'aws.s3.bucket'>['config']>): Resource<'aws.s3.bucket'> {
  return {
    type: 'aws.s3.bucket',
    account: '123456789012',
    region: 'us-east-1',
    id: 'b',
    arn: 'arn:aws:s3:::b',
    tags: {},
    config: {
      name: 'b',
      region: 'eu-central-1',
      acl: { grants: [] },
      policy: null,
      publicAccessBlock: null,
      accountPublicAccessBlock: null,
      encryption: null,
      versioning: 'Off',
      ...config,
    },
  };
}

const world22 = {
  direction: 'ingress' as const,
  protocol: 'tcp',
  fromPort: 22,
  toPort: 22,
  peer: { kind: 'ipv4' as const, cidr: '0.0.0.0/0' },
};

describe('plan()', () => {
  it('revoke-security-group-rules refuses a rule without an AWS id (template, event): it revokes by id only', () => {
    const result = revokeSecurityGroupRules.plan({
      resource: group([world22]),
      violations: [{ part: 'ingress|tcp|22-22|ipv4:0.0.0.0/0' }],
    });
    expect(result).toMatchObject({ kind: 'refusal', reason: 'unknown' });
  });

  it('revoke-security-group-rules says nothing-to-do for a rule id the group no longer has', () => {
    const result = revokeSecurityGroupRules.plan({
      resource: group([{ ...world22, ruleId: 'sgr-2' }]),
      violations: [{ part: 'sgr-1' }],
    });
    expect(result).toMatchObject({ kind: 'refusal', reason: 'nothing-to-do' });
  });

  it('remove-s3-public-policy-statements picks statements by index when they have no Sid, and keeps them by content', () => {
    const open = { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' };
    const mine = {
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::123456789012:root' },
      Action: 's3:*',
      Resource: '*',
    };
    const result = removeS3PublicPolicyStatements.plan({
      resource: bucket({ policy: { Version: '2012-10-17', Statement: [mine, open] } }),
      violations: [{ part: 'statement:1', details: { statement: 1 } }],
    });
    expect(result).toMatchObject({
      kind: 'plan',
      spec: { bucket: 'b', region: 'eu-central-1', statements: [open] },
    });
  });

  it('remove-s3-public-acl-grants refuses an ACL it could not read', () => {
    const result = removeS3PublicAclGrants.plan({
      resource: bucket({ acl: unknownValue('s3:GetBucketAcl denied') }),
      violations: [],
    });
    expect(result).toMatchObject({ kind: 'refusal', reason: 'unknown' });
  });

  it("delete-resource acts in the bucket's own region, and names a final snapshot per finding", () => {
    expect(deleteResource.plan({ resource: bucket({}), violations: [] })).toMatchObject({
      spec: { region: 'eu-central-1' },
    });
    expect(finalSnapshotName('orders', 'f-0123456789abcdef0123')).toBe('leuko-final-orders-0123456789ab');
    expect(finalSnapshotName('orders', undefined)).toBe('leuko-final-orders');
  });
});
