// Canonical model of an S3 bucket: access (ACL, policy, public access blocks), encryption, versioning.
import * as z from 'zod';
import { uncertain } from '../unknown.js';

export const ALL_USERS_URI = 'http://acs.amazonaws.com/groups/global/AllUsers';
export const AUTHENTICATED_USERS_URI = 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers';
export const LOG_DELIVERY_URI = 'http://acs.amazonaws.com/groups/s3/LogDelivery';

export const aclGranteeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('canonical-user'), id: z.string(), displayName: z.string().optional() }),
  z.object({ kind: z.literal('group'), uri: z.string() }),
  z.object({ kind: z.literal('email'), email: z.string() }),
]);

export const aclGrantSchema = z.object({
  grantee: aclGranteeSchema,
  /** FULL_CONTROL | READ | WRITE | READ_ACP | WRITE_ACP */
  permission: z.string(),
});

export const publicAccessBlockSchema = z.object({
  blockPublicAcls: uncertain(z.boolean()),
  ignorePublicAcls: uncertain(z.boolean()),
  blockPublicPolicy: uncertain(z.boolean()),
  restrictPublicBuckets: uncertain(z.boolean()),
});

export const bucketSchema = z.object({
  name: z.string(),
  region: z.string(),
  creationDate: z.string().optional(),
  /** null when the ACL could not be known (e.g. a template with an unknown canned ACL is `unknown`). */
  acl: uncertain(
    z.object({
      ownerId: z.string().optional(),
      grants: z.array(aclGrantSchema),
    }),
  ),
  /** BucketOwnerEnforced disables ACLs entirely (AWS default for new buckets since 2023). */
  objectOwnership: z.string().optional(),
  /** The bucket policy document as JSON, or null when the bucket has none. */
  policy: uncertain(z.unknown()).nullable(),
  publicAccessBlock: publicAccessBlockSchema.nullable(),
  /** The account-level S3 public access block (s3control), which applies to every bucket of the account. */
  accountPublicAccessBlock: publicAccessBlockSchema.nullable(),
  encryption: uncertain(
    z
      .object({
        rules: z.array(
          z.object({
            algorithm: z.string(),
            kmsKeyId: z.string().optional(),
            bucketKeyEnabled: z.boolean().optional(),
          }),
        ),
      })
      .nullable(),
  ),
  /** 'Enabled' | 'Suspended' | 'Off' (never enabled). */
  versioning: uncertain(z.string()),
  mfaDelete: z.string().optional(),
});

export type AclGrantee = z.infer<typeof aclGranteeSchema>;
export type AclGrant = z.infer<typeof aclGrantSchema>;
export type PublicAccessBlock = z.infer<typeof publicAccessBlockSchema>;
export type BucketModel = z.infer<typeof bucketSchema>;
