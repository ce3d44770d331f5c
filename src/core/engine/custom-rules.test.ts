// Custom rules: every operator, and/or/not, unknown values, `each`, and validation errors with their paths.
import { describe, expect, it } from 'vitest';
import { ALL_USERS_URI } from '../models/bucket.js';
import { BLOCK_NONE, bucket, ingress, sg, U, volume } from '../../../test/support/rule-fixtures.js';
import type { Resource } from '../resource.js';
import { compilePolicy, evaluate, policyConfigSchema } from './index.js';

function custom(resourceType: string, filter: unknown, extra: Record<string, unknown> = {}) {
  return compilePolicy({
    customRules: [{ id: 'my-rule', title: 'My rule', severity: 'high', resourceType, filter, ...extra }],
    // Only the custom rule speaks, so assertions see its findings alone.
    rules: Object.fromEntries(
      [
        'sg-ingress-open-all',
        'sg-ingress-open-admin',
        'sg-ingress-open-db',
        'sg-ingress-open-port',
        'sg-default-has-rules',
        's3-public-acl',
        's3-public-policy',
        's3-public-access-block-off',
        'ebs-unencrypted',
      ].map((id) => [id, false]),
    ),
  });
}

function certainties(policy: ReturnType<typeof compilePolicy>, resource: Resource) {
  return evaluate([resource], policy).candidates.map((candidate) => candidate.certainty);
}

const group = sg(
  [
    ingress('tcp', 443, 443, '0.0.0.0/0', { description: 'web' }),
    ingress('tcp', 22, 22, '10.1.0.0/16', { ruleId: 'sgr-ssh' }),
  ],
  { groupName: 'web-prod' },
  { tags: { env: 'prod', team: 'payments', 'aws:cloudformation:stack-name': 'web' } },
);

