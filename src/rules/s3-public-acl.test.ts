// Table-driven cases for s3-public-acl, with neutralisation by Block Public Access and Object Ownership.
import { describe } from 'vitest';
import {
  ALL_USERS_URI,
  AUTHENTICATED_USERS_URI,
  LOG_DELIVERY_URI,
  type AclGrant,
} from '../core/models/bucket.js';
import { BLOCK_ALL, BLOCK_NONE, bucket, runRuleCases, U } from '../../test/support/rule-fixtures.js';
import { s3PublicAcl } from './s3-public-acl.js';

const owner: AclGrant = { grantee: { kind: 'canonical-user', id: 'owner' }, permission: 'FULL_CONTROL' };
const group = (uri: string, permission: string): AclGrant => ({
  grantee: { kind: 'group', uri },
  permission,
});
const acl = (...grants: AclGrant[]) => ({ ownerId: 'owner', grants: [owner, ...grants] });

describe('s3-public-acl', () => {
  runRuleCases(s3PublicAcl, [
    {
      n: 'C1',
      name: 'owner-only ACL',
      resource: bucket({ acl: acl(), publicAccessBlock: BLOCK_NONE }),
      expect: [],
    },
    {
      n: 'C2',
      name: 'log delivery group is not public',
      resource: bucket({ acl: acl(group(LOG_DELIVERY_URI, 'WRITE')), publicAccessBlock: BLOCK_NONE }),
      expect: [],
    },
    {
      n: 'C3',
      name: 'AllUsers READ, but the bucket ignores public ACLs',
      resource: bucket({
        acl: acl(group(ALL_USERS_URI, 'READ')),
        publicAccessBlock: { ...BLOCK_NONE, ignorePublicAcls: true },
      }),
      expect: [],
    },
    {
      n: 'C4',
      name: 'AllUsers READ, but the account ignores public ACLs',
      resource: bucket({
        acl: acl(group(ALL_USERS_URI, 'READ')),
        publicAccessBlock: null,
        accountPublicAccessBlock: BLOCK_ALL,
      }),
      expect: [],
    },
    {
      n: 'C5',
      name: 'AllUsers READ, but ACLs are disabled (BucketOwnerEnforced)',
      resource: bucket({
        acl: acl(group(ALL_USERS_URI, 'READ')),
        publicAccessBlock: BLOCK_NONE,
        objectOwnership: 'BucketOwnerEnforced',
      }),
      expect: [],
    },
    {
      n: 'C6',
      name: 'ACL unknown, but the account ignores public ACLs',
      resource: bucket({
        acl: U('AccessDenied'),
        publicAccessBlock: null,
        accountPublicAccessBlock: { ...BLOCK_NONE, ignorePublicAcls: true },
      }),
      expect: [],
    },
    {
      n: 'N1',
      name: 'AllUsers READ',
      resource: bucket({ acl: acl(group(ALL_USERS_URI, 'READ')), publicAccessBlock: BLOCK_NONE }),
      expect: [{ certainty: 'definite', part: 'grant:group:AllUsers:READ', path: ['acl', 'grants', 1] }],
    },
    {
      n: 'N2',
      name: 'AuthenticatedUsers WRITE and AllUsers READ_ACP',
      resource: bucket({
        acl: acl(group(AUTHENTICATED_USERS_URI, 'WRITE'), group(ALL_USERS_URI, 'READ_ACP')),
        publicAccessBlock: null,
      }),
      expect: [
        { certainty: 'definite', part: 'grant:group:AuthenticatedUsers:WRITE' },
        { certainty: 'definite', part: 'grant:group:AllUsers:READ_ACP' },
      ],
    },
    {
      n: 'N3',
      name: 'BlockPublicAcls alone does not neutralise an existing grant',
      resource: bucket({
        acl: acl(group(ALL_USERS_URI, 'READ')),
        publicAccessBlock: { ...BLOCK_NONE, blockPublicAcls: true },
      }),
      expect: [{ certainty: 'definite' }],
    },
    {
      n: 'N4',
      name: 'Object Ownership BucketOwnerPreferred still honours ACLs',
      resource: bucket({
        acl: acl(group(ALL_USERS_URI, 'FULL_CONTROL')),
        publicAccessBlock: BLOCK_NONE,
        objectOwnership: 'BucketOwnerPreferred',
      }),
      expect: [{ certainty: 'definite' }],
    },
    {
      n: 'P1',
      name: 'ACL unknown',
      resource: bucket({ acl: U('canned ACL from a parameter'), publicAccessBlock: BLOCK_NONE }),
      expect: [{ certainty: 'possible', part: 'acl' }],
    },
    {
      n: 'P2',
      name: 'AllUsers READ with IgnorePublicAcls unknown',
      resource: bucket({
        acl: acl(group(ALL_USERS_URI, 'READ')),
        publicAccessBlock: { ...BLOCK_NONE, ignorePublicAcls: U() },
      }),
      expect: [{ certainty: 'possible' }],
    },
  ]);
});
