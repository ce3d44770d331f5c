// The pure half of the action contract: protection (tag, allowlist with wildcards) and plan metadata.
import { describe, expect, it } from 'vitest';
import { makePlan, PROTECT_TAG, protectionRefusal } from './action.js';
import type { Resource } from './resource.js';

function bucket(tags: Record<string, string> = {}): Resource<'aws.s3.bucket'> {
  return {
    type: 'aws.s3.bucket',
    account: '123456789012',
    region: 'eu-west-1',
    id: 'www-example',
    arn: 'arn:aws:s3:::www-example',
    name: 'www-example',
    tags,
    config: {
      name: 'www-example',
      region: 'eu-west-1',
      acl: { grants: [] },
      policy: null,
      publicAccessBlock: null,
      accountPublicAccessBlock: null,
      encryption: null,
      versioning: 'Off',
    },
  };
}

describe('protectionRefusal', () => {
  it('refuses a resource tagged leuko:protect, whatever the value (even empty)', () => {
    for (const value of ['', 'true', 'no']) {
      expect(
        protectionRefusal('x', { resource: bucket({ [PROTECT_TAG]: value }), violations: [] }),
      ).toMatchObject({
        kind: 'refusal',
        reason: 'protected',
      });
    }
  });

  it('refuses a resource on the allowlist by id, name or ARN, with wildcards', () => {
    for (const entry of ['www-example', 'arn:aws:s3:::www-*', 'www-*']) {
      expect(
        protectionRefusal('x', { resource: bucket(), violations: [], params: { allowlist: [entry] } }),
      ).toMatchObject({ reason: 'allowlisted' });
    }
  });

  it('lets other resources through; a dot in an entry is literal', () => {
    expect(
      protectionRefusal('x', {
        resource: bucket(),
        violations: [],
        params: { allowlist: ['www.example', 'other-*'] },
      }),
    ).toBeUndefined();
    expect(protectionRefusal('x', { resource: bucket({ Name: 'protect' }), violations: [] })).toBeUndefined();
  });
});

describe('makePlan', () => {
  it('carries the action flags, finding and resource, and survives JSON', () => {
    const plan = makePlan(
      { id: 'block-s3-public-access', destructive: false, reversible: true },
      { resource: bucket(), violations: [], findingId: 'f-1' },
      { changes: ['set BlockPublicAcls=true'], spec: { bucket: 'www-example' } },
    );
    expect(JSON.parse(JSON.stringify(plan))).toEqual(plan);
    expect(plan).toMatchObject({
      kind: 'plan',
      actionId: 'block-s3-public-access',
      findingId: 'f-1',
      warnings: [],
      reversible: true,
    });
    expect(plan.resource).toEqual({
      type: 'aws.s3.bucket',
      account: '123456789012',
      region: 'eu-west-1',
      id: 'www-example',
      arn: 'arn:aws:s3:::www-example',
      name: 'www-example',
    });
  });
});
