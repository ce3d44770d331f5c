// Canned S3 ACLs expanded to the grants AWS creates for them, shared by CloudFormation and Terraform.
import { ALL_USERS_URI, AUTHENTICATED_USERS_URI, LOG_DELIVERY_URI, type AclGrant } from '../../core/models/index.js';

/**
 * Stands for the bucket owner's canonical id, which a template cannot know; `acl.ownerId` carries the
 * same value, so "grant to the owner" stays recognisable.
 */
export const TEMPLATE_OWNER_ID = '<bucket-owner>';

/** Amazon EC2's canonical user ("za-team"), which aws-exec-read grants READ for AMI bundles. */
export const EC2_CANONICAL_ID = '6aa5a366c34c1cbe25dc49211496e913e0351eb0e8c37aa3477e40942ec6b97c';

const ownerFull: AclGrant = { grantee: { kind: 'canonical-user', id: TEMPLATE_OWNER_ID }, permission: 'FULL_CONTROL' };
const group = (uri: string, permission: string): AclGrant => ({ grantee: { kind: 'group', uri }, permission });

// Keys: the canned name lower-cased without separators, so "PublicRead" (CloudFormation) and
// "public-read" (S3 API, Terraform) meet.
const CANNED: Readonly<Record<string, readonly AclGrant[]>> = {
  private: [ownerFull],
  publicread: [ownerFull, group(ALL_USERS_URI, 'READ')],
  publicreadwrite: [ownerFull, group(ALL_USERS_URI, 'READ'), group(ALL_USERS_URI, 'WRITE')],
  authenticatedread: [ownerFull, group(AUTHENTICATED_USERS_URI, 'READ')],
  logdeliverywrite: [ownerFull, group(LOG_DELIVERY_URI, 'WRITE'), group(LOG_DELIVERY_URI, 'READ_ACP')],
  awsexecread: [ownerFull, { grantee: { kind: 'canonical-user', id: EC2_CANONICAL_ID, displayName: 'za-team' }, permission: 'READ' }],
  // On a bucket the bucket owner is the owner: these two are object ACLs that reduce to private.
  bucketownerread: [ownerFull],
  bucketownerfullcontrol: [ownerFull],
};

/** The grants of a canned ACL, or undefined for a name S3 does not know. */
export function cannedAclGrants(name: string): AclGrant[] | undefined {
  const key = name.replace(/[-_\s]/g, '').toLowerCase();
  const grants = Object.hasOwn(CANNED, key) ? CANNED[key] : undefined;
  return grants?.map((grant) => ({ ...grant, grantee: { ...grant.grantee } }));
}
