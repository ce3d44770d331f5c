// Tests of security group mapping: inline rules, standalone rule resources, default egress, variants, paths.
import { describe, expect, it } from 'vitest';
import type { SgRule } from '../../../core/models/index.js';
import { isUnknown } from '../../../core/unknown.js';
import { mapYaml } from '../../../../test/templates/support/map-yaml.js';
import { locateInSource } from '../locate-violation.js';
import { combineVariantViolations } from '../mapped-resource.js';

const DEFAULT_EGRESS = { direction: 'egress', protocol: 'all', fromPort: 0, toPort: 65535, peer: { kind: 'ipv4', cidr: '0.0.0.0/0' } };

function group(properties: string, extra = ''): string {
  return `Resources:\n  WebSG:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: web\n${properties}${extra}`;
}

const rule = (partial: Partial<SgRule>) => expect.objectContaining(partial);

describe('AWS::EC2::SecurityGroup inline rules', () => {
  it('maps CidrIp, CidrIpv6, groups and prefix lists, normalising protocols and ports', () => {
    const { only } = mapYaml(
      group(`      VpcId: vpc-1
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0, Description: ssh}
        - {IpProtocol: "6", FromPort: "80", ToPort: "81", CidrIpv6: "::/0"}
        - {IpProtocol: -1, SourceSecurityGroupId: sg-0abc, SourceSecurityGroupOwnerId: "111122223333"}
        - {IpProtocol: udp, FromPort: -1, ToPort: -1, SourcePrefixListId: pl-123}
        - {IpProtocol: icmp, FromPort: 8, ToPort: -1, CidrIp: 10.0.0.0/8}
        - {IpProtocol: "50", CidrIp: 10.0.0.0/8}
`),
    );
    const sg = only('WebSG', 'aws.ec2.security-group');
    expect(sg.config).toMatchObject({ groupId: 'WebSG', groupName: 'WebSG', description: 'web', vpcId: 'vpc-1', isDefault: false });
    expect(sg.config.rules).toEqual([
      { direction: 'ingress', protocol: 'tcp', fromPort: 22, toPort: 22, peer: { kind: 'ipv4', cidr: '0.0.0.0/0' }, description: 'ssh' },
      { direction: 'ingress', protocol: 'tcp', fromPort: 80, toPort: 81, peer: { kind: 'ipv6', cidr: '::/0' } },
      { direction: 'ingress', protocol: 'all', fromPort: 0, toPort: 65535, peer: { kind: 'security-group', groupId: 'sg-0abc', userId: '111122223333' } },
      { direction: 'ingress', protocol: 'udp', fromPort: 0, toPort: 65535, peer: { kind: 'prefix-list', prefixListId: 'pl-123' } },
      { direction: 'ingress', protocol: 'icmp', fromPort: 8, toPort: -1, peer: { kind: 'ipv4', cidr: '10.0.0.0/8' } },
      { direction: 'ingress', protocol: '50', fromPort: 0, toPort: 65535, peer: { kind: 'ipv4', cidr: '10.0.0.0/8' } },
      DEFAULT_EGRESS,
    ].map((r) => expect.objectContaining(r)));
  });

  it('reads a single rule mapping (not a list) as a list of one, with a warning', () => {
    const { only, mapping } = mapYaml(group('      SecurityGroupIngress: {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}\n'));
    expect(only('WebSG', 'aws.ec2.security-group').config.rules[0]).toMatchObject({ fromPort: 22, peer: { kind: 'ipv4', cidr: '0.0.0.0/0' } });
    expect(mapping.warnings.some((w) => /single mapping/.test(w.message))).toBe(true);
  });

  it('adds the default allow-all egress rule only when SecurityGroupEgress lists none', () => {
    expect(mapYaml(group('')).only('WebSG', 'aws.ec2.security-group').config.rules).toEqual([rule(DEFAULT_EGRESS as Partial<SgRule>)]);
    expect(mapYaml(group('      SecurityGroupEgress: []\n')).only('WebSG', 'aws.ec2.security-group').config.rules).toEqual([rule(DEFAULT_EGRESS as Partial<SgRule>)]);
    const restricted = mapYaml(group('      SecurityGroupEgress:\n        - {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/8}\n'));
    expect(restricted.only('WebSG', 'aws.ec2.security-group').config.rules).toEqual([
      rule({ direction: 'egress', protocol: 'tcp', fromPort: 443, toPort: 443, peer: { kind: 'ipv4', cidr: '10.0.0.0/8' } }),
    ]);
  });

  it('a reference to another group of the template becomes its logical id (its id in a template)', () => {
    const { only } = mapYaml(
      group('      SecurityGroupIngress:\n        - {IpProtocol: tcp, FromPort: 5432, ToPort: 5432, SourceSecurityGroupId: !GetAtt AppSG.GroupId}\n        - {IpProtocol: tcp, FromPort: 1, ToPort: 2, SourceSecurityGroupName: !Ref AppSG}\n', '  AppSG:\n    Type: AWS::EC2::SecurityGroup\n    Properties: {GroupDescription: app}\n'),
    );
    const rules = only('WebSG', 'aws.ec2.security-group').config.rules;
    expect(rules[0]?.peer).toEqual({ kind: 'security-group', groupId: 'AppSG' });
    expect(rules[1]?.peer).toEqual({ kind: 'security-group', groupId: 'AppSG' });
  });

  it('keeps unknown values unknown: a parameter without default, an imported value, a wholly unknown list', () => {
    const { only } = mapYaml(`Parameters:
  Cidr: {Type: String}
  Port: {Type: Number}
Resources:
  WebSG:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: !Ref Port, ToPort: !Ref Port, CidrIp: !Ref Cidr}
        - {IpProtocol: !ImportValue proto, FromPort: 1, ToPort: 1, CidrIp: 1.2.3.4/32}
      SecurityGroupEgress: !ImportValue egress-rules
`);
    const [first, second, third] = only('WebSG', 'aws.ec2.security-group').config.rules;
    expect(first?.protocol).toBe('tcp');
    expect(isUnknown(first?.fromPort) && isUnknown(first?.toPort)).toBe(true);
    expect(first?.peer.kind === 'ipv4' && isUnknown(first.peer.cidr)).toBe(true);
    expect(isUnknown(second?.protocol)).toBe(true);
    expect(third?.direction).toBe('egress');
    expect(isUnknown(third?.protocol) && third?.peer.kind === 'ipv4' && isUnknown(third.peer.cidr)).toBe(true);
  });
});

