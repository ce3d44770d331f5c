// CIDR blocks for IPv4 and IPv6: parse, contain, overlap. Used by rules, custom-rule operators and search.
import { addressBits, formatIp, parseIp, type IpAddress, type IpVersion } from './ip.js';

export interface Cidr {
  readonly version: IpVersion;
  /** The network address, host bits cleared. */
  readonly network: bigint;
  readonly prefix: number;
}

export interface ParseCidrOptions {
  /**
   * Refuse a block with host bits set ("10.0.0.1/8"). Off by default: AWS and most tools normalise such
   * input to its network, and a rule should judge the range the cloud will actually apply.
   */
  readonly strict?: boolean;
}

const PREFIX_TEXT = /^\d{1,3}$/;

/** Mask with the top `prefix` bits set, for an address family. */
export function prefixMask(version: IpVersion, prefix: number): bigint {
  const bits = BigInt(addressBits(version));
  const all = (1n << bits) - 1n;
  return (all << (bits - BigInt(prefix))) & all;
}

/** "10.0.0.0/8", "::/0"; a bare address is a block of one (/32 or /128). Undefined when malformed. */
export function parseCidr(text: string, options: ParseCidrOptions = {}): Cidr | undefined {
  const trimmed = text.trim();
  const slash = trimmed.indexOf('/');
  const addressText = slash === -1 ? trimmed : trimmed.slice(0, slash);
  const address = parseIp(addressText);
  if (!address) return undefined;
  const maxPrefix = addressBits(address.version);
  let prefix = maxPrefix;
  if (slash !== -1) {
    const prefixText = trimmed.slice(slash + 1);
    if (!PREFIX_TEXT.test(prefixText)) return undefined;
    prefix = Number(prefixText);
    if (prefix > maxPrefix) return undefined;
  }
  const network = address.value & prefixMask(address.version, prefix);
  if (options.strict && network !== address.value) return undefined;
  return { version: address.version, network, prefix };
}

export function isCidr(text: string): boolean {
  return parseCidr(text) !== undefined;
}

export function formatCidr(cidr: Cidr): string {
  return `${formatIp({ version: cidr.version, value: cidr.network })}/${cidr.prefix}`;
}

/** Whether `outer` contains every address of `inner` (a block contains itself). Families never mix. */
export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  if (outer.version !== inner.version || outer.prefix > inner.prefix) return false;
  return (inner.network & prefixMask(outer.version, outer.prefix)) === outer.network;
}

/** Whether two blocks share at least one address; for CIDRs that means one contains the other. */
export function cidrOverlaps(a: Cidr, b: Cidr): boolean {
  return a.prefix <= b.prefix ? cidrContains(a, b) : cidrContains(b, a);
}

export function cidrContainsIp(cidr: Cidr, address: IpAddress): boolean {
  return cidrContains(cidr, {
    version: address.version,
    network: address.value,
    prefix: addressBits(address.version),
  });
}

/** 0.0.0.0/0 or ::/0 (any spelling): every address of its family. */
export function isWorldCidr(cidr: Cidr): boolean {
  return cidr.prefix === 0;
}

export function cidrFirstAddress(cidr: Cidr): bigint {
  return cidr.network;
}

export function cidrLastAddress(cidr: Cidr): bigint {
  const bits = BigInt(addressBits(cidr.version));
  return cidr.network | ((1n << (bits - BigInt(cidr.prefix))) - 1n);
}

/** Number of addresses in the block. */
export function cidrSize(cidr: Cidr): bigint {
  return 1n << BigInt(addressBits(cidr.version) - cidr.prefix);
}

/**
 * Fast check for the world on CIDR text, for hot paths that see millions of rules: a valid block whose
 * prefix is 0. Equivalent to `isWorldCidr(parseCidr(text))`.
 */
export function isWorldCidrText(text: string): boolean {
  if (text === '0.0.0.0/0' || text === '::/0') return true;
  const slash = text.lastIndexOf('/');
  if (slash === -1 || slash === text.length - 1) return false;
  // Most CIDRs are not /0: decide on the prefix digits without allocating a substring.
  for (let i = slash + 1; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code !== 48 /* 0 */ && code !== 32 /* space */) return false;
  }
  const parsed = parseCidr(text);
  return parsed !== undefined && parsed.prefix === 0;
}
