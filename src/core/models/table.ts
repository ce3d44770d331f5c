// Canonical model of a DynamoDB table.
import * as z from 'zod';
import { uncertain } from '../unknown.js';

export const tableSchema = z.object({
  tableName: z.string(),
  status: z.string().optional(),
  billingMode: z.string().optional(),
  /**
   * Encryption at rest: 'AWS_OWNED' (the default, always on), 'AWS_MANAGED' (aws/dynamodb KMS key) or
   * 'CUSTOMER_MANAGED' (a customer KMS key).
   */
  encryption: uncertain(z.enum(['AWS_OWNED', 'AWS_MANAGED', 'CUSTOMER_MANAGED'])),
  kmsKeyArn: z.string().optional(),
  pointInTimeRecovery: uncertain(z.boolean()),
  deletionProtection: z.boolean().optional(),
  itemCount: z.number().optional(),
  creationDateTime: z.string().optional(),
});

export type TableModel = z.infer<typeof tableSchema>;
