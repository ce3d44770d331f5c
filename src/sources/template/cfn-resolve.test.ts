// Tests of intrinsic resolution: each function, parameters, pseudo parameters, conditions and scenarios.
import { describe, expect, it } from 'vitest';
import { isUnknown } from '../../core/unknown.js';
import { loadTemplate } from './cfn-parse.js';
import { BASE_SCENARIO, OTHER, TemplateResolver, cidrSubnets, subParts, type ResolveOptions, type Scenario } from './cfn-resolve.js';
import { NO_VALUE, Unresolved, isCfnMap } from './cfn-values.js';

function resolver(yaml: string, options: ResolveOptions = {}): TemplateResolver {
  return new TemplateResolver(loadTemplate(yaml.includes('Resources') ? yaml : `${yaml}\nResources: {}\n`, 't.yaml').body, options);
}

/** Resolves `value` (YAML) in a template whose other sections are `sections`. */
function value(expression: string, sections = '', options: ResolveOptions = {}, scenario: Scenario = BASE_SCENARIO) {
  const r = resolver(`${sections}\nResources:\n  Web:\n    Type: AWS::EC2::SecurityGroup\n  Probe:\n    Type: Test::Probe\n    Properties:\n      Value: ${expression}\n`, options);
  return r.properties('Probe', scenario).Value;
}

const PARAMETERS = `Parameters:
  Env: {Type: String, Default: prod}
  NoDefault: {Type: String}
  Port: {Type: Number, Default: 22}
  Subnets: {Type: CommaDelimitedList, Default: "a, b ,c"}
  Ami: {Type: "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>", Default: /aws/ami}`;

describe('Ref', () => {
  it('gives parameter defaults, as strings, and lists for list types (members trimmed)', () => {
    expect(value('!Ref Env', PARAMETERS)).toBe('prod');
    expect(value('!Ref Port', PARAMETERS)).toBe('22');
    expect(value('!Ref Subnets', PARAMETERS)).toEqual(['a', 'b', 'c']);
  });

  it('is unknown for a parameter without a value, and for SSM parameter types even with a Default', () => {
    expect(value('!Ref NoDefault', PARAMETERS)).toMatchObject({ $unknown: true, reason: expect.stringMatching(/NoDefault has no value/) });
    expect(value('!Ref Ami', PARAMETERS)).toMatchObject({ reason: expect.stringMatching(/SSM/) });
  });

  it('takes given parameter values over defaults', () => {
    expect(value('!Ref Env', PARAMETERS, { parameters: { Env: 'dev', NoDefault: 'x' } })).toBe('dev');
    expect(value('!Ref NoDefault', PARAMETERS, { parameters: { NoDefault: 'x' } })).toBe('x');
  });

  it('resolves pseudo parameters from options, unknown when not given', () => {
    expect(value('!Ref AWS::Region', '', { region: 'eu-west-1' })).toBe('eu-west-1');
    expect(isUnknown(value('!Ref AWS::Region'))).toBe(true);
    expect(isUnknown(value('!Ref AWS::AccountId'))).toBe(true);
    expect(value('!Ref AWS::AccountId', '', { accountId: '123456789012' })).toBe('123456789012');
    expect(value('!Ref AWS::Partition', '', { region: 'cn-north-1' })).toBe('aws-cn');
    expect(value('!Ref AWS::Partition', '', { region: 'us-gov-west-1' })).toBe('aws-us-gov');
    expect(value('!Ref AWS::Partition')).toBe('aws');
    expect(value('!Ref AWS::URLSuffix', '', { region: 'cn-north-1' })).toBe('amazonaws.com.cn');
    expect(isUnknown(value('!Ref AWS::StackName'))).toBe(true);
    expect(value('!Ref AWS::StackName', '', { stackName: 'web' })).toBe('web');
  });

  it('is a symbolic reference to a resource of the template', () => {
    const ref = value('!Ref Web');
    expect(ref).toBeInstanceOf(Unresolved);
    expect((ref as Unresolved).target).toEqual({ logicalId: 'Web' });
  });

  it('AWS::NoValue removes the property and list elements', () => {
    const r = resolver('Resources:\n  P:\n    Type: X\n    Properties:\n      A: !Ref AWS::NoValue\n      L: [a, !Ref AWS::NoValue, b]\n');
    const props = r.properties('P', BASE_SCENARIO);
    expect('A' in props).toBe(false);
    expect(props.L).toEqual(['a', 'b']);
    expect(r.resolve({ Ref: 'AWS::NoValue' }, [], BASE_SCENARIO)).toBe(NO_VALUE);
  });
});

