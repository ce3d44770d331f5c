// Table-driven cases for s3-public-policy: principals, restricting conditions, RestrictPublicBuckets.
import { describe, expect, it } from 'vitest';
import {
  ACCOUNT,
  BLOCK_NONE,
  bucket,
  checkWith,
  policyOf,
  runRuleCases,
  U,
} from '../../test/support/rule-fixtures.js';
import { s3PublicPolicy } from './s3-public-policy.js';

const open = bucket.bind(null);
const read = { Action: 's3:GetObject', Resource: 'arn:aws:s3:::data-bucket/*' };
const pub = (extra: Record<string, unknown> = {}) => ({ Effect: 'Allow', Principal: '*', ...read, ...extra });
const withPolicy = (policy: unknown, extra: Parameters<typeof bucket>[0] = {}) =>
  open({ policy, publicAccessBlock: BLOCK_NONE, ...extra });

describe('s3-public-policy', () => {
  runRuleCases(s3PublicPolicy, [
    { n: 'C1', name: 'no policy', resource: withPolicy(null), expect: [] },
    {
      n: 'C2',
      name: 'Deny to everyone',
      resource: withPolicy(
        policyOf({
          Effect: 'Deny',
          Principal: '*',
          ...read,
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      ),
      expect: [],
    },
    {
      n: 'C3',
      name: 'Allow * from one VPC endpoint',
      resource: withPolicy(
        policyOf(pub({ Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1a2b3c' } } })),
      ),
      expect: [],
    },
    {
      n: 'C4',
      name: 'Allow * from an office range',
      resource: withPolicy(
        policyOf(pub({ Condition: { IpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '2001:db8::/48'] } } })),
      ),
      expect: [],
    },
    {
      n: 'C5',
      name: 'Allow to one account',
      resource: withPolicy(
        policyOf({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:root' }, ...read }),
      ),
      expect: [],
    },
    {
      n: 'C6',
      name: 'Allow to a service principal',
      resource: withPolicy(
        policyOf({ Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, ...read }),
      ),
      expect: [],
    },
    {
      n: 'C7',
      name: 'Allow * within the organisation',
      resource: withPolicy(
        policyOf(pub({ Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' } } })),
      ),
      expect: [],
    },
    {
      n: 'C8',
      name: 'public statement, RestrictPublicBuckets on the bucket',
      resource: withPolicy(policyOf(pub()), {
        publicAccessBlock: { ...BLOCK_NONE, restrictPublicBuckets: true },
      }),
      expect: [],
    },
    {
      n: 'C9',
      name: 'public statement, RestrictPublicBuckets on the account',
      resource: withPolicy(policyOf(pub()), {
        publicAccessBlock: null,
        accountPublicAccessBlock: { ...BLOCK_NONE, restrictPublicBuckets: true },
      }),
      expect: [],
    },
    {
      n: 'C10',
      name: 'access-point delegation (s3:DataAccessPointAccount)',
      resource: withPolicy(
        policyOf({
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: '*',
          Resource: '*',
          Condition: { StringEquals: { 's3:DataAccessPointAccount': '111122223333' } },
        }),
      ),
      expect: [],
    },
    {
      n: 'C11',
      name: 'ForAnyValue:StringEquals on aws:SourceVpce restricts',
      resource: withPolicy(
        policyOf(pub({ Condition: { 'ForAnyValue:StringEquals': { 'aws:sourcevpce': ['vpce-1'] } } })),
      ),
      expect: [],
    },
    {
      n: 'C12',
      name: 'condition key case does not matter',
      resource: withPolicy(
        policyOf(pub({ Condition: { StringEquals: { 'AWS:SOURCEACCOUNT': '111122223333' } } })),
      ),
      expect: [],
    },
    {
      n: 'N1',
      name: 'Principal "*" with a Sid',
      resource: withPolicy(policyOf(pub({ Sid: 'PublicRead' }))),
      expect: [{ certainty: 'definite', part: 'statement:PublicRead', path: ['policy', 'Statement', 0] }],
    },
    {
      n: 'N2',
      name: '{"AWS": "*"} without a Sid',
      resource: withPolicy(
        policyOf(
          { Effect: 'Deny', Principal: '*', ...read },
          { Effect: 'Allow', Principal: { AWS: '*' }, ...read },
        ),
      ),
      expect: [{ certainty: 'definite', part: 'statement:1', path: ['policy', 'Statement', 1] }],
    },
    {
      n: 'N3',
      name: '"*" among other principals',
      resource: withPolicy(
        policyOf({ Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::444455556666:root', '*'] }, ...read }),
      ),
      expect: [{ certainty: 'definite' }],
    },
    {
      n: 'N4',
      name: 'Allow with NotPrincipal',
      resource: withPolicy(
        policyOf({ Effect: 'Allow', NotPrincipal: { AWS: 'arn:aws:iam::444455556666:root' }, ...read }),
      ),
      expect: [{ certainty: 'definite' }],
    },
    {
      n: 'N5',
      name: 'policy as JSON text (as AWS returns it)',
      resource: withPolicy(JSON.stringify(policyOf(pub({ Sid: 'A' })))),
      expect: [{ certainty: 'definite', part: 'statement:A', path: ['policy'] }],
    },
    {
      n: 'N6',
      name: 'negated condition does not restrict',
      resource: withPolicy(policyOf(pub({ Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-1' } } }))),
      expect: [{ certainty: 'definite' }],
    },
    {
      n: 'N7',
      name: 'aws:SourceIp 0.0.0.0/0 restricts nothing',
      resource: withPolicy(policyOf(pub({ Condition: { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } } }))),
      expect: [{ certainty: 'definite' }],
    },
    {
      n: 'N8',
      name: '...IfExists passes when the key is absent',
      resource: withPolicy(
        policyOf(pub({ Condition: { StringEqualsIfExists: { 'aws:SourceVpce': 'vpce-1' } } })),
      ),
      expect: [{ certainty: 'definite' }],
    },
    {
      n: 'N9',
      name: 'aws:SecureTransport is not a restriction of who',
      resource: withPolicy(policyOf(pub({ Condition: { Bool: { 'aws:SecureTransport': 'true' } } }))),
      expect: [{ certainty: 'definite' }],
    },
    {
      n: 'N10',
      name: 'wildcard account in an ARN principal',
      resource: withPolicy(policyOf({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::*:root' }, ...read })),
      expect: [{ certainty: 'definite' }],
    },
    {
      n: 'N11',
      name: 'a "*" value among restricting values reopens it',
      resource: withPolicy(
        policyOf(
          pub({ Condition: { StringLike: { 'aws:SourceArn': ['arn:aws:sns:*:111122223333:t', '*'] } } }),
        ),
      ),
      expect: [{ certainty: 'definite' }],
    },
    {
      n: 'N12',
      name: 'ForAllValues passes with the key absent',
      resource: withPolicy(
        policyOf(pub({ Condition: { 'ForAllValues:StringEquals': { 'aws:SourceVpce': ['vpce-1'] } } })),
      ),
      expect: [{ certainty: 'definite' }],
    },
    {
      n: 'N13',
      name: 'single statement object instead of a list',
      resource: withPolicy({ Version: '2012-10-17', Statement: pub() }),
      expect: [{ certainty: 'definite', part: 'statement:0' }],
    },
    {
      n: 'N14',
      name: 'duplicate Sids fall back to positions',
      resource: withPolicy(policyOf(pub({ Sid: 'Zebra' }), pub({ Sid: 'Zebra' }))),
      expect: [
        { certainty: 'definite', part: 'statement:0' },
        { certainty: 'definite', part: 'statement:1' },
      ],
    },
    {
      n: 'N15',
      name: 'BlockPublicPolicy only refuses new policies',
      resource: withPolicy(policyOf(pub()), {
        publicAccessBlock: { ...BLOCK_NONE, blockPublicPolicy: true },
      }),
      expect: [{ certainty: 'definite' }],
    },
    {
      n: 'P1',
      name: 'policy unknown',
      resource: withPolicy(U('AccessDenied')),
      expect: [{ certainty: 'possible', part: 'policy' }],
    },
    {
      n: 'P2',
      name: 'principal unknown',
      resource: withPolicy(policyOf({ Effect: 'Allow', Principal: U(), ...read })),
      expect: [{ certainty: 'possible' }],
    },
    {
      n: 'P3',
      name: 'restricting value unknown',
      resource: withPolicy(
        policyOf(pub({ Condition: { StringEquals: { 'aws:SourceVpce': U('parameter Vpce') } } })),
      ),
      expect: [{ certainty: 'possible' }],
    },
    {
      n: 'P4',
      name: 'RestrictPublicBuckets unknown',
      resource: withPolicy(policyOf(pub()), {
        publicAccessBlock: { ...BLOCK_NONE, restrictPublicBuckets: U() },
      }),
      expect: [{ certainty: 'possible' }],
    },
    {
      n: 'P5',
      name: 'Effect unknown',
      resource: withPolicy(policyOf(pub({ Effect: U() }))),
      expect: [{ certainty: 'possible' }],
    },
    {
      n: 'P6',
      name: 'invalid JSON text',
      resource: withPolicy('{not json'),
      expect: [{ certainty: 'possible', part: 'policy' }],
    },
  ]);

  describe('accounts outside trustedAccounts (flagUntrustedAccounts)', () => {
    const crossAccount = withPolicy(
      policyOf({
        Sid: 'X',
        Effect: 'Allow',
        Principal: { AWS: ['arn:aws:iam::444455556666:root', `arn:aws:iam::${ACCOUNT}:role/app`] },
        ...read,
      }),
    );
    it('N16: reports an account that is neither trusted nor the owner', () => {
      const violations = checkWith(s3PublicPolicy, crossAccount, { flagUntrustedAccounts: true });
      expect(violations).toHaveLength(1);
      expect(violations[0]?.details).toMatchObject({ kind: 'untrusted', accounts: ['444455556666'] });
    });
    it('C13: trusted accounts and the owner are fine', () => {
      expect(
        checkWith(
          s3PublicPolicy,
          crossAccount,
          { flagUntrustedAccounts: true },
          { trustedAccounts: ['444455556666'] },
        ),
      ).toEqual([]);
    });
    it('C14: off by default', () => {
      expect(checkWith(s3PublicPolicy, crossAccount)).toEqual([]);
    });
  });
});