describe('custom rule operators', () => {
  const cases: Array<[string, unknown, boolean]> = [
    ['eq on a field', { key: 'config.groupName', op: 'eq', value: 'web-prod' }, true],
    ['eq miss', { key: 'config.groupName', op: 'eq', value: 'db' }, false],
    [
      'eq on an object (deep)',
      { key: 'config.rules[].peer', op: 'eq', value: { kind: 'ipv4', cidr: '0.0.0.0/0' } },
      true,
    ],
    ['ne', { key: 'tags.env', op: 'ne', value: 'dev' }, true],
    ['ne on a missing tag', { key: 'tags.owner', op: 'ne', value: 'x' }, true],
    ['in', { key: 'tags.env', op: 'in', value: ['prod', 'staging'] }, true],
    ['not-in', { key: 'tags.env', op: 'not-in', value: ['prod', 'staging'] }, false],
    ['contains on a string', { key: 'config.groupName', op: 'contains', value: 'prod' }, true],
    ['contains on a list', { key: 'config.rules[].fromPort', op: 'eq', value: 22 }, true],
    ['regex', { key: 'config.groupName', op: 'regex', value: '^web-(prod|staging)$' }, true],
    ['regex miss', { key: 'config.groupName', op: 'regex', value: '^db-' }, false],
    ['gt on numbers (any element)', { key: 'config.rules[].toPort', op: 'gt', value: 400 }, true],
    ['lt on numbers', { key: 'config.rules[].fromPort', op: 'lt', value: 22 }, false],
    ['gt on text (ISO dates)', { key: 'region', op: 'gt', value: 'eu-a' }, true],
    ['present', { key: 'tags.team', op: 'present' }, true],
    ['absent', { key: 'tags.owner', op: 'absent' }, true],
    ['absent on an element field', { key: 'config.rules[].description', op: 'absent' }, true],
    ['quoted tag key', { key: 'tags."aws:cloudformation:stack-name"', op: 'eq', value: 'web' }, true],
    ['bracket tag key', { key: 'tags["aws:cloudformation:stack-name"]', op: 'eq', value: 'web' }, true],
    ['index', { key: 'config.rules[1].ruleId', op: 'eq', value: 'sgr-ssh' }, true],
    [
      'cidr-contains: world contains a host',
      { key: 'config.rules[].peer.cidr', op: 'cidr-contains', value: '198.51.100.7' },
      true,
    ],
    [
      'cidr-within: inside 10/8',
      { key: 'config.rules[].peer.cidr', op: 'cidr-within', value: '10.0.0.0/8' },
      true,
    ],
    [
      'cidr-within miss',
      { key: 'config.rules[].peer.cidr', op: 'cidr-within', value: ['192.168.0.0/16'] },
      false,
    ],
    ['cidr-overlaps', { key: 'config.rules[].peer.cidr', op: 'cidr-overlaps', value: '10.1.2.0/24' }, true],
    [
      'and',
      {
        and: [
          { key: 'tags.env', op: 'eq', value: 'prod' },
          { key: 'tags.team', op: 'eq', value: 'payments' },
        ],
      },
      true,
    ],
    [
      'and miss',
      {
        and: [
          { key: 'tags.env', op: 'eq', value: 'prod' },
          { key: 'tags.team', op: 'eq', value: 'x' },
        ],
      },
      false,
    ],
    [
      'or',
      {
        or: [
          { key: 'tags.env', op: 'eq', value: 'dev' },
          { key: 'tags.team', op: 'eq', value: 'payments' },
        ],
      },
      true,
    ],
    ['not', { not: { key: 'tags.env', op: 'eq', value: 'prod' } }, false],
    ['not not', { not: { not: { key: 'tags.env', op: 'eq', value: 'prod' } } }, true],
    [
      'plain roots',
      {
        and: [
          { key: 'type', op: 'eq', value: 'aws.ec2.security-group' },
          { key: 'account', op: 'regex', value: '^\\d{12}$' },
        ],
      },
      true,
    ],
  ];
  it.each(cases)('%s', (_name, filter, matches) => {
    expect(certainties(custom('sg', filter), group)).toEqual(matches ? ['definite'] : []);
  });

  it('a wildcard over an empty list matches nothing, not even absent', () => {
    expect(certainties(custom('sg', { key: 'config.rules[].description', op: 'absent' }), sg([]))).toEqual(
      [],
    );
  });

  it('reads a bucket policy given as JSON text', () => {
    const policy = JSON.stringify({
      Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject' }],
    });
    const rule = custom('s3', { key: 'config.policy.Statement[].Principal', op: 'eq', value: '*' });
    expect(certainties(rule, bucket({ policy }))).toEqual(['definite']);
  });
});

describe('custom rules and unknown values', () => {
  const templated = sg([ingress('tcp', 22, 22, U('parameter AllowedCidr'))]);
  it('an unknown value makes the finding possible', () => {
    expect(
      certainties(
        custom('sg', { key: 'config.rules[].peer.cidr', op: 'cidr-contains', value: '0.0.0.0/0' }),
        templated,
      ),
    ).toEqual(['possible']);
  });
  it('Kleene logic: unknown AND false is false; NOT unknown is unknown', () => {
    const unknownLeaf = { key: 'config.rules[].peer.cidr', op: 'eq', value: '0.0.0.0/0' };
    expect(
      certainties(
        custom('sg', { and: [unknownLeaf, { key: 'config.groupName', op: 'eq', value: 'nope' }] }),
        templated,
      ),
    ).toEqual([]);
    expect(certainties(custom('sg', { not: unknownLeaf }), templated)).toEqual(['possible']);
    expect(
      certainties(
        custom('sg', { or: [unknownLeaf, { key: 'config.groupName', op: 'eq', value: 'web' }] }),
        templated,
      ),
    ).toEqual(['definite']);
  });
  it('present treats an unknown as something that is there', () => {
    expect(certainties(custom('ebs', { key: 'config.encrypted', op: 'present' }), volume(U()))).toEqual([
      'definite',
    ]);
  });
});

