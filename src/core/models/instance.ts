// Canonical model of an EC2 instance.
import * as z from 'zod';

export const instanceSchema = z.object({
  instanceId: z.string(),
  /** pending | running | shutting-down | terminated | stopping | stopped */
  state: z.string(),
  imageId: z.string().optional(),
  instanceType: z.string().optional(),
  launchTime: z.string().optional(),
  vpcId: z.string().optional(),
  subnetId: z.string().optional(),
  availabilityZone: z.string().optional(),
  privateIpAddress: z.string().optional(),
  publicIpAddress: z.string().optional(),
  keyName: z.string().optional(),
  securityGroupIds: z.array(z.string()),
  networkInterfaces: z.array(
    z.object({
      networkInterfaceId: z.string(),
      subnetId: z.string().optional(),
      privateIpAddress: z.string().optional(),
      publicIpAddress: z.string().optional(),
      securityGroupIds: z.array(z.string()),
    }),
  ),
  volumes: z.array(
    z.object({ volumeId: z.string(), deviceName: z.string().optional(), deleteOnTermination: z.boolean().optional() }),
  ),
  iamInstanceProfileArn: z.string().optional(),
  /** IMDS: 'required' means IMDSv2 only. */
  metadataHttpTokens: z.string().optional(),
});

export type InstanceModel = z.infer<typeof instanceSchema>;