describe('Fn::GetAtt and Fn::ImportValue', () => {
  it('GetAtt is unknown, keeping the resource and attribute (both forms)', () => {
    for (const form of ['!GetAtt Web.GroupId', '!GetAtt [Web, GroupId]', '{"Fn::GetAtt": "Web.GroupId"}']) {
      const att = value(form) as Unresolved;
      expect(att.target).toEqual({ logicalId: 'Web', attribute: 'GroupId' });
      expect(att.reason).toMatch(/known only after deploy/);
    }
  });

  it('ImportValue is unknown with a reason naming the export', () => {
    expect(value('!ImportValue shared-vpc-id')).toMatchObject({ reason: expect.stringMatching(/ImportValue shared-vpc-id/) });
  });
});

describe('Fn::Sub', () => {
  it('substitutes parameters, pseudo parameters and variables; ${!x} stays literal', () => {
    expect(value('!Sub "${Env}-${AWS::Region}-${!Literal}"', PARAMETERS, { region: 'us-east-1' })).toBe('prod-us-east-1-${Literal}');
    expect(value('!Sub ["${A}/${Env}", {A: !Ref Port}]', PARAMETERS)).toBe('22/prod');
  });

  it('is unknown, with a reason, when one part is unknown', () => {
    const sub = value('!Sub "arn:aws:s3:::${Web}/*"') as Unresolved;
    expect(sub.reason).toMatch(/\$\{Web\} is unknown/);
    expect(value('!Sub "${Web.GroupId}"')).toMatchObject({ reason: expect.stringMatching(/GetAtt Web.GroupId/) });
  });

  it('splits strings into parts', () => {
    expect(subParts('a${B}c${!D}')).toEqual([{ literal: 'a' }, { name: 'B' }, { literal: 'c' }, { literal: '${D}' }]);
  });
});

describe('Fn::Join, Fn::Select, Fn::Split, Fn::Base64, Fn::Cidr, Fn::GetAZs, Fn::Length, Fn::ToJsonString', () => {
  it('compute on known values', () => {
    expect(value('!Join ["-", [a, !Ref Env, 3]]', PARAMETERS)).toBe('a-prod-3');
    expect(value('!Select [1, !Ref Subnets]', PARAMETERS)).toBe('b');
    expect(value('!Select ["0", [x, y]]')).toBe('x');
    expect(value('!Split [",", "a,b"]')).toEqual(['a', 'b']);
    expect(value('!Select [2, !Split [",", "a,b,c"]]')).toBe('c');
    expect(value('!Base64 hi')).toBe('aGk=');
    expect(value('!Cidr [10.0.0.0/16, 3, 8]')).toEqual(['10.0.0.0/24', '10.0.1.0/24', '10.0.2.0/24']);
    expect(value('!Length [a, b, c]')).toBe(3);
    expect(value('{"Fn::ToJsonString": {a: [1]}}')).toBe('{"a":[1]}');
  });

  it('are unknown when an input is', () => {
    expect(isUnknown(value('!Join ["", [a, !Ref NoDefault]]', PARAMETERS))).toBe(true);
    expect(isUnknown(value('!Select [0, !GetAZs ""]'))).toBe(true);
    expect(isUnknown(value('!Split [",", !ImportValue x]'))).toBe(true);
    expect(isUnknown(value('!Cidr [!GetAtt Web.CidrBlock, 2, 8]'))).toBe(true);
    expect(isUnknown(value('!GetAZs ""'))).toBe(true);
    expect(isUnknown(value('{"Fn::Transform": {Name: M}}'))).toBe(true);
  });

  it('an out-of-range Select is unknown with a warning', () => {
    const r = resolver('Resources:\n  P:\n    Type: X\n    Properties:\n      A: !Select [5, [a]]\n');
    expect(isUnknown(r.properties('P', BASE_SCENARIO).A)).toBe(true);
    expect(r.warnings[0]?.message).toMatch(/out of range/);
  });

  it('cidrSubnets follows Fn::Cidr semantics', () => {
    expect(cidrSubnets('192.168.0.0/24', 2, 6)).toEqual(['192.168.0.0/26', '192.168.0.64/26']);
    expect(cidrSubnets('10.0.0.0/24', 5, 8)).toBeUndefined();
    expect(cidrSubnets('300.0.0.0/8', 1, 8)).toBeUndefined();
  });
});

