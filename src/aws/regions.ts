// Region discovery: every region enabled for the account (DescribeRegions), skipping those not opted in.
import { DescribeRegionsCommand } from '@aws-sdk/client-ec2';
import type { AccountClients } from './clients/client-factory.js';

export async function discoverRegions(clients: AccountClients, baseRegion: string): Promise<string[]> {
  const response = await clients
    .limiter(baseRegion)
    .run(() => clients.client('ec2', baseRegion).send(new DescribeRegionsCommand({ AllRegions: true })));
  return enabledRegionNames(response.Regions ?? []);
}

/** Regions the account can use: opted in, or not needing opt-in. */
export function enabledRegionNames(regions: ReadonlyArray<{ RegionName?: string; OptInStatus?: string }>): string[] {
  return regions
    .filter((region) => region.OptInStatus !== 'not-opted-in')
    .map((region) => region.RegionName)
    .filter((name): name is string => typeof name === 'string')
    .sort();
}

export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  return 'aws';
}

/**
 * The region of an SQS queue URL (https://sqs.<region>.amazonaws.com/<account>/<name>); undefined for URLs
 * that name none (a local endpoint such as moto's), where the caller must be told the region.
 */
export function regionOfQueueUrl(url: string): string | undefined {
  return /sqs(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com/.exec(url)?.[1];
}
