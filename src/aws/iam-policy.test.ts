// iamPolicy: read-only is list and get of the chosen types; remediate adds exactly what the chosen actions declare.
import { describe, expect, it } from 'vitest';
import { s3PublicAcl, sgIngressOpenAdmin } from '../rules/index.js';
import { iamPolicy, remediationActions } from './iam-policy.js';

describe('iamPolicy', () => {
  it('is read-only: list and get of the types, nothing that writes', () => {
    const policy = iamPolicy({ types: ['aws.ec2.security-group'], readOnly: true });
    expect(policy).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'LeukoRead',
          Effect: 'Allow',
          Action: ['ec2:DescribeSecurityGroupRules', 'ec2:DescribeSecurityGroups', 'sts:GetCallerIdentity'],
          Resource: '*',
        },
      ],
    });
  });

  it('adds the actions the enabled rules name, and nothing else', () => {
    const policy = iamPolicy({
      types: ['aws.ec2.security-group', 'aws.s3.bucket'],
      readOnly: false,
      rules: [sgIngressOpenAdmin, s3PublicAcl],
    });
    expect(remediationActions([sgIngressOpenAdmin, s3PublicAcl])).toEqual([
      'revoke-security-group-rules',
      'remove-s3-public-acl-grants',
    ]);
    expect(policy.Statement[1]).toEqual({
      Sid: 'LeukoRemediate',
      Effect: 'Allow',
      Action: [
        'ec2:AuthorizeSecurityGroupEgress',
        'ec2:AuthorizeSecurityGroupIngress',
        'ec2:RevokeSecurityGroupEgress',
        'ec2:RevokeSecurityGroupIngress',
        's3:PutBucketAcl',
      ],
      Resource: '*',
    });
  });

  it('gives delete-resource only the delete permissions of the selected types', () => {
    const policy = iamPolicy({
      types: ['aws.rds.db-instance'],
      readOnly: false,
      actions: ['delete-resource'],
      undo: false,
    });
    expect(policy.Statement[1]?.Action).toEqual(['rds:CreateDBSnapshot', 'rds:DeleteDBInstance']);
  });

  it('leaves out undo permissions when asked', () => {
    const policy = iamPolicy({
      types: ['aws.dynamodb.table'],
      readOnly: false,
      actions: ['enable-dynamodb-pitr'],
      undo: false,
    });
    expect(policy.Statement[1]?.Action).toEqual(['dynamodb:UpdateContinuousBackups']);
  });

  it('refuses an unknown action, or one that acts on none of the types', () => {
    expect(() => iamPolicy({ readOnly: false, actions: ['make-coffee'] })).toThrow(/unknown action/);
    expect(() =>
      iamPolicy({ types: ['aws.s3.bucket'], readOnly: false, actions: ['stop-instance'] }),
    ).toThrow(/none of the selected types/);
  });

  it('covers every type and every action by default', () => {
    const policy = iamPolicy({ readOnly: false });
    const all = policy.Statement.flatMap((statement) => statement.Action);
    for (const needed of [
      'cloudformation:DeleteStack',
      'ec2:ModifyNetworkInterfaceAttribute',
      's3:DeleteObjectVersion',
      'rds:ModifyDBSnapshotAttribute',
    ]) {
      expect(all).toContain(needed);
    }
  });
});
