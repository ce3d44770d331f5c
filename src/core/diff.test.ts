// Tests of the resource diff: identity-matched lists, tags, unknowns, and the text a person reads.
import { describe, expect, it } from 'vitest';
import type { Resource } from './resource.js';
import type { SgRule } from './models/security-group.js';
import { ALL_USERS_URI } from './models/bucket.js';
import { unknownValue } from './unknown.js';
import { canonicalJson, diffResources, diffValues, formatDiff, formatPath } from './diff.js';

type Sg = Resource<'aws.ec2.security-group'>;

const https: SgRule = {
  ruleId: 'sgr-https',
  direction: 'ingress',
  protocol: 'tcp',
  fromPort: 443,
  toPort: 443,
  peer: { kind: 'ipv4', cidr: '0.0.0.0/0' },
};
const egress: SgRule = {
  ruleId: 'sgr-egress',
  direction: 'egress',
  protocol: 'all',
  fromPort: 0,
  toPort: 65535,
  peer: { kind: 'ipv4', cidr: '0.0.0.0/0' },
};
const ssh: SgRule = {
  ruleId: 'sgr-123',
  direction: 'ingress',
  protocol: 'tcp',
  fromPort: 22,
  toPort: 22,
  peer: { kind: 'ipv4', cidr: '0.0.0.0/0' },
};

function group(rules: SgRule[], tags: Record<string, string> = { team: 'core' }): Sg {
  return {
    type: 'aws.ec2.security-group',
    account: '111111111111',
    region: 'us-east-1',
    id: 'sg-1',
    arn: 'arn:aws:ec2:us-east-1:111111111111:security-group/sg-1',
    name: 'web',
    tags,
    config: { groupId: 'sg-1', groupName: 'web', isDefault: false, rules },
  };
}

describe('canonicalJson', () => {
  it('sorts object keys at every depth and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, 1], c: 'x' } })).toBe('{"a":{"c":"x","d":[3,1]},"b":1}');
  });

  it('drops undefined properties and writes null for undefined array items, like JSON.stringify', () => {
    expect(canonicalJson({ a: undefined, b: [undefined, 1] })).toBe('{"b":[null,1]}');
    expect(canonicalJson({ n: Number.NaN, s: 'q"uote' })).toBe('{"n":null,"s":"q\\"uote"}');
  });

  it('refuses what JSON cannot hold at the top level', () => {
    expect(() => canonicalJson(undefined)).toThrow(TypeError);
    expect(() => canonicalJson({ big: 1n })).toThrow(TypeError);
  });

  it('agrees with JSON.parse of its output', () => {
    const value = { z: [{ y: true, x: null }], 'key with space': '\u2603' };
    expect(JSON.parse(canonicalJson(value))).toEqual(value);
  });
});

describe('diffResources', () => {
  it('shows one added rule, not a shifted list, when a rule is inserted first', () => {
    const changes = diffResources(group([https, egress]), group([ssh, https, egress]));
    expect(changes).toEqual([{ path: ['config', 'rules', { id: 'sgr-123' }], kind: 'added', after: ssh }]);
    expect(formatDiff(changes)).toEqual(['+ rules[sgr-123]: ingress tcp 22 from 0.0.0.0/0']);
  });

  it('shows a removed rule and a changed field of a kept rule', () => {
    const widened = { ...https, peer: { kind: 'ipv4' as const, cidr: '10.0.0.0/8' }, description: 'vpn' };
    const changes = diffResources(group([ssh, https, egress]), group([widened, egress]));
    expect(changes).toEqual([
      { path: ['config', 'rules', { id: 'sgr-123' }], kind: 'removed', before: ssh },
      { path: ['config', 'rules', { id: 'sgr-https' }, 'description'], kind: 'added', after: 'vpn' },
      {
        path: ['config', 'rules', { id: 'sgr-https' }, 'peer', 'cidr'],
        kind: 'changed',
        before: '0.0.0.0/0',
        after: '10.0.0.0/8',
      },
    ]);
    expect(formatDiff(changes)).toEqual([
      '- rules[sgr-123]: ingress tcp 22 from 0.0.0.0/0',
      '+ rules[sgr-https].description: "vpn"',
      '~ rules[sgr-https].peer.cidr: "0.0.0.0/0" -> "10.0.0.0/8"',
    ]);
  });

  it('matches rules without ruleId (templates) by direction, protocol, ports and peer', () => {
    const strip = ({ ruleId: _ruleId, ...rule }: SgRule): SgRule => rule;
    const changes = diffResources(
      group([strip(https), strip(egress)]),
      group([strip(egress), strip(ssh), strip(https)]),
    );
    expect(changes).toEqual([
      { path: ['config', 'rules', { id: 'ingress tcp 22 0.0.0.0/0' }], kind: 'added', after: strip(ssh) },
    ]);
    expect(formatDiff(changes)).toEqual(['+ rules[ingress tcp 22 0.0.0.0/0]: ingress tcp 22 from 0.0.0.0/0']);
  });

  it('diffs tags as an object', () => {
    const changes = diffResources(
      group([], { team: 'core', env: 'prod', 'aws:cloudformation:stack-name': 'a' }),
      group([], { team: 'edge', owner: 'ops', 'aws:cloudformation:stack-name': 'b' }),
    );
    expect(formatDiff(changes)).toEqual([
      '~ tags["aws:cloudformation:stack-name"]: "a" -> "b"',
      '- tags.env: "prod"',
      '+ tags.owner: "ops"',
      '~ tags.team: "core" -> "edge"',
    ]);
  });

  it('reports creation and deletion as one change at the root', () => {
    expect(formatDiff(diffResources(null, group([])))).toEqual([
      '+ created arn:aws:ec2:us-east-1:111111111111:security-group/sg-1',
    ]);
    expect(formatDiff(diffResources(group([]), null))).toEqual([
      '- deleted arn:aws:ec2:us-east-1:111111111111:security-group/sg-1',
    ]);
    expect(diffResources(null, null)).toEqual([]);
    expect(diffResources(group([ssh]), group([ssh]))).toEqual([]);
  });

  it('ignores key order', () => {
    const a = group([ssh]);
    const b = { ...a, config: { rules: [ssh], isDefault: false, groupName: 'web', groupId: 'sg-1' } };
    expect(diffResources(a, b)).toEqual([]);
  });
});

