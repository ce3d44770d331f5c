// Property and example tests of IP and CIDR maths, against independent oracles (WHATWG URL, node's BlockList).
import { BlockList } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cidrContains,
  cidrContainsIp,
  cidrFirstAddress,
  cidrLastAddress,
  cidrOverlaps,
  cidrSize,
  formatCidr,
  isWorldCidr,
  isWorldCidrText,
  parseCidr,
  prefixMask,
  type Cidr,
} from './cidr.js';
import { formatIpv4, formatIpv6, parseIp, parseIpv4, parseIpv6 } from './ip.js';

const ipv4Value = fc.bigInt({ min: 0n, max: (1n << 32n) - 1n });
const ipv6Value = fc.bigInt({ min: 0n, max: (1n << 128n) - 1n });

const cidr4: fc.Arbitrary<Cidr> = fc
  .tuple(ipv4Value, fc.integer({ min: 0, max: 32 }))
  .map(([value, prefix]) => ({ version: 4, network: value & prefixMask(4, prefix), prefix }));
const cidr6: fc.Arbitrary<Cidr> = fc
  .tuple(ipv6Value, fc.integer({ min: 0, max: 128 }))
  .map(([value, prefix]) => ({ version: 6, network: value & prefixMask(6, prefix), prefix }));
const anyCidr = fc.oneof(cidr4, cidr6);

/** Pairs that are often related (one derived from the other), so containment is exercised, not just "no". */
const relatedPair = (gen: fc.Arbitrary<Cidr>) =>
  fc
    .tuple(gen, fc.integer({ min: 0, max: 128 }), fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }))
    .map(([a, extra, noise]) => {
      const bits = a.version === 4 ? 32 : 128;
      const prefix = Math.min(bits, a.prefix + (extra % (bits - a.prefix + 1)));
      const hostBits = (1n << BigInt(bits - a.prefix)) - 1n;
      const network = (a.network | (noise & hostBits)) & prefixMask(a.version, prefix);
      const b: Cidr = { version: a.version, network, prefix };
      return [a, b] as const;
    });

describe('IP parsing', () => {
  it('IPv4 round-trips through parse and format', () => {
    fc.assert(
      fc.property(fc.ipV4(), (text) => {
        expect(formatIpv4(parseIpv4(text)!)).toBe(text);
      }),
    );
  });

  it('IPv6 formatting agrees with the WHATWG URL serialiser (RFC 5952)', () => {
    fc.assert(
      fc.property(fc.ipV6(), (text) => {
        const value = parseIpv6(text);
        expect(value).toBeDefined();
        const oracle = new URL(`http://[${text}]/`).hostname.slice(1, -1);
        expect(formatIpv6(value!)).toBe(oracle);
      }),
      { numRuns: 2000 },
    );
  });

  it('IPv6 values round-trip through format and parse', () => {
    fc.assert(
      fc.property(ipv6Value, (value) => {
        expect(parseIpv6(formatIpv6(value))).toBe(value);
      }),
    );
  });

  it.each([
    ['256.0.0.1'],
    ['1.2.3'],
    ['01.2.3.4'],
    ['1.2.3.4.5'],
    [''],
    ['1::2::3'],
    ['1:2:3:4:5:6:7:8:9'],
    ['12345::'],
    [':1:2:3:4:5:6:7'],
    ['1.2.3.4::'],
    ['fe80::1%eth0'],
    ['g::1'],
  ])('refuses %j', (text) => {
    expect(parseIp(text)).toBeUndefined();
  });

  it('reads an IPv4-mapped IPv6 address as IPv6', () => {
    expect(parseIp('::ffff:192.0.2.1')).toEqual({ version: 6, value: 0xffffc0000201n });
  });
});

