// Canonical model of an EBS volume.
import * as z from 'zod';
import { uncertain } from '../unknown.js';

export const volumeSchema = z.object({
  volumeId: z.string(),
  sizeGiB: z.number().optional(),
  volumeType: z.string().optional(),
  encrypted: uncertain(z.boolean()),
  kmsKeyId: z.string().optional(),
  availabilityZone: z.string().optional(),
  state: z.string().optional(),
  snapshotId: z.string().optional(),
  attachments: z.array(
    z.object({
      instanceId: z.string(),
      device: z.string().optional(),
      state: z.string().optional(),
      deleteOnTermination: z.boolean().optional(),
    }),
  ),
});

export type VolumeModel = z.infer<typeof volumeSchema>;
