// Security-group rule facts shared by the sg-* rules: world peers, port coverage, stable part keys, and the
// precedence that makes exactly one sg-ingress-open-* rule report a given world-open security-group rule.
import * as z from 'zod';
import { triAnd, type Tri } from '../../core/engine/tri.js';
import type { SgPeer, SgRule } from '../../core/models/security-group.js';
import { isWorldCidrText } from '../../core/net/cidr.js';
import { formatPortRange, MAX_PORT, MIN_PORT, type PortRange } from '../../core/net/ports.js';
import { isUnknown, type Uncertain } from '../../core/unknown.js';

export const SG_TYPE = 'aws.ec2.security-group';

export const RULE_OPEN_ALL = 'sg-ingress-open-all';
export const RULE_OPEN_ADMIN = 'sg-ingress-open-admin';
export const RULE_OPEN_DB = 'sg-ingress-open-db';
export const RULE_OPEN_PORT = 'sg-ingress-open-port';

/** Remote administration: SSH and RDP (CIS AWS Foundations 5.2/5.3, Security Hub EC2.13/EC2.14/EC2.53). */
export const DEFAULT_ADMIN_PORTS: readonly number[] = [22, 3389];

/**
 * Database and data-store ports that should never face the internet. Beyond the usual engines this
 * includes cluster-internal ports (Cassandra gossip, etcd peers, Elasticsearch transport) because an
 * exposed peer port is as bad as an exposed client port.
 */
export const DEFAULT_DB_PORTS: readonly number[] = [
  1433, // Microsoft SQL Server
  1434, // SQL Server Browser
  1521, // Oracle listener
  2483, // Oracle TNS
  2484, // Oracle TNS over TLS
  2379, // etcd client
  2380, // etcd peer
  3050, // Firebird / InterBase
  3306, // MySQL / MariaDB / Aurora MySQL
  5432, // PostgreSQL / Aurora PostgreSQL
  5433, // Vertica / PostgreSQL replicas
  5439, // Redshift
  5984, // CouchDB
  6379, // Redis / Valkey / ElastiCache
  7000, // Cassandra inter-node
  7001, // Cassandra inter-node TLS
  7199, // Cassandra JMX
  7474, // Neo4j HTTP
  7687, // Neo4j Bolt
  8086, // InfluxDB
  8087, // Riak protocol buffers
  8091, // Couchbase web / REST
  8123, // ClickHouse HTTP
  8529, // ArangoDB
  8182, // Neptune / Gremlin
  9000, // ClickHouse native
  9042, // Cassandra CQL / Keyspaces
  9160, // Cassandra Thrift
  9200, // Elasticsearch / OpenSearch HTTP
  9300, // Elasticsearch transport
  11211, // Memcached
  26257, // CockroachDB
  27017, // MongoDB / DocumentDB
  27018, // MongoDB shard
  27019, // MongoDB config server
  28015, // RethinkDB
  50000, // IBM Db2
];

const PORT_NAMES: Readonly<Record<number, string>> = {
  22: 'SSH',
  3389: 'RDP',
  23: 'Telnet',
  5985: 'WinRM',
  5986: 'WinRM over TLS',
  5900: 'VNC',
  1433: 'SQL Server',
  1434: 'SQL Server Browser',
  1521: 'Oracle',
  2483: 'Oracle TNS',
  2484: 'Oracle TNS/TLS',
  2379: 'etcd',
  2380: 'etcd peer',
  3050: 'Firebird',
  3306: 'MySQL',
  5432: 'PostgreSQL',
  5433: 'Vertica',
  5439: 'Redshift',
  5984: 'CouchDB',
  6379: 'Redis',
  7000: 'Cassandra',
  7001: 'Cassandra TLS',
  7199: 'Cassandra JMX',
  7474: 'Neo4j',
  7687: 'Neo4j Bolt',
  8086: 'InfluxDB',
  8087: 'Riak',
  8091: 'Couchbase',
  8123: 'ClickHouse HTTP',
  8182: 'Neptune',
  8529: 'ArangoDB',
  9000: 'ClickHouse',
  9042: 'Cassandra CQL',
  9160: 'Cassandra Thrift',
  9200: 'Elasticsearch',
  9300: 'Elasticsearch transport',
  11211: 'Memcached',
  26257: 'CockroachDB',
  27017: 'MongoDB',
  27018: 'MongoDB shard',
  27019: 'MongoDB config',
  28015: 'RethinkDB',
  50000: 'Db2',
};

export function portName(port: number): string {
  const name = PORT_NAMES[port];
  return name ? `${name} ${port}` : String(port);
}

export const portSchema = z.number().int().min(MIN_PORT).max(MAX_PORT);
export const portListSchema = z.array(portSchema);

// ---- facts about one rule ------------------------------------------------------------------------

/** Whether the peer is the whole internet (0.0.0.0/0 or ::/0, any spelling). */
export function worldPeer(peer: SgPeer): Tri {
  if (peer.kind !== 'ipv4' && peer.kind !== 'ipv6') return 'no';
  if (isUnknown(peer.cidr)) return 'maybe';
  return isWorldCidrText(peer.cidr) ? 'yes' : 'no';
}

