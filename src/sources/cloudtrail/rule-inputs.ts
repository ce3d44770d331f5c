// Which model fields each built-in rule judges, so an event's partial model meets only the rules it can inform.

/**
 * A rule judges a change when the change shows any of `anyOf` and all of `allOf`. Fields a rule reads
 * only as mitigations (a bucket's public access block for s3-public-acl) are not listed: the event's
 * partial model has them as explicit unknowns, so the rule answers "possible" until the re-read.
 * Rules not listed here (custom rules) are not run on partial changes: their inputs are not declared.
 */
export interface RuleInputs {
  readonly anyOf: readonly string[];
  readonly allOf?: readonly string[];
}

export const RULE_INPUTS: Readonly<Record<string, RuleInputs>> = {
  'sg-ingress-open-all': { anyOf: ['rules'] },
  'sg-ingress-open-admin': { anyOf: ['rules'] },
  'sg-ingress-open-db': { anyOf: ['rules'] },
  'sg-ingress-open-port': { anyOf: ['rules'] },
  'sg-ingress-baseline': { anyOf: ['rules'] },
  'sg-egress-open-all': { anyOf: ['rules'] },
  'sg-default-has-rules': { anyOf: ['rules'], allOf: ['isDefault'] },
  's3-public-acl': { anyOf: ['acl'] },
  's3-public-policy': { anyOf: ['policy'] },
  's3-public-access-block-off': { anyOf: ['publicAccessBlock', 'accountPublicAccessBlock'] },
  'ebs-unencrypted': { anyOf: ['encrypted'] },
  'rds-unencrypted': { anyOf: ['storageEncrypted'] },
  'rds-public': { anyOf: ['publiclyAccessible'] },
  'rds-snapshot-public': { anyOf: ['restoreAccounts'] },
  'dynamodb-no-pitr': { anyOf: ['pointInTimeRecovery'] },
  // 'region' is in a change's fields only when the event created the resource.
  'region-not-allowed': { anyOf: ['region'] },
};

export function ruleApplies(ruleId: string, fields: readonly string[]): boolean {
  const inputs = RULE_INPUTS[ruleId];
  if (!inputs) return false;
  if (inputs.allOf && !inputs.allOf.every((field) => fields.includes(field))) return false;
  return inputs.anyOf.some((field) => fields.includes(field));
}