describe('diffValues', () => {
  it('matches ACL grants by grantee and permission', () => {
    const owner = {
      grantee: { kind: 'canonical-user', id: 'abc', displayName: 'me' },
      permission: 'FULL_CONTROL',
    };
    const publicRead = { grantee: { kind: 'group', uri: ALL_USERS_URI }, permission: 'READ' };
    const changes = diffValues({ acl: { grants: [owner] } }, { acl: { grants: [publicRead, owner] } });
    expect(formatDiff(changes)).toEqual(['+ acl.grants[group AllUsers READ]: READ to group AllUsers']);
  });

  it('treats lists of plain values as sets and reports positions in their own version', () => {
    const changes = diffValues({ ids: ['sg-a', 'sg-b'] }, { ids: ['sg-c', 'sg-a'] });
    expect(changes).toEqual([
      { path: ['ids', 1], kind: 'removed', before: 'sg-b' },
      { path: ['ids', 0], kind: 'added', after: 'sg-c' },
    ]);
    expect(formatDiff(changes)).toEqual(['- ids[1]: "sg-b"', '+ ids[0]: "sg-c"']);
  });

  it('matches list items by a known id field (volumes, interfaces, statement Sid)', () => {
    const before = { volumes: [{ volumeId: 'vol-1', deviceName: '/dev/xvda' }] };
    const after = {
      volumes: [
        { volumeId: 'vol-2', deviceName: '/dev/xvdb' },
        { volumeId: 'vol-1', deviceName: '/dev/sda1' },
      ],
    };
    expect(formatDiff(diffValues(before, after))).toEqual([
      '~ volumes[vol-1].deviceName: "/dev/xvda" -> "/dev/sda1"',
      '+ volumes[vol-2]: {"deviceName":"/dev/xvdb","volumeId":"vol-2"}',
    ]);
  });

  it('diffs an object replaced in place field by field when it has no identity', () => {
    const changes = diffValues(
      { encryption: { rules: [{ algorithm: 'aws:kms', kmsKeyId: 'k1' }] } },
      { encryption: { rules: [{ algorithm: 'aws:kms', kmsKeyId: 'k2' }] } },
    );
    expect(formatDiff(changes)).toEqual(['~ encryption.rules[0].kmsKeyId: "k1" -> "k2"']);
  });

  it('keeps unknown values whole and names them', () => {
    const changes = diffValues(
      { encrypted: unknownValue('parameter Enc has no default') },
      { encrypted: true },
    );
    expect(formatDiff(changes)).toEqual(['~ encrypted: <unknown: parameter Enc has no default> -> true']);
  });

  it('cuts long values short', () => {
    const [line] = formatDiff(diffValues({}, { policy: { text: 'x'.repeat(500) } }));
    expect(line?.length).toBeLessThan(220);
    expect(line?.endsWith('…')).toBe(true);
  });

  it('formats paths', () => {
    expect(formatPath(['config', 'rules', { id: 'sgr-1' }, 'peer'])).toBe('rules[sgr-1].peer');
    expect(formatPath(['tags', 'a b'])).toBe('tags["a b"]');
    expect(formatPath(['config'])).toBe('config');
  });
});
