// Micro-benchmark of the SQLite store: applyListing write rate and iterateResources read rate.
// Usage: npx tsx bench/store-micro.ts [--listing 10000] [--read 1000000] [--dir /tmp/x]
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Resource } from '../src/core/resource.js';
import { openSqliteStore } from '../src/store/sqlite-store.js';

const { values } = parseArgs({
  options: {
    listing: { type: 'string', default: '10000' },
    read: { type: 'string', default: '1000000' },
    dir: { type: 'string' },
  },
});
const listingSize = Number(values.listing);
const readSize = Number(values.read);
const dir = values.dir ?? mkdtempSync(join(tmpdir(), 'leuko-store-micro-'));
const path = join(dir, 'leuko.db');

/** A security group about the size of a real one (a handful of rules, a few tags). */
function group(
  account: string,
  region: string,
  index: number,
  generation: number,
): Resource<'aws.ec2.security-group'> {
  const id = `sg-${index.toString(16).padStart(17, '0')}`;
  return {
    type: 'aws.ec2.security-group',
    account,
    region,
    id,
    arn: `arn:aws:ec2:${region}:${account}:security-group/${id}`,
    name: `group-${index}`,
    tags: { Name: `group-${index}`, team: `team-${index % 17}`, generation: String(generation) },
    config: {
      groupId: id,
      groupName: `group-${index}`,
      description: 'benchmark group',
      vpcId: 'vpc-0123456789abcdef0',
      ownerId: account,
      isDefault: false,
      rules: Array.from({ length: 6 }, (_, rule) => ({
        ruleId: `sgr-${index.toString(16).padStart(9, '0')}${rule.toString(16).padStart(8, '0')}`,
        direction: rule === 0 ? ('egress' as const) : ('ingress' as const),
        protocol: rule === 0 ? 'all' : 'tcp',
        fromPort: rule === 0 ? 0 : 8000 + rule,
        toPort: rule === 0 ? 65535 : 8000 + rule,
        peer: { kind: 'ipv4' as const, cidr: `10.${rule}.0.0/16` },
        description: `rule ${rule}`,
      })),
    },
  };
}

function rate(count: number, ms: number): string {
  return `${Math.round((count / ms) * 1000).toLocaleString('en-US')}/s`;
}

const store = await openSqliteStore(path);
try {
  const scanId = await store.beginScan({
    accounts: ['111111111111'],
    regions: ['us-east-1'],
    types: ['aws.ec2.security-group'],
  });
  const scope = { type: 'aws.ec2.security-group', account: '111111111111', region: 'us-east-1' } as const;
  const first = Array.from({ length: listingSize }, (_, i) => group(scope.account, scope.region, i, 0));
  let start = performance.now();
  await store.applyListing(scope, first, { scanId, at: new Date().toISOString() });
  let ms = performance.now() - start;
  console.log(`applyListing ${listingSize} new:        ${ms.toFixed(0)} ms  ${rate(listingSize, ms)}`);

  start = performance.now();
  await store.applyListing(scope, first, { scanId, at: new Date().toISOString() });
  ms = performance.now() - start;
  console.log(`applyListing ${listingSize} unchanged:  ${ms.toFixed(0)} ms  ${rate(listingSize, ms)}`);

  const second = Array.from({ length: listingSize }, (_, i) => group(scope.account, scope.region, i, 1));
  start = performance.now();
  await store.applyListing(scope, second, { scanId, at: new Date().toISOString() });
  ms = performance.now() - start;
  console.log(`applyListing ${listingSize} modified:   ${ms.toFixed(0)} ms  ${rate(listingSize, ms)}`);

  // Fill up to readSize resources, in scopes of 10,000 (accounts x regions), then read them all.
  const regions = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2'];
  let filled = listingSize;
  start = performance.now();
  for (let n = 0; filled < readSize; n += 1) {
    const account = String(200000000000 + Math.floor(n / regions.length));
    const region = regions[n % regions.length] ?? 'us-east-1';
    const size = Math.min(10_000, readSize - filled);
    const listing = Array.from({ length: size }, (_, i) => group(account, region, i, 0));
    await store.applyListing({ type: 'aws.ec2.security-group', account, region }, listing, {
      scanId,
      at: new Date().toISOString(),
    });
    filled += size;
  }
  ms = performance.now() - start;
  console.log(
    `fill to ${filled} resources:          ${(ms / 1000).toFixed(1)} s  ${rate(filled - listingSize, ms)}`,
  );

  start = performance.now();
  let count = 0;
  let rules = 0;
  for await (const stored of store.iterateResources({}, { batchSize: 2000 })) {
    count += 1;
    if (stored.resource.type === 'aws.ec2.security-group') rules += stored.resource.config.rules.length;
  }
  ms = performance.now() - start;
  console.log(
    `iterateResources ${count}:        ${(ms / 1000).toFixed(1)} s  ${rate(count, ms)} (${rules} rules seen)`,
  );
  console.log(`database size: ${(statSync(path).size / 1e6).toFixed(0)} MB`);
} finally {
  await store.close();
  if (values.dir === undefined) rmSync(dir, { recursive: true, force: true });
}
