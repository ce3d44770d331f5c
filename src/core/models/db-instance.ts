// Canonical model of an RDS DB instance.
import * as z from 'zod';
import { uncertain } from '../unknown.js';

export const dbInstanceSchema = z.object({
  dbInstanceIdentifier: z.string(),
  engine: z.string().optional(),
  engineVersion: z.string().optional(),
  instanceClass: z.string().optional(),
  status: z.string().optional(),
  publiclyAccessible: uncertain(z.boolean()),
  storageEncrypted: uncertain(z.boolean()),
  kmsKeyId: z.string().optional(),
  vpcSecurityGroupIds: z.array(z.string()),
  dbSubnetGroupName: z.string().optional(),
  multiAz: z.boolean().optional(),
  deletionProtection: z.boolean().optional(),
  backupRetentionPeriod: z.number().optional(),
  endpoint: z.object({ address: z.string().optional(), port: z.number().optional() }).optional(),
  dbClusterIdentifier: z.string().optional(),
});

export type DbInstanceModel = z.infer<typeof dbInstanceSchema>;
