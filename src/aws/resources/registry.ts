// The registry of resource type modules: one line per type.
import type { ResourceTypeId } from '../../core/resource-types.js';
import { stackModule } from './cloudformation-stack.js';
import { tableModule } from './dynamodb-table.js';
import { instanceModule } from './ec2-instance.js';
import { securityGroupModule } from './ec2-security-group.js';
import { volumeModule } from './ec2-volume.js';
import { dbInstanceModule } from './rds-db-instance.js';
import { dbSnapshotModule } from './rds-db-snapshot.js';
import { bucketModule } from './s3-bucket.js';
import type { ResourceTypeModule } from './resource-module.js';

export const RESOURCE_MODULES: { readonly [T in ResourceTypeId]: ResourceTypeModule<T> } = {
  'aws.ec2.security-group': securityGroupModule,
  'aws.ec2.instance': instanceModule,
  'aws.ec2.volume': volumeModule,
  'aws.s3.bucket': bucketModule,
  'aws.rds.db-instance': dbInstanceModule,
  'aws.rds.db-snapshot': dbSnapshotModule,
  'aws.dynamodb.table': tableModule,
  'aws.cloudformation.stack': stackModule,
};

export function resourceModule<T extends ResourceTypeId>(type: T): ResourceTypeModule<T> {
  return RESOURCE_MODULES[type] as ResourceTypeModule<T>;
}