describe('CIDR parsing', () => {
  it('round-trips canonical blocks', () => {
    fc.assert(
      fc.property(anyCidr, (cidr) => {
        expect(parseCidr(formatCidr(cidr))).toEqual(cidr);
      }),
    );
  });

  it('masks host bits unless strict', () => {
    expect(formatCidr(parseCidr('10.1.2.3/8')!)).toBe('10.0.0.0/8');
    expect(parseCidr('10.1.2.3/8', { strict: true })).toBeUndefined();
    expect(parseCidr('10.0.0.0/8', { strict: true })).toBeDefined();
  });

  it('reads a bare address as a block of one', () => {
    expect(parseCidr('192.0.2.7')).toEqual({ version: 4, network: 0xc0000207n, prefix: 32 });
    expect(parseCidr('2001:db8::1')?.prefix).toBe(128);
  });

  it.each([
    ['10.0.0.0/33'],
    ['::/129'],
    ['10.0.0.0/'],
    ['10.0.0.0/-1'],
    ['10.0.0.0/8/8'],
    ['x/8'],
    ['10.0.0.0/ 8'],
  ])('refuses %j', (text) => {
    expect(parseCidr(text)).toBeUndefined();
  });

  it('isWorldCidrText agrees with parse + prefix 0, on any text', () => {
    const texts = fc.oneof(
      anyCidr.map(formatCidr),
      fc.constantFrom(
        '0.0.0.0/0',
        '::/0',
        '0::/0',
        '1.2.3.4/0',
        '0.0.0.0/00',
        '0.0.0.0/0 ',
        '::/00',
        '0.0.0.0',
        '::',
        '/0',
        'x/0',
      ),
      fc.string(),
    );
    fc.assert(
      fc.property(texts, (text) => {
        const parsed = parseCidr(text);
        expect(isWorldCidrText(text)).toBe(parsed !== undefined && isWorldCidr(parsed));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('CIDR containment and overlap', () => {
  const asRange = (cidr: Cidr) => [cidrFirstAddress(cidr), cidrLastAddress(cidr)] as const;

  it('contains ⇔ the address range of one lies within the other (same family)', () => {
    fc.assert(
      fc.property(fc.oneof(relatedPair(cidr4), relatedPair(cidr6), fc.tuple(anyCidr, anyCidr)), ([a, b]) => {
        const [aFirst, aLast] = asRange(a);
        const [bFirst, bLast] = asRange(b);
        const expected = a.version === b.version && aFirst <= bFirst && bLast <= aLast;
        expect(cidrContains(a, b)).toBe(expected);
      }),
      { numRuns: 3000 },
    );
  });

  it('overlaps ⇔ the address ranges intersect, and is symmetric', () => {
    fc.assert(
      fc.property(fc.oneof(relatedPair(cidr4), relatedPair(cidr6), fc.tuple(anyCidr, anyCidr)), ([a, b]) => {
        const [aFirst, aLast] = asRange(a);
        const [bFirst, bLast] = asRange(b);
        const expected = a.version === b.version && aFirst <= bLast && bFirst <= aLast;
        expect(cidrOverlaps(a, b)).toBe(expected);
        expect(cidrOverlaps(b, a)).toBe(expected);
      }),
      { numRuns: 3000 },
    );
  });

  it('containment is reflexive, antisymmetric and transitive', () => {
    fc.assert(
      fc.property(relatedPair(cidr4), fc.integer({ min: 0, max: 32 }), ([a, b], extra) => {
        expect(cidrContains(a, a)).toBe(true);
        if (cidrContains(a, b) && cidrContains(b, a)) expect(b).toEqual(a);
        const prefix = Math.min(32, b.prefix + extra);
        const c: Cidr = { version: 4, network: b.network & prefixMask(4, prefix), prefix };
        if (cidrContains(a, b) && cidrContains(b, c)) expect(cidrContains(a, c)).toBe(true);
      }),
    );
  });

  it('the world contains every block of its own family and none of the other', () => {
    const world4 = parseCidr('0.0.0.0/0')!;
    const world6 = parseCidr('::/0')!;
    fc.assert(
      fc.property(anyCidr, (cidr) => {
        expect(cidrContains(cidr.version === 4 ? world4 : world6, cidr)).toBe(true);
        expect(cidrContains(cidr.version === 4 ? world6 : world4, cidr)).toBe(false);
      }),
    );
  });

  it('address membership agrees with node:net BlockList', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.tuple(cidr4, ipv4Value), fc.tuple(cidr6, ipv6Value)),
        fc.boolean(),
        ([cidr, random], inside) => {
          const size = cidrSize(cidr);
          // Half the time pick an address inside the block, so both answers are exercised.
          const value = inside ? cidr.network + (random % size) : random;
          const list = new BlockList();
          const family = cidr.version === 4 ? 'ipv4' : 'ipv6';
          list.addSubnet(formatCidr(cidr).split('/')[0]!, cidr.prefix, family);
          const text = cidr.version === 4 ? formatIpv4(value) : formatIpv6(value);
          expect(cidrContainsIp(cidr, { version: cidr.version, value })).toBe(list.check(text, family));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('examples', () => {
    const p = (text: string) => parseCidr(text)!;
    expect(cidrContains(p('10.0.0.0/8'), p('10.1.0.0/16'))).toBe(true);
    expect(cidrContains(p('10.1.0.0/16'), p('10.0.0.0/8'))).toBe(false);
    expect(cidrOverlaps(p('10.1.0.0/16'), p('10.0.0.0/8'))).toBe(true);
    expect(cidrOverlaps(p('10.0.0.0/8'), p('11.0.0.0/8'))).toBe(false);
    expect(cidrContains(p('::/0'), p('0.0.0.0/0'))).toBe(false);
    expect(cidrContains(p('2001:db8::/32'), p('2001:db8:ffff::/48'))).toBe(true);
    expect(cidrSize(p('10.0.0.0/30'))).toBe(4n);
  });
});