describe('Mappings and Fn::FindInMap', () => {
  const mappings = `Mappings:
  Region:
    us-east-1: {Cidr: 10.0.0.0/16}
    eu-west-1: {Cidr: 10.1.0.0/16}`;

  it('looks up known keys, with the mapping as provenance', () => {
    const r = resolver(`${mappings}\nResources:\n  P:\n    Type: X\n    Properties:\n      A: !FindInMap [Region, !Ref AWS::Region, Cidr]\n`, { region: 'eu-west-1' });
    expect(r.properties('P', BASE_SCENARIO).A).toBe('10.1.0.0/16');
  });

  it('is unknown when a key is unknown, and uses DefaultValue when a key is missing', () => {
    expect(isUnknown(value('!FindInMap [Region, !Ref AWS::Region, Cidr]', mappings))).toBe(true);
    expect(value('!FindInMap [Region, ap-south-1, Cidr, {DefaultValue: none}]', mappings, { region: 'x' })).toBe('none');
  });
});

describe('Conditions', () => {
  const sections = `${PARAMETERS}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsDev: !Not [!Condition IsProd]
  Both: !And [!Condition IsProd, !Equals [a, a]]
  Unknown: !Equals [!Ref NoDefault, yes]
  UnknownOr: !Or [!Condition Unknown, !Condition IsProd]
  Loop: !Condition Loop`;

  it('are evaluated when every input is known', () => {
    const r = resolver(sections);
    expect(r.condition('IsProd', BASE_SCENARIO)).toBe(true);
    expect(r.condition('IsDev', BASE_SCENARIO)).toBe(false);
    expect(r.condition('Both', BASE_SCENARIO)).toBe(true);
    expect(r.condition('UnknownOr', BASE_SCENARIO)).toBe(true);
  });

  it('are unknown otherwise, and a cycle does not hang', () => {
    const r = resolver(sections);
    expect(r.condition('Unknown', BASE_SCENARIO)).toBeInstanceOf(Unresolved);
    expect(r.condition('Loop', BASE_SCENARIO)).toBeInstanceOf(Unresolved);
    expect(r.condition('Missing', BASE_SCENARIO)).toBeInstanceOf(Unresolved);
  });

  it('compare as strings (22 equals "22")', () => {
    const r = resolver(`${PARAMETERS}\nConditions:\n  C: !Equals [!Ref Port, 22]\n`);
    expect(r.condition('C', BASE_SCENARIO)).toBe(true);
  });

  it('have unknown inputs a scenario can assign: a parameter over its literals plus "other"', () => {
    const r = resolver(`Parameters:\n  Env: {Type: String}\nConditions:\n  Prod: !Equals [!Ref Env, prod]\n  Dev: !Equals [dev, !Ref Env]\n  NotProd: !Not [!Condition Prod]\n`);
    expect([...r.conditionInputs('NotProd')]).toEqual(['param:Env']);
    expect(r.candidates('param:Env')).toEqual(['dev', 'prod', OTHER]);
    const prod: Scenario = { values: new Map([['param:Env', 'prod']]) };
    const other: Scenario = { values: new Map([['param:Env', OTHER]]) };
    expect([r.condition('Prod', prod), r.condition('Dev', prod), r.condition('NotProd', prod)]).toEqual([true, false, false]);
    expect([r.condition('Prod', other), r.condition('Dev', other), r.condition('NotProd', other)]).toEqual([false, false, true]);
  });

  it('restrict a parameter to its AllowedValues', () => {
    const r = resolver(`Parameters:\n  Env: {Type: String, AllowedValues: [prod, dev]}\nConditions:\n  Prod: !Equals [!Ref Env, prod]\n`);
    r.conditionInputs('Prod');
    expect(r.candidates('param:Env')).toEqual(['prod', OTHER]);
    const exact = resolver(`Parameters:\n  Env: {Type: String, AllowedValues: [prod, dev]}\nConditions:\n  Prod: !Equals [!Ref Env, prod]\n  Dev: !Equals [!Ref Env, dev]\n`);
    expect(exact.candidates('param:Env')).toEqual(['dev', 'prod']);
  });

  it('treat other undecidable comparisons as one boolean each', () => {
    const r = resolver(`Parameters:\n  A: {Type: String}\n  B: {Type: String}\nConditions:\n  Same: !Equals [!Ref A, !Ref B]\n`);
    const [atom] = [...r.conditionInputs('Same')];
    expect(atom).toMatch(/^atom:/);
    expect(r.candidates(atom as string)).toEqual([true, false]);
    expect(r.condition('Same', { values: new Map([[atom as string, true]]) })).toBe(true);
  });

  it('Fn::If picks a branch, or is unknown when its condition is', () => {
    expect(value('!If [IsProd, big, small]', sections)).toBe('big');
    expect(value('!If [IsDev, big, !Ref AWS::NoValue]', sections)).toBeUndefined();
    expect(value('!If [Unknown, big, small]', sections)).toMatchObject({ $unknown: true, reason: expect.stringMatching(/Fn::If/) });
  });

  it('a scenario substitutes the assigned value in properties too', () => {
    const sectionsWithEnv = `Parameters:\n  Env: {Type: String}\nConditions:\n  Prod: !Equals [!Ref Env, prod]\n`;
    expect(value('!Sub "${Env}-x"', sectionsWithEnv, {}, { values: new Map([['param:Env', 'prod']]) })).toBe('prod-x');
    expect(isUnknown(value('!Ref Env', sectionsWithEnv, {}, { values: new Map([['param:Env', OTHER]]) }))).toBe(true);
  });
});

describe('provenance', () => {
  it('records the template path of resolved maps and lists, through Fn::If branches', () => {
    const r = resolver(`Conditions:\n  C: !Equals [a, a]\nResources:\n  P:\n    Type: X\n    Properties:\n      L:\n        - !If [C, {K: v}, !Ref AWS::NoValue]\n        - {K: w}\n`);
    const list = r.properties('P', BASE_SCENARIO).L as readonly unknown[];
    const first = list[0];
    expect(isCfnMap(first) && r.pathOf(first)).toEqual(['Resources', 'P', 'Properties', 'L', 0, 'Fn::If', 1]);
    expect(r.elementPaths.get(list)).toEqual([
      ['Resources', 'P', 'Properties', 'L', 0],
      ['Resources', 'P', 'Properties', 'L', 1],
    ]);
  });

  it('never lets a __proto__ key change a prototype', () => {
    const r = new TemplateResolver(JSON.parse('{"Resources": {"P": {"Type": "X", "Properties": {"__proto__": {"polluted": true}}}}}'));
    const props = r.properties('P', BASE_SCENARIO);
    expect(Object.getPrototypeOf(props)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
