// IPv4 and IPv6 addresses as bigints, parsed strictly, so CIDR maths is exact for both families.

export type IpVersion = 4 | 6;

export interface IpAddress {
  readonly version: IpVersion;
  readonly value: bigint;
}

export const IPV4_BITS = 32;
export const IPV6_BITS = 128;

export function addressBits(version: IpVersion): number {
  return version === 4 ? IPV4_BITS : IPV6_BITS;
}

const DECIMAL_OCTET = /^(0|[1-9]\d{0,2})$/;
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

/**
 * Dotted-quad IPv4. Leading zeros are refused: inet_aton reads "010" as octal 8 while others read 10,
 * and a security rule must not guess which address was meant.
 */
export function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!DECIMAL_OCTET.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = (value << 8n) | BigInt(octet);
  }
  return value;
}

/** RFC 4291 text forms: full, "::"-compressed, and with a trailing dotted IPv4 (::ffff:192.0.2.1). */
export function parseIpv6(text: string): bigint | undefined {
  if (text.length === 0 || text.includes('%')) return undefined;
  const doubleColon = text.indexOf('::');
  if (doubleColon !== -1 && text.indexOf('::', doubleColon + 1) !== -1) return undefined;
  const head = doubleColon === -1 ? text : text.slice(0, doubleColon);
  const tail = doubleColon === -1 ? '' : text.slice(doubleColon + 2);
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === '' ? [] : tail.split(':');
  const groups: number[] = [];
  const all = [...headGroups, ...tailGroups];
  const last = all[all.length - 1];
  let ipv4Tail: bigint | undefined;
  if (last !== undefined && last.includes('.')) {
    ipv4Tail = parseIpv4(last);
    if (ipv4Tail === undefined) return undefined;
    if (tailGroups.length > 0) tailGroups.pop();
    else if (doubleColon === -1) headGroups.pop();
    // "1.2.3.4::" puts the dotted tail before the compression: not an address.
    else return undefined;
  }
  const tailWords = ipv4Tail === undefined ? 0 : 2;
  const explicit = headGroups.length + tailGroups.length + tailWords;
  if (doubleColon === -1 ? explicit !== 8 : explicit > 7) return undefined;
  for (const group of headGroups) {
    if (!HEX_GROUP.test(group)) return undefined;
    groups.push(parseInt(group, 16));
  }
  for (let i = 0; i < 8 - explicit; i++) groups.push(0);
  for (const group of tailGroups) {
    if (!HEX_GROUP.test(group)) return undefined;
    groups.push(parseInt(group, 16));
  }
  let value = 0n;
  for (const group of groups) value = (value << 16n) | BigInt(group);
  if (ipv4Tail !== undefined) value = (value << 32n) | ipv4Tail;
  return value;
}

/** An IPv4 or IPv6 address; IPv4-mapped IPv6 stays IPv6, as AWS treats the families apart. */
export function parseIp(text: string): IpAddress | undefined {
  const trimmed = text.trim();
  if (trimmed.includes(':')) {
    const value = parseIpv6(trimmed);
    return value === undefined ? undefined : { version: 6, value };
  }
  const value = parseIpv4(trimmed);
  return value === undefined ? undefined : { version: 4, value };
}

export function formatIpv4(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 0xffn)).join('.');
}

/** RFC 5952 canonical text: lower case, the longest run of two or more zero groups compressed. */
export function formatIpv6(value: bigint): string {
  const groups: number[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) groups.push(Number((value >> shift) & 0xffffn));
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((group) => group.toString(16));
  if (bestLength < 2) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

export function formatIp(address: IpAddress): string {
  return address.version === 4 ? formatIpv4(address.value) : formatIpv6(address.value);
}
