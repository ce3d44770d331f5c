// Canonical model of a CloudFormation stack.
import * as z from 'zod';

export const stackSchema = z.object({
  stackName: z.string(),
  stackId: z.string(),
  status: z.string(),
  statusReason: z.string().optional(),
  description: z.string().optional(),
  creationTime: z.string().optional(),
  lastUpdatedTime: z.string().optional(),
  parentId: z.string().optional(),
  rootId: z.string().optional(),
  terminationProtection: z.boolean().optional(),
  roleArn: z.string().optional(),
});

export type StackModel = z.infer<typeof stackSchema>;