describe('AWS::EC2::SecurityGroupIngress / Egress resources', () => {
  const standalone = `  SshIn:
    Type: AWS::EC2::SecurityGroupIngress
    Properties: {GroupId: !Ref WebSG, IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}
  AppIn:
    Type: AWS::EC2::SecurityGroupIngress
    Properties: {GroupId: !GetAtt WebSG.GroupId, IpProtocol: tcp, FromPort: 8080, ToPort: 8080, SourceSecurityGroupId: !Ref WebSG}
  DbOut:
    Type: AWS::EC2::SecurityGroupEgress
    Properties: {GroupId: !Ref WebSG, IpProtocol: tcp, FromPort: 5432, ToPort: 5432, DestinationSecurityGroupId: sg-db}
`;

  it('attach to their group (Ref or GetAtt GroupId); the default egress rule stays', () => {
    const { only, mapping } = mapYaml(group('', standalone));
    const rules = only('WebSG', 'aws.ec2.security-group').config.rules;
    expect(rules).toEqual([
      rule(DEFAULT_EGRESS as Partial<SgRule>),
      rule({ direction: 'ingress', fromPort: 22, peer: { kind: 'ipv4', cidr: '0.0.0.0/0' } }),
      rule({ direction: 'ingress', fromPort: 8080, peer: { kind: 'security-group', groupId: 'WebSG' } }),
      rule({ direction: 'egress', fromPort: 5432, peer: { kind: 'security-group', groupId: 'sg-db' } }),
    ]);
    expect(mapping.resources.filter((r) => r.type === 'aws.ec2.security-group')).toHaveLength(1);
  });

  it('attach by GroupName to the group with that name', () => {
    const { only } = mapYaml(group('      GroupName: web-sg\n', '  In:\n    Type: AWS::EC2::SecurityGroupIngress\n    Properties: {GroupName: web-sg, IpProtocol: tcp, FromPort: 3389, ToPort: 3389, CidrIp: 0.0.0.0/0}\n'));
    const sg = only('WebSG', 'aws.ec2.security-group');
    expect(sg.config.groupName).toBe('web-sg');
    expect(sg.config.rules.some((r) => r.fromPort === 3389)).toBe(true);
  });

  it('a rule for a group outside the template is evaluated on a synthetic group holding only it', () => {
    const { get, only } = mapYaml(`Parameters:
  Existing: {Type: "AWS::EC2::SecurityGroup::Id"}
Resources:
  Open:
    Type: AWS::EC2::SecurityGroupIngress
    Properties: {GroupId: sg-0123, IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}
  Open2:
    Type: AWS::EC2::SecurityGroupIngress
    Properties: {GroupId: sg-0123, IpProtocol: tcp, FromPort: 23, ToPort: 23, CidrIp: 0.0.0.0/0}
  Imported:
    Type: AWS::EC2::SecurityGroupIngress
    Properties: {GroupId: !ImportValue shared-sg, IpProtocol: -1, CidrIp: 0.0.0.0/0}
  ImportedToo:
    Type: AWS::EC2::SecurityGroupIngress
    Properties: {GroupId: !ImportValue shared-sg, IpProtocol: tcp, FromPort: 1, ToPort: 1, CidrIp: 10.0.0.0/8}
  DefaultGroup:
    Type: AWS::EC2::SecurityGroupIngress
    Properties: {GroupName: default, IpProtocol: -1, CidrIp: 0.0.0.0/0}
`);
    const external = only('sg-0123', 'aws.ec2.security-group');
    expect(get('sg-0123').synthetic).toBe(true);
    expect(external.config.rules.map((r) => r.fromPort)).toEqual([22, 23]);
    expect(only('Imported', 'aws.ec2.security-group').config.rules).toHaveLength(2);
    expect(only('default', 'aws.ec2.security-group').config.isDefault).toBe(true);
  });
});

