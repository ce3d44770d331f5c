// Synthetic estates for speed measurements: a realistic mix of types, mostly compliant, some not.
import type { AnyResource, Resource } from '../../src/core/resource.js';
import {
  BLOCK_ALL,
  BLOCK_NONE,
  bucket,
  dbInstance,
  dbSnapshot,
  ingress,
  egress,
  resource,
  sg,
  table,
  volume,
} from './rule-fixtures.js';

const CIDRS = [
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.1.0/24',
  '0.0.0.0/0',
  '203.0.113.7/32',
  '::/0',
  '2001:db8::/32',
];
const PORTS: Array<[string, number, number]> = [
  ['tcp', 443, 443],
  ['tcp', 80, 80],
  ['tcp', 22, 22],
  ['tcp', 5432, 5432],
  ['tcp', 8080, 8080],
  ['udp', 53, 53],
  ['all', 0, 65535],
  ['tcp', 1024, 65535],
];

/** A deterministic pseudo-random estate of `count` resources (same count, same estate). */
export function syntheticEstate(count: number): Resource[] {
  let seed = 42;
  const next = (): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 0x100000000;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const out: AnyResource[] = [];
  for (let i = 0; i < count; i++) {
    const roll = next();
    const region = pick(['eu-west-1', 'us-east-1', 'eu-central-1']);
    if (roll < 0.4) {
      const rules = Array.from({ length: 2 + Math.floor(next() * 6) }, (_, index) => {
        const [protocol, from, to] = next() < 0.85 ? PORTS[index % 2]! : pick(PORTS);
        const cidr = next() < 0.8 ? pick(CIDRS.slice(0, 3)) : pick(CIDRS);
        return ingress(protocol, from, to, cidr, { ruleId: `sgr-${i}-${index}` });
      });
      rules.push(egress('all', 0, 65535, '0.0.0.0/0'));
      const group = sg(rules, { groupId: `sg-${i}`, isDefault: next() < 0.05 }, { region });
      out.push({ ...group, id: `sg-${i}` });
    } else if (roll < 0.6) {
      const b = bucket(
        { name: `bucket-${i}`, publicAccessBlock: next() < 0.9 ? BLOCK_ALL : BLOCK_NONE },
        { region },
      );
      out.push(b);
    } else if (roll < 0.75) {
      out.push({ ...volume(next() < 0.9), id: `vol-${i}`, region });
    } else if (roll < 0.85) {
      out.push(
        resource(
          'aws.ec2.instance',
          `i-${i}`,
          {
            instanceId: `i-${i}`,
            state: 'running',
            securityGroupIds: [],
            networkInterfaces: [],
            volumes: [],
          },
          { region },
        ),
      );
    } else if (roll < 0.92) {
      out.push({
        ...dbInstance({ dbInstanceIdentifier: `db-${i}`, publiclyAccessible: next() < 0.05 }),
        id: `db-${i}`,
        region,
      });
    } else if (roll < 0.96) {
      out.push({ ...dbSnapshot(next() < 0.02 ? ['all'] : []), id: `snap-${i}`, region });
    } else {
      out.push({ ...table(next() < 0.8), id: `table-${i}`, region });
    }
  }
  return out;
}
