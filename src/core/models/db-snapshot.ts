// Canonical model of an RDS DB snapshot, with the `restore` attribute that can make it public.
import * as z from 'zod';
import { uncertain } from '../unknown.js';

export const dbSnapshotSchema = z.object({
  dbSnapshotIdentifier: z.string(),
  dbInstanceIdentifier: z.string().optional(),
  /** manual | automated | … */
  snapshotType: z.string().optional(),
  status: z.string().optional(),
  engine: z.string().optional(),
  encrypted: uncertain(z.boolean()),
  kmsKeyId: z.string().optional(),
  snapshotCreateTime: z.string().optional(),
  /** Values of the `restore` attribute: account ids allowed to restore, or 'all' (public). */
  restoreAccounts: uncertain(z.array(z.string())),
});

export type DbSnapshotModel = z.infer<typeof dbSnapshotSchema>;