export type ProtocolClass = 'all' | 'ported' | 'icmp' | 'other' | 'unknown';

/**
 * 'ported' (tcp, udp) honour the port range; 'all' and 'other' protocols (AWS allows every port of a
 * protocol other than tcp/udp/icmp) do not; icmp ranges are type/code, not ports.
 */
export function protocolClass(protocol: Uncertain<string>): ProtocolClass {
  if (isUnknown(protocol)) return 'unknown';
  switch (protocol) {
    case 'all':
      return 'all';
    case 'tcp':
    case 'udp':
      return 'ported';
    case 'icmp':
    case 'icmpv6':
      return 'icmp';
    default:
      return 'other';
  }
}

/** A port bound as a rule states it: a number (clamped to 0..65535, -1 = open end) or unknown. */
function knownBound(value: Uncertain<number>, fallback: number): number | undefined {
  if (isUnknown(value)) return undefined;
  if (value < MIN_PORT) return fallback;
  return Math.min(value, MAX_PORT);
}

/** The tcp/udp range of a rule; either end undefined when unknown. */
export function portBounds(rule: SgRule): { from: number | undefined; to: number | undefined } {
  return { from: knownBound(rule.fromPort, MIN_PORT), to: knownBound(rule.toPort, MAX_PORT) };
}

/** The range when fully known. */
export function knownRange(rule: SgRule): PortRange | undefined {
  const { from, to } = portBounds(rule);
  return from === undefined || to === undefined ? undefined : { from, to };
}

/** Does a tcp/udp rule's range include any of `ports`? Known ends decide what they can. */
export function rangeCoversAny(rule: SgRule, ports: readonly number[]): Tri {
  const { from, to } = portBounds(rule);
  let maybe = false;
  for (const port of ports) {
    if (from !== undefined && to !== undefined) {
      if (port >= from && port <= to) return 'yes';
      continue;
    }
    // An unknown end still leaves from <= to, so a known end is itself always covered.
    if (port === from || port === to) return 'yes';
    if ((from === undefined || port >= from) && (to === undefined || port <= to)) maybe = true;
  }
  return maybe ? 'maybe' : 'no';
}

/** Is a tcp/udp rule's range every port? */
export function rangeIsAll(rule: SgRule): Tri {
  const { from, to } = portBounds(rule);
  if (from !== undefined && from > MIN_PORT) return 'no';
  if (to !== undefined && to < MAX_PORT) return 'no';
  return from === undefined || to === undefined ? 'maybe' : 'yes';
}

// ---- the four world-ingress tiers ----------------------------------------------------------------

/** All protocols, or every tcp/udp port, from the world. */
export function matchOpenAll(rule: SgRule): Tri {
  if (rule.direction !== 'ingress') return 'no';
  const world = worldPeer(rule.peer);
  if (world === 'no') return 'no';
  switch (protocolClass(rule.protocol)) {
    case 'all':
      return world;
    case 'unknown':
      return 'maybe';
    case 'ported':
      return triAnd(world, rangeIsAll(rule));
    default:
      return 'no';
  }
}

/** Any of `ports` (tcp/udp, or all protocols) from the world. */
export function matchPorts(rule: SgRule, ports: readonly number[]): Tri {
  if (rule.direction !== 'ingress' || ports.length === 0) return 'no';
  const world = worldPeer(rule.peer);
  if (world === 'no') return 'no';
  switch (protocolClass(rule.protocol)) {
    case 'all':
      return world;
    case 'unknown':
      return 'maybe';
    case 'ported':
      return triAnd(world, rangeCoversAny(rule, ports));
    default:
      return 'no';
  }
}

/** Any port outside `allowed` (sorted, merged: see normalizeRanges) from the world (any non-icmp protocol). */
export function matchOtherPorts(rule: SgRule, allowed: readonly PortRange[]): Tri {
  if (rule.direction !== 'ingress') return 'no';
  const world = worldPeer(rule.peer);
  if (world === 'no') return 'no';
  switch (protocolClass(rule.protocol)) {
    case 'all':
    case 'other':
      return world;
    case 'unknown':
      return 'maybe';
    case 'icmp':
      return 'no';
    case 'ported': {
      const range = knownRange(rule);
      if (!range) return 'maybe';
      return triAnd(world, outsideAllowed(range, allowed) ? 'yes' : 'no');
    }
  }
}

function outsideAllowed(range: PortRange, allowed: readonly PortRange[]): boolean {
  let cursor = range.from;
  // Walk the allowed ranges in order; any gap before `range.to` is an exposed port.
  for (const cut of allowed) {
    if (cut.to < cursor) continue;
    if (cut.from > cursor) return true;
    cursor = cut.to + 1;
    if (cursor > range.to) return false;
  }
  return cursor <= range.to;
}

/**
 * What the higher tiers are, as the engine resolved them: `null` for a disabled tier, whose rules then
 * fall to the next tier rather than going unreported.
 */
export interface SgTierLink {
  readonly openAll: boolean;
  readonly adminPorts: readonly number[] | null;
  readonly dbPorts: readonly number[] | null;
}