describe('Fn::If variants', () => {
  const template = `Parameters:
  Env: {Type: String, AllowedValues: [prod, dev]}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  WebSG:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0}
        - !If
          - IsProd
          - !Ref AWS::NoValue
          - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}
  DebugIn:
    Type: AWS::EC2::SecurityGroupIngress
    Condition: IsProd
    Properties: {GroupId: !Ref WebSG, IpProtocol: tcp, FromPort: 9000, ToPort: 9000, CidrIp: 10.0.0.0/8}
`;

  it('builds one variant per outcome of an unknown condition, each saying when it applies', () => {
    const mapped = mapYaml(template).get('WebSG');
    expect(mapped.variants).toHaveLength(2);
    const byWhen = Object.fromEntries(mapped.variants.map((v) => [JSON.stringify(v.when), v.resource.config]));
    const prod = byWhen[JSON.stringify([{ IsProd: true }])] as { rules: SgRule[] };
    const dev = byWhen[JSON.stringify([{ IsProd: false }])] as { rules: SgRule[] };
    expect(prod.rules.map((r) => r.fromPort)).toEqual([443, 0, 9000]);
    expect(dev.rules.map((r) => r.fromPort)).toEqual([443, 22, 0]);
  });

  it('is unconditional when the condition is known', () => {
    const mapped = mapYaml(template, { parameters: { Env: 'dev' } }).get('WebSG');
    expect(mapped.variants).toHaveLength(1);
    expect(mapped.variants[0]?.when).toEqual([]);
  });

  it('variant-only violations become possible; violations in every variant stay definite', () => {
    const mapped = mapYaml(template).get('WebSG');
    const perVariant = mapped.variants.map((variant) => {
      const config = variant.resource.config as { rules: SgRule[] };
      return config.rules.flatMap((r, index) =>
        r.direction === 'ingress' && r.peer.kind === 'ipv4' && r.peer.cidr === '0.0.0.0/0'
          ? [{ part: `ingress:${String(r.fromPort)}`, message: 'open', certainty: 'definite' as const, path: ['rules', index] }]
          : [],
      );
    });
    const combined = combineVariantViolations(mapped, perVariant);
    expect(Object.fromEntries(combined.map((c) => [c.violation.part, c.violation.certainty]))).toEqual({ 'ingress:443': 'definite', 'ingress:22': 'possible' });
  });

  it('caps the number of scenarios and says so', () => {
    const conditions = Array.from({ length: 8 }, (_, i) => `  C${i}: !Equals [!Ref P${i}, x]`).join('\n');
    const parameters = Array.from({ length: 8 }, (_, i) => `  P${i}: {Type: String}`).join('\n');
    const rules = Array.from({ length: 8 }, (_, i) => `        - !If [C${i}, {IpProtocol: tcp, FromPort: ${i}, ToPort: ${i}, CidrIp: 0.0.0.0/0}, !Ref AWS::NoValue]`).join('\n');
    const mapped = mapYaml(`Parameters:\n${parameters}\nConditions:\n${conditions}\nResources:\n  WebSG:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: x\n      SecurityGroupIngress:\n${rules}\n`, { maxScenarios: 16 }).get('WebSG');
    expect(mapped.truncated).toBe(true);
    expect(mapped.variants.length).toBeLessThanOrEqual(16);
    const anyVariant = mapped.variants[0]?.resource.config as { rules: SgRule[] };
    expect(anyVariant.rules.some((r) => isUnknown(r.protocol))).toBe(true);
  });
});