describe('each: one finding per element', () => {
  const rule = custom(
    'aws.ec2.security-group',
    {
      and: [
        { key: 'item.direction', op: 'eq', value: 'ingress' },
        { key: 'item.peer.cidr', op: 'cidr-contains', value: ['0.0.0.0/0', '::/0'] },
      ],
    },
    { each: 'config.rules' },
  );
  it('reports the matching elements with stable parts and paths', () => {
    const found = evaluate(
      [
        sg([
          ingress('tcp', 8080, 8080, '0.0.0.0/0'),
          ingress('tcp', 22, 22, '10.0.0.0/8'),
          ingress('tcp', 9090, 9090, '::/0', { ruleId: 'sgr-9' }),
        ]),
      ],
      rule,
    ).candidates;
    expect(found.map((candidate) => candidate.path)).toEqual([
      ['rules', 0, 'peer', 'cidr'],
      ['rules', 2, 'peer', 'cidr'],
    ]);
    expect(found[0]?.part).toMatch(/^item:[0-9a-f]{8}$/);
    expect(found[1]?.part).toBe('sgr-9');
    expect(found[0]?.message).toContain('config.rules[0].peer.cidr = "0.0.0.0/0"');
  });
  it('the same element gives the same part wherever it sits', () => {
    const element = ingress('tcp', 8080, 8080, '0.0.0.0/0');
    const a = evaluate([sg([element])], rule).candidates[0]?.part;
    const b = evaluate([sg([ingress('tcp', 1, 1, '10.0.0.0/8'), element])], rule).candidates[0]?.part;
    expect(a).toBe(b);
  });
});

