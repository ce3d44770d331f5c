// The built-in rules, in the order `leuko rules` lists them. Ids never change once released.
import type { RuleDefinition } from '../core/rule.js';
import { dynamodbNoPitr } from './dynamodb-no-pitr.js';
import { ebsUnencrypted } from './ebs-unencrypted.js';
import { rdsPublic } from './rds-public.js';
import { rdsSnapshotPublic } from './rds-snapshot-public.js';
import { rdsUnencrypted } from './rds-unencrypted.js';
import { regionNotAllowed } from './region-not-allowed.js';
import { s3PublicAccessBlockOff } from './s3-public-access-block-off.js';
import { s3PublicAcl } from './s3-public-acl.js';
import { s3PublicPolicy } from './s3-public-policy.js';
import { sgDefaultHasRules } from './sg-default-has-rules.js';
import { sgEgressOpenAll } from './sg-egress-open-all.js';
import { sgIngressBaseline } from './sg-ingress-baseline.js';
import { sgIngressOpenAdmin } from './sg-ingress-open-admin.js';
import { sgIngressOpenAll } from './sg-ingress-open-all.js';
import { sgIngressOpenDb } from './sg-ingress-open-db.js';
import { sgIngressOpenPort } from './sg-ingress-open-port.js';

/** Typed by each rule's own params; the engine sees them through the common, param-agnostic contract. */
export const BUILT_IN_RULES: ReadonlyArray<RuleDefinition<unknown>> = [
  sgIngressOpenAll,
  sgIngressOpenAdmin,
  sgIngressOpenDb,
  sgIngressOpenPort,
  sgIngressBaseline,
  sgDefaultHasRules,
  sgEgressOpenAll,
  s3PublicAcl,
  s3PublicPolicy,
  s3PublicAccessBlockOff,
  ebsUnencrypted,
  rdsUnencrypted,
  rdsPublic,
  rdsSnapshotPublic,
  dynamodbNoPitr,
  regionNotAllowed,
];

export {
  dynamodbNoPitr,
  ebsUnencrypted,
  rdsPublic,
  rdsSnapshotPublic,
  rdsUnencrypted,
  regionNotAllowed,
  s3PublicAccessBlockOff,
  s3PublicAcl,
  s3PublicPolicy,
  sgDefaultHasRules,
  sgEgressOpenAll,
  sgIngressBaseline,
  sgIngressOpenAdmin,
  sgIngressOpenAll,
  sgIngressOpenDb,
  sgIngressOpenPort,
};