describe('paths back to the template', () => {
  it('turns a violation path into file:line:column, for inline and standalone rules', () => {
    const yaml = [
      'Resources:', // 1
      '  WebSG:', // 2
      '    Type: AWS::EC2::SecurityGroup', // 3
      '    Properties:', // 4
      '      GroupDescription: web', // 5
      '      SecurityGroupIngress:', // 6
      '        - IpProtocol: tcp', // 7
      '          FromPort: 22', // 8
      '          ToPort: 22', // 9
      '          CidrIp: 0.0.0.0/0', // 10
      '  Rdp:', // 11
      '    Type: AWS::EC2::SecurityGroupIngress', // 12
      '    Properties:', // 13
      '      GroupId: !Ref WebSG', // 14
      '      IpProtocol: tcp', // 15
      '      FromPort: 3389', // 16
      '      ToPort: 3389', // 17
      '      CidrIp: 0.0.0.0/0', // 18
      '',
    ].join('\n');
    const { get, loaded } = mapYaml(yaml);
    const sg = get('WebSG');
    expect(locateInSource(sg, 0, ['rules', 0, 'peer', 'cidr'], loaded)).toMatchObject({ line: 10, column: 11 });
    expect(locateInSource(sg, 0, ['rules', 0], loaded)).toMatchObject({ line: 7, column: 11 });
    expect(locateInSource(sg, 0, ['rules', 1], loaded)).toMatchObject({ line: 2, column: 3 }); // default egress: the group
    expect(locateInSource(sg, 0, ['rules', 2, 'peer'], loaded)).toMatchObject({ line: 18, column: 7 });
    expect(locateInSource(sg, 0, ['rules', 2, 'fromPort'], loaded)).toMatchObject({ line: 16, column: 7 });
    expect(locateInSource(sg, 0, undefined, loaded)).toMatchObject({ line: 2, column: 3 });
  });

  it('works for JSON templates too', () => {
    const json = JSON.stringify(
      { Resources: { WebSG: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'x', SecurityGroupIngress: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '0.0.0.0/0' }] } } } },
      null,
      2,
    );
    const { get, loaded } = mapYaml(json, {}, 't.json');
    expect(loaded.format).toBe('json');
    const at = locateInSource(get('WebSG'), 0, ['rules', 0, 'peer'], loaded);
    expect(json.split('\n')[(at.line ?? 0) - 1]).toContain('"CidrIp"');
  });
});
