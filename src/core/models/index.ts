// One place mapping each resource type id to its canonical model schema and TypeScript type.
import type { z } from 'zod';
import type { ResourceTypeId } from '../resource-types.js';
import { bucketSchema } from './bucket.js';
import { dbInstanceSchema } from './db-instance.js';
import { dbSnapshotSchema } from './db-snapshot.js';
import { instanceSchema } from './instance.js';
import { securityGroupSchema } from './security-group.js';
import { stackSchema } from './stack.js';
import { tableSchema } from './table.js';
import { volumeSchema } from './volume.js';

export const MODEL_SCHEMAS = {
  'aws.ec2.security-group': securityGroupSchema,
  'aws.ec2.instance': instanceSchema,
  'aws.ec2.volume': volumeSchema,
  'aws.s3.bucket': bucketSchema,
  'aws.rds.db-instance': dbInstanceSchema,
  'aws.rds.db-snapshot': dbSnapshotSchema,
  'aws.dynamodb.table': tableSchema,
  'aws.cloudformation.stack': stackSchema,
} as const satisfies Record<ResourceTypeId, z.ZodType>;

export type ModelOf<T extends ResourceTypeId> = z.infer<(typeof MODEL_SCHEMAS)[T]>;

export * from './bucket.js';
export * from './db-instance.js';
export * from './db-snapshot.js';
export * from './instance.js';
export * from './security-group.js';
export * from './stack.js';
export * from './table.js';
export * from './volume.js';