/** Without an engine (a rule called on its own), every tier is on with its default ports. */
export const DEFAULT_TIER_LINK: SgTierLink = {
  openAll: true,
  adminPorts: DEFAULT_ADMIN_PORTS,
  dbPorts: DEFAULT_DB_PORTS,
};

export type SgTier = 'open-all' | 'admin' | 'db' | 'port';

/**
 * Whether a higher tier takes this rule. Precedence: open-all, then admin, then db, then port. A higher
 * tier that matches definitely always takes it; one that only possibly matches takes it unless this tier
 * matches definitely (then both report: the definite exposure must not hide behind a possible one).
 */
export function claimedByHigherTier(rule: SgRule, tier: SgTier, own: Tri, link: SgTierLink): boolean {
  const higher: Tri[] = [];
  if (tier === 'open-all') return false;
  if (link.openAll) higher.push(matchOpenAll(rule));
  if (tier !== 'admin' && link.adminPorts) higher.push(matchPorts(rule, link.adminPorts));
  if (tier === 'port' && link.dbPorts) higher.push(matchPorts(rule, link.dbPorts));
  for (const tri of higher) {
    if (tri === 'yes') return true;
    if (tri === 'maybe' && own !== 'yes') return true;
  }
  return false;
}

/** Reads a resolved sibling rule's `ports` param at compile time; null when the rule is disabled. */
export function linkedPorts(params: unknown): readonly number[] | null {
  if (typeof params !== 'object' || params === null) return null;
  const ports = (params as { ports?: unknown }).ports;
  return Array.isArray(ports) && ports.every((port) => typeof port === 'number') ? (ports as number[]) : null;
}

export function tierLink(paramsOf: (ruleId: string) => unknown): SgTierLink {
  return {
    openAll: paramsOf(RULE_OPEN_ALL) !== undefined,
    adminPorts: linkedPorts(paramsOf(RULE_OPEN_ADMIN)),
    dbPorts: linkedPorts(paramsOf(RULE_OPEN_DB)),
  };
}

// ---- describing a rule ---------------------------------------------------------------------------

function uncertainText(value: Uncertain<string | number>): string {
  return isUnknown(value) ? `?(${value.reason})` : String(value);
}

export function peerKey(peer: SgPeer): string {
  switch (peer.kind) {
    case 'ipv4':
    case 'ipv6':
      return `${peer.kind}:${uncertainText(peer.cidr)}`;
    case 'security-group':
      return `sg:${peer.userId ? `${peer.userId}/` : ''}${uncertainText(peer.groupId)}`;
    case 'prefix-list':
      return `pl:${uncertainText(peer.prefixListId)}`;
  }
}

/**
 * Stable key of a security-group rule: its sgr- id when AWS gave one, else its content
 * (`ingress|tcp|22-22|ipv4:0.0.0.0/0`), which names the same rule across template, event and scan.
 */
export function sgRulePart(rule: SgRule): string {
  if (rule.ruleId) return rule.ruleId;
  return `${rule.direction}|${uncertainText(rule.protocol)}|${uncertainText(rule.fromPort)}-${uncertainText(rule.toPort)}|${peerKey(rule.peer)}`;
}

export function peerText(peer: SgPeer): string {
  switch (peer.kind) {
    case 'ipv4':
    case 'ipv6':
      return isUnknown(peer.cidr) ? `an unknown CIDR (${peer.cidr.reason})` : peer.cidr;
    case 'security-group':
      return `security group ${uncertainText(peer.groupId)}`;
    case 'prefix-list':
      return `prefix list ${uncertainText(peer.prefixListId)}`;
  }
}

/** "all traffic", "tcp 0-1024", "udp 53", "protocol 132", with unknown parts spelled out. */
export function trafficText(rule: SgRule): string {
  const protocol = rule.protocol;
  if (isUnknown(protocol)) return `an unknown protocol (${protocol.reason})`;
  const kind = protocolClass(protocol);
  if (kind === 'all') return 'all traffic';
  if (kind === 'other') return `protocol ${protocol}`;
  if (kind === 'icmp') return protocol;
  const { from, to } = portBounds(rule);
  if (from !== undefined && to !== undefined) return `${protocol} ${formatPortRange({ from, to })}`;
  return `${protocol} ports ${uncertainText(rule.fromPort)}-${uncertainText(rule.toPort)}`;
}

export function ruleText(rule: SgRule): string {
  return `${rule.direction} rule ${rule.ruleId ? `${rule.ruleId} ` : ''}(${trafficText(rule)} ${rule.direction === 'ingress' ? 'from' : 'to'} ${peerText(rule.peer)})`;
}

/** Which of `ports` a rule exposes for sure, for messages ("SSH 22, RDP 3389"). */
export function exposedPorts(rule: SgRule, ports: readonly number[]): number[] {
  const kind = protocolClass(rule.protocol);
  if (kind === 'all') return [...ports];
  if (kind !== 'ported') return [];
  const range = knownRange(rule);
  return range ? ports.filter((port) => port >= range.from && port <= range.to) : [];
}
