// The stable ids of leuko's resource types; ids never change once released.

export const RESOURCE_TYPE_IDS = [
  'aws.ec2.security-group',
  'aws.ec2.instance',
  'aws.ec2.volume',
  'aws.s3.bucket',
  'aws.rds.db-instance',
  'aws.rds.db-snapshot',
  'aws.dynamodb.table',
  'aws.cloudformation.stack',
] as const;

export type ResourceTypeId = (typeof RESOURCE_TYPE_IDS)[number];

export function isResourceTypeId(value: string): value is ResourceTypeId {
  return (RESOURCE_TYPE_IDS as readonly string[]).includes(value);
}

/** Short names accepted on the command line (`--types sg,bucket`). */
export const RESOURCE_TYPE_ALIASES: Readonly<Record<string, ResourceTypeId>> = {
  sg: 'aws.ec2.security-group',
  'security-group': 'aws.ec2.security-group',
  instance: 'aws.ec2.instance',
  ec2: 'aws.ec2.instance',
  volume: 'aws.ec2.volume',
  ebs: 'aws.ec2.volume',
  bucket: 'aws.s3.bucket',
  s3: 'aws.s3.bucket',
  rds: 'aws.rds.db-instance',
  'db-instance': 'aws.rds.db-instance',
  'db-snapshot': 'aws.rds.db-snapshot',
  'rds-snapshot': 'aws.rds.db-snapshot',
  dynamodb: 'aws.dynamodb.table',
  table: 'aws.dynamodb.table',
  stack: 'aws.cloudformation.stack',
  cloudformation: 'aws.cloudformation.stack',
};

export function resolveResourceType(name: string): ResourceTypeId | undefined {
  if (isResourceTypeId(name)) return name;
  return RESOURCE_TYPE_ALIASES[name.toLowerCase()];
}