describe('custom rule validation', () => {
  const issuesOf = (customRule: Record<string, unknown>) => {
    const result = policyConfigSchema.safeParse({
      customRules: [{ id: 'x-rule', title: 'X', severity: 'low', resourceType: 'sg', ...customRule }],
    });
    expect(result.success).toBe(false);
    return result.error!.issues.map((issue) => ({ path: issue.path, message: issue.message }));
  };
  const first = (customRule: Record<string, unknown>) => issuesOf(customRule)[0]!;

  it('a bad regular expression', () => {
    const issue = first({ filter: { key: 'config.groupName', op: 'regex', value: '(' } });
    expect(issue.path).toEqual(['customRules', 0, 'filter', 'value']);
    expect(issue.message).toContain('invalid regular expression');
  });
  it('an unknown operator', () => {
    const issue = first({ filter: { key: 'config.groupName', op: 'like', value: 'x' } });
    expect(issue.path).toEqual(['customRules', 0, 'filter', 'op']);
    expect(issue.message).toContain('cidr-overlaps');
  });
  it('wrong value types', () => {
    expect(first({ filter: { key: 'tags.env', op: 'in', value: 'prod' } }).path).toEqual([
      'customRules',
      0,
      'filter',
      'value',
    ]);
    expect(first({ filter: { key: 'tags.env', op: 'present', value: true } }).path).toEqual([
      'customRules',
      0,
      'filter',
      'value',
    ]);
    expect(first({ filter: { key: 'tags.env', op: 'eq' } }).path).toEqual(['customRules', 0, 'filter']);
    expect(first({ filter: { key: 'config.rules[].toPort', op: 'gt', value: [1] } }).path).toEqual([
      'customRules',
      0,
      'filter',
      'value',
    ]);
  });
  it('a bad CIDR inside and/or points at the element', () => {
    const issue = first({
      filter: {
        or: [
          { key: 'tags.env', op: 'present' },
          {
            and: [
              { key: 'config.rules[].peer.cidr', op: 'cidr-within', value: ['10.0.0.0/8', '10.0.0.0/40'] },
            ],
          },
        ],
      },
    });
    expect(issue.path).toEqual(['customRules', 0, 'filter', 'or', 1, 'and', 0, 'value', 1]);
  });
  it('a field the model does not have', () => {
    const issue = first({ filter: { key: 'config.rules[].peer.cdir', op: 'present' } });
    expect(issue.path).toEqual(['customRules', 0, 'filter', 'key']);
    expect(issue.message).toContain('no field "cdir"');
    expect(issue.message).toContain('cidr');
    expect(first({ filter: { key: 'config.rule[].peer', op: 'present' } }).message).toContain(
      'fields: groupId',
    );
  });
  it('path syntax errors', () => {
    expect(first({ filter: { key: 'cfg.rules', op: 'present' } }).message).toContain(
      'must start with one of',
    );
    expect(first({ filter: { key: 'config.rules[x]', op: 'present' } }).path).toEqual([
      'customRules',
      0,
      'filter',
      'key',
    ]);
    expect(first({ filter: { key: 'item.direction', op: 'present' } }).message).toContain('each');
  });
  it('filter shape', () => {
    expect(first({ filter: { and: [] } }).path).toEqual(['customRules', 0, 'filter', 'and']);
    expect(first({ filter: { and: [{ key: 'tags.a', op: 'present' }], or: [] } }).path).toEqual([
      'customRules',
      0,
      'filter',
    ]);
    expect(first({ filter: { key: 'tags.a', op: 'present', vaule: 1 } }).path).toEqual([
      'customRules',
      0,
      'filter',
      'vaule',
    ]);
  });
  it('rule fields', () => {
    expect(first({ id: 'sg-ingress-open-all', filter: { key: 'tags.a', op: 'present' } }).message).toContain(
      'built-in',
    );
    expect(first({ id: 'Bad_Id', filter: { key: 'tags.a', op: 'present' } }).path).toEqual([
      'customRules',
      0,
      'id',
    ]);
    expect(first({ severity: 'urgent', filter: { key: 'tags.a', op: 'present' } }).path).toEqual([
      'customRules',
      0,
      'severity',
    ]);
    expect(first({ resourceType: 'lambda', filter: { key: 'tags.a', op: 'present' } }).path).toEqual([
      'customRules',
      0,
      'resourceType',
    ]);
    expect(first({}).path).toEqual(['customRules', 0, 'filter']);
  });
  it('duplicate custom ids, and custom rules configurable under rules:', () => {
    const rule = {
      id: 'x-rule',
      title: 'X',
      severity: 'low',
      resourceType: 'sg',
      filter: { key: 'tags.a', op: 'present' },
    };
    const result = policyConfigSchema.safeParse({ customRules: [rule, rule] });
    expect(result.error?.issues[0]?.path).toEqual(['customRules', 1, 'id']);
    const configured = compilePolicy({ customRules: [rule], rules: { 'x-rule': { severity: 'critical' } } });
    expect(configured.rules.find((compiled) => compiled.id === 'x-rule')?.severity).toBe('critical');
    expect(
      policyConfigSchema.safeParse({ customRules: [rule], rules: { 'x-rule': { ports: [1] } } }).error
        ?.issues[0]?.path,
    ).toEqual(['rules', 'x-rule', 'ports']);
  });
});

describe('custom rules run next to the built-ins', () => {
  it('a world-readable bucket without an owner tag', () => {
    const policy = compilePolicy({
      customRules: [
        {
          id: 'bucket-without-owner',
          title: 'Bucket has no owner tag',
          severity: 'low',
          resourceType: 's3',
          filter: { key: 'tags.owner', op: 'absent' },
        },
      ],
    });
    const open = bucket({
      acl: { grants: [{ grantee: { kind: 'group', uri: ALL_USERS_URI }, permission: 'READ' }] },
      publicAccessBlock: BLOCK_NONE,
    });
    const ids = evaluate([open], policy)
      .candidates.map((candidate) => candidate.ruleId)
      .sort();
    expect(ids).toEqual(['bucket-without-owner', 's3-public-access-block-off', 's3-public-acl']);
  });
});
