// Resolves CloudFormation intrinsics, parameters, pseudo parameters, conditions and mappings, per scenario.
import { isUnknown, type UnknownValue } from '../../core/unknown.js';
import type { TemplateBody, TemplateWarning } from './cfn-parse.js';
import {
  NO_VALUE,
  OtherValue,
  Unresolved,
  firstUnresolved,
  isCfnMap,
  own,
  setKey,
  type CfnMap,
  type CfnValue,
  type Resolved,
} from './cfn-values.js';
import type { SourcePath } from './source-path.js';

/** A parameter value given from outside: a string, a list, or explicitly unknown (UsePreviousValue). */
export type ParameterValue = string | readonly string[] | UnknownValue;

export interface ResolveOptions {
  /** The region the template is deployed to (AWS::Region); unknown when absent. */
  readonly region?: string;
  /** AWS::AccountId; unknown when absent. */
  readonly accountId?: string;
  /** AWS::Partition; derived from the region when absent (cn-* → aws-cn, us-gov-* → aws-us-gov, else aws). */
  readonly partition?: string;
  /** AWS::StackName; unknown when absent. */
  readonly stackName?: string;
  /** Parameter values (e.g. from a parameter file); they override Defaults. */
  readonly parameters?: Readonly<Record<string, ParameterValue>>;
}

/** Stands for "a value different from every literal the conditions compare this parameter with". */
export const OTHER: unique symbol = Symbol('other');
export type InputValue = string | boolean | typeof OTHER;

/**
 * One assignment of values to the unknown inputs of conditions: `param:<Name>` (a parameter or
 * pseudo parameter without a value) or `atom:<json>` (an Fn::Equals whose sides stay unknown).
 * Unassigned inputs stay unknown.
 */
export interface Scenario {
  readonly values: ReadonlyMap<string, InputValue>;
}

export const BASE_SCENARIO: Scenario = { values: new Map() };

export interface RawResource {
  readonly logicalId: string;
  readonly type: string;
  readonly properties: Readonly<Record<string, unknown>>;
  readonly condition: unknown;
  readonly raw: Readonly<Record<string, unknown>>;
}

interface ParameterInfo {
  readonly type: string;
  readonly value: string | readonly string[] | Unresolved;
  readonly allowedValues: readonly string[] | undefined;
}

const MAX_DEPTH = 200;
const MAX_CIDR_COUNT = 256;

function isIntrinsicKey(key: string): boolean {
  return key === 'Ref' || key.startsWith('Fn::');
}

/** The one key of an intrinsic-function object, if `node` is one ({ "Ref": … }, { "Fn::Sub": … }). */
export function intrinsicOf(node: unknown): { fn: string; arg: unknown } | undefined {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return undefined;
  const keys = Object.keys(node);
  if (keys.length !== 1) return undefined;
  const fn = keys[0] as string;
  return isIntrinsicKey(fn) ? { fn, arg: (node as Record<string, unknown>)[fn] } : undefined;
}

function partitionOf(region: string | undefined): string {
  if (region?.startsWith('cn-')) return 'aws-cn';
  if (region?.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** Splits an Fn::Sub string into literal text and ${Name} references (${!Literal} stays literal). */
export function subParts(template: string): Array<{ literal: string } | { name: string }> {
  const parts: Array<{ literal: string } | { name: string }> = [];
  let last = 0;
  for (const match of template.matchAll(/\$\{([^}]*)\}/g)) {
    const index = match.index ?? 0;
    if (index > last) parts.push({ literal: template.slice(last, index) });
    const name = match[1] ?? '';
    parts.push(name.startsWith('!') ? { literal: `\${${name.slice(1)}}` } : { name: name.trim() });
    last = index + match[0].length;
  }
  if (last < template.length) parts.push({ literal: template.slice(last) });
  return parts;
}

/** Fn::Cidr for IPv4: `count` subnets of `cidrBits` host bits from the start of `block`. */
export function cidrSubnets(block: string, count: number, cidrBits: number): string[] | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(block.trim());
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((octet) => octet > 255) || prefix > 32) return undefined;
  const subnetPrefix = 32 - cidrBits;
  if (cidrBits < 0 || subnetPrefix < prefix || count < 1 || count > MAX_CIDR_COUNT) return undefined;
  if (count > 2 ** (subnetPrefix - prefix)) return undefined;
  const address = octets.reduce((acc, octet) => acc * 256 + octet, 0);
  const base = address - (address % 2 ** (32 - prefix));
  const out: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const start = base + i * 2 ** cidrBits;
    const parts = [24, 16, 8, 0].map((shift) => Math.floor(start / 2 ** shift) % 256);
    out.push(`${parts.join('.')}/${subnetPrefix}`);
  }
  return out;
}

/**
 * Resolves values of one template. Everything it cannot know becomes an `Unresolved` with a reason;
 * nothing is guessed. Conditions that depend on unknown inputs are evaluated per `Scenario`.
 */
export class TemplateResolver {
  readonly resources: ReadonlyMap<string, RawResource>;
  /** Template path of each object and list the resolver built (for file:line of findings). */
  readonly provenance = new WeakMap<object, SourcePath>();
  /** Template path of each element of a resolved list (elements may be scalars). */
  readonly elementPaths = new WeakMap<object, readonly SourcePath[]>();
  readonly warnings: TemplateWarning[] = [];
  readonly transforms: readonly string[];
  private readonly warned = new Set<string>();
  private readonly parameters = new Map<string, ParameterInfo>();
  private readonly pseudo = new Map<string, string | Unresolved | readonly string[]>();
  private readonly conditions: Readonly<Record<string, unknown>>;
  private readonly mappings: Readonly<Record<string, unknown>>;
  private readonly conditionCache = new WeakMap<Scenario, Map<string, boolean | Unresolved>>();
  private readonly propertiesCache = new WeakMap<Scenario, Map<string, CfnMap>>();
  private readonly conditionInputCache = new Map<string, ReadonlySet<string>>();
  private readonly literals = new Map<string, Set<string>>();
  private readonly resourceConditionCache = new Map<string, ReadonlySet<string>>();

  constructor(
    readonly body: TemplateBody,
    readonly options: ResolveOptions = {},
  ) {
    const resources = new Map<string, RawResource>();
    const section = own(body, 'Resources');
    for (const [logicalId, raw] of Object.entries((section ?? {}) as Record<string, unknown>)) {
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) continue;
      const type = own(raw, 'Type');
      if (typeof type !== 'string') continue;
      const properties = own(raw, 'Properties');
      resources.set(logicalId, {
        logicalId,
        type,
        properties: (isCfnMap(properties) ? properties : {}) as Record<string, unknown>,
        condition: own(raw, 'Condition'),
        raw: raw as Record<string, unknown>,
      });
    }
    this.resources = resources;
    this.conditions = (own(body, 'Conditions') ?? {}) as Record<string, unknown>;
    this.mappings = (own(body, 'Mappings') ?? {}) as Record<string, unknown>;
    const transform = own(body, 'Transform');
    this.transforms = (Array.isArray(transform) ? transform : [transform]).filter((t): t is string => typeof t === 'string');
    this.readParameters();
    this.readPseudoParameters();
    // All conditions up front, so the literals each unknown parameter is compared with are complete
    // whichever resource asks first (scenarios must not depend on mapping order).
    for (const name of Object.keys(this.conditions)) this.conditionInputs(name);
  }

  warn(message: string, path?: SourcePath): void {
    const key = `${message}\u0000${path?.join('\u0001') ?? ''}`;
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.warnings.push(path ? { message, path } : { message });
  }

  private readParameters(): void {
    const section = own(this.body, 'Parameters');
    const given = this.options.parameters ?? {};
    for (const [name, declaration] of Object.entries((section ?? {}) as Record<string, unknown>)) {
      const type = scalarText(own(declaration, 'Type')) ?? 'String';
      const isList = type.startsWith('List<') || type === 'CommaDelimitedList' || /^AWS::SSM::Parameter::Value<List</.test(type);
      const allowed = own(declaration, 'AllowedValues');
      const allowedValues = Array.isArray(allowed) ? allowed.map(scalarText).filter((v): v is string => v !== undefined) : undefined;
      let value: ParameterInfo['value'];
      const override = Object.hasOwn(given, name) ? given[name] : undefined;
      const fallback = own(declaration, 'Default');
      if (type.startsWith('AWS::SSM::Parameter::Value<')) {
        const source = scalarText(override) ?? scalarText(fallback);
        value = new Unresolved(`parameter ${name} is read from SSM${source ? ` (${source})` : ''} at deploy time`);
      } else if (override !== undefined) {
        if (isUnknown(override)) value = new Unresolved(override.reason);
        else value = typeof override === 'string' ? this.parameterValue(override, isList) : [...(override as readonly string[])];
      } else if (fallback !== undefined && fallback !== null) {
        const text = scalarText(fallback);
        if (text !== undefined) value = this.parameterValue(text, isList);
        else if (Array.isArray(fallback) && isList) value = fallback.map((item) => scalarText(item) ?? '');
        else {
          this.warn(`parameter ${name} has a Default that is not a string`, ['Parameters', name, 'Default']);
          value = new Unresolved(`parameter ${name} has an invalid Default`);
        }
      } else {
        value = new Unresolved(`parameter ${name} has no value (no Default and none given)`);
      }
      this.parameters.set(name, { type, value, allowedValues });
    }
  }

  private parameterValue(text: string, isList: boolean): string | string[] {
    // CloudFormation trims each member of a comma-delimited list.
    return isList ? text.split(',').map((item) => item.trim()) : text;
  }

  private readPseudoParameters(): void {
    const { region, accountId, stackName } = this.options;
    const partition = this.options.partition ?? partitionOf(region);
    this.pseudo.set('AWS::Region', region ?? new Unresolved('AWS::Region: no target region was given'));
    this.pseudo.set('AWS::AccountId', accountId ?? new Unresolved('AWS::AccountId: no account was given'));
    this.pseudo.set('AWS::Partition', partition);
    this.pseudo.set('AWS::URLSuffix', partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com');
    this.pseudo.set('AWS::StackName', stackName ?? new Unresolved('AWS::StackName: no stack name was given'));
    this.pseudo.set('AWS::StackId', new Unresolved('AWS::StackId is known only after deploy'));
    this.pseudo.set('AWS::NotificationARNs', new Unresolved('AWS::NotificationARNs is known only at deploy'));
  }

  /** Whether `name` is a parameter or pseudo parameter whose value is unknown (and a scalar). */
  private unknownScalarInput(name: string): boolean {
    const value = this.parameters.get(name)?.value ?? this.pseudo.get(name);
    return value instanceof Unresolved && !(this.parameters.get(name)?.type ?? '').includes('List');
  }

  // ---- conditions ----------------------------------------------------------------------------

  /** Condition value in a scenario: a boolean, or Unresolved when it depends on unassigned inputs. */
  condition(name: string, scenario: Scenario): boolean | Unresolved {
    let cache = this.conditionCache.get(scenario);
    if (cache === undefined) {
      cache = new Map();
      this.conditionCache.set(scenario, cache);
    }
    const cached = cache.get(name);
    if (cached !== undefined) return cached;
    if (!Object.hasOwn(this.conditions, name)) {
      this.warn(`condition ${name} is not defined`, ['Conditions']);
      return new Unresolved(`condition ${name} is not defined`);
    }
    // Placeholder while evaluating: a cycle reads it and stays unknown instead of looping.
    cache.set(name, new Unresolved(`condition ${name} refers to itself`));
    const value = this.evaluateCondition(this.conditions[name], ['Conditions', name], scenario, 0);
    const result = value instanceof Unresolved ? new Unresolved(`condition ${name} is unknown: ${value.reason}`) : value;
    cache.set(name, result);
    return result;
  }

  private evaluateCondition(node: unknown, path: SourcePath, scenario: Scenario, depth: number): boolean | Unresolved {
    if (depth > MAX_DEPTH) return new Unresolved('condition nested too deeply');
    if (typeof node === 'boolean') return node;
    if (node === 'true' || node === 'false') return node === 'true';
    const conditionRef = own(node, 'Condition');
    if (typeof conditionRef === 'string' && Object.keys(node as object).length === 1) return this.condition(conditionRef, scenario);
    const intrinsic = intrinsicOf(node);
    const args = Array.isArray(intrinsic?.arg) ? (intrinsic.arg as unknown[]) : undefined;
    if (intrinsic === undefined || args === undefined) {
      this.warn('a condition must be Fn::Equals, Fn::And, Fn::Or, Fn::Not or Condition', path);
      return new Unresolved('invalid condition expression');
    }
    const at = (index: number): SourcePath => [...path, intrinsic.fn, index];
    switch (intrinsic.fn) {
      case 'Fn::Equals':
        return this.evaluateEquals(args, at, scenario, depth);
      case 'Fn::Not': {
        const value = this.evaluateCondition(args[0], at(0), scenario, depth + 1);
        return value instanceof Unresolved ? value : !value;
      }
      case 'Fn::And':
      case 'Fn::Or': {
        const decisive = intrinsic.fn === 'Fn::Or';
        let unknown: Unresolved | undefined;
        for (const [index, arg] of args.entries()) {
          const value = this.evaluateCondition(arg, at(index), scenario, depth + 1);
          if (value === decisive) return decisive;
          if (value instanceof Unresolved) unknown ??= value;
        }
        return unknown ?? !decisive;
      }
      default:
        this.warn(`${intrinsic.fn} is not a condition function`, path);
        return new Unresolved(`${intrinsic.fn} is not a condition function`);
    }
  }

  private evaluateEquals(args: unknown[], at: (index: number) => SourcePath, scenario: Scenario, depth: number): boolean | Unresolved {
    const left = this.resolveInner(args[0], at(0), scenario, depth + 1);
    const right = this.resolveInner(args[1], at(1), scenario, depth + 1);
    const a = left === NO_VALUE ? new Unresolved('AWS::NoValue in Fn::Equals') : left;
    const b = right === NO_VALUE ? new Unresolved('AWS::NoValue in Fn::Equals') : right;
    const unknownA = firstUnresolved(a);
    const unknownB = firstUnresolved(b);
    if (!unknownA && !unknownB) return equalValues(a, b);
    if (a instanceof OtherValue && b instanceof OtherValue && a.input === b.input) return true;
    if (a instanceof OtherValue && !unknownB && scalarText(b) !== undefined) return false;
    if (b instanceof OtherValue && !unknownA && scalarText(a) !== undefined) return false;
    const atom = scenario.values.get(atomKey(args));
    if (typeof atom === 'boolean') return atom;
    return new Unresolved(`Fn::Equals depends on an unknown value: ${(unknownA ?? unknownB)?.reason ?? 'unknown'}`);
  }

  /** The unknown inputs a condition depends on (parameters without a value, undecidable comparisons). */
  conditionInputs(name: string, visiting: Set<string> = new Set()): ReadonlySet<string> {
    const cached = this.conditionInputCache.get(name);
    if (cached) return cached;
    if (visiting.has(name) || !Object.hasOwn(this.conditions, name)) return new Set();
    visiting.add(name);
    const inputs = new Set<string>();
    this.collectInputs(this.conditions[name], inputs, visiting, 0);
    visiting.delete(name);
    this.conditionInputCache.set(name, inputs);
    return inputs;
  }

  private collectInputs(node: unknown, inputs: Set<string>, visiting: Set<string>, depth: number): void {
    if (depth > MAX_DEPTH) return;
    const conditionRef = own(node, 'Condition');
    if (typeof conditionRef === 'string') {
      for (const input of this.conditionInputs(conditionRef, visiting)) inputs.add(input);
      return;
    }
    const intrinsic = intrinsicOf(node);
    if (!intrinsic || !Array.isArray(intrinsic.arg)) return;
    const args = intrinsic.arg as unknown[];
    if (intrinsic.fn !== 'Fn::Equals') {
      for (const arg of args) this.collectInputs(arg, inputs, visiting, depth + 1);
      return;
    }
    const left = this.resolveInner(args[0], [], BASE_SCENARIO, depth + 1);
    const right = this.resolveInner(args[1], [], BASE_SCENARIO, depth + 1);
    const leftKnown = left !== NO_VALUE && !firstUnresolved(left);
    const rightKnown = right !== NO_VALUE && !firstUnresolved(right);
    if (leftKnown && rightKnown) return;
    // `Equals [!Ref P, literal]`: enumerate P over its literals (exact); anything else is one boolean.
    const refName = (side: unknown) => (typeof own(side, 'Ref') === 'string' && intrinsicOf(side) ? (own(side, 'Ref') as string) : undefined);
    for (const [ref, other, otherKnown] of [
      [refName(args[0]), right, rightKnown],
      [refName(args[1]), left, leftKnown],
    ] as const) {
      const literal = otherKnown && other !== NO_VALUE ? scalarText(other) : undefined;
      if (ref !== undefined && literal !== undefined && this.unknownScalarInput(ref)) {
        const key = `param:${ref}`;
        inputs.add(key);
        const set = this.literals.get(key) ?? new Set<string>();
        set.add(literal);
        this.literals.set(key, set);
        return;
      }
    }
    inputs.add(atomKey(args));
  }

  /** The values a scenario may give an input: a parameter's literals (+ "other"), or true/false. */
  candidates(input: string): InputValue[] {
    if (input.startsWith('atom:')) return [true, false];
    const name = input.slice('param:'.length);
    const literals = [...(this.literals.get(input) ?? [])].sort();
    const allowed = this.parameters.get(name)?.allowedValues;
    if (allowed === undefined || allowed.length === 0) return [...literals, OTHER];
    const reachable = literals.filter((literal) => allowed.includes(literal));
    return allowed.some((value) => !literals.includes(value)) ? [...reachable, OTHER] : reachable;
  }

  /** Human-readable name of an input, for reports ("parameter Env", "Fn::Equals [...]"). */
  describeInput(input: string): string {
    return input.startsWith('param:') ? `parameter ${input.slice(6)}` : input.slice(5);
  }

  /** Conditions a resource depends on: its Condition attribute and every Fn::If in its properties. */
  resourceConditions(logicalId: string): ReadonlySet<string> {
    const cached = this.resourceConditionCache.get(logicalId);
    if (cached) return cached;
    const names = new Set<string>();
    const resource = this.resources.get(logicalId);
    if (resource) {
      if (typeof resource.condition === 'string') names.add(resource.condition);
      collectIfConditions(resource.properties, names, 0);
    }
    this.resourceConditionCache.set(logicalId, names);
    return names;
  }

  /** Union of the unknown inputs of the conditions the given resources depend on. */
  inputsOf(logicalIds: Iterable<string>): string[] {
    const inputs = new Set<string>();
    for (const id of logicalIds) {
      for (const name of this.resourceConditions(id)) for (const input of this.conditionInputs(name)) inputs.add(input);
    }
    return [...inputs].sort();
  }

  /** Whether the resource is created in the scenario (its Condition attribute). */
  exists(logicalId: string, scenario: Scenario): boolean | Unresolved {
    const resource = this.resources.get(logicalId);
    if (!resource) return false;
    if (resource.condition === undefined) return true;
    if (typeof resource.condition !== 'string') {
      this.warn(`Condition of ${logicalId} is not a condition name`, ['Resources', logicalId, 'Condition']);
      return new Unresolved(`Condition of ${logicalId} is not a condition name`);
    }
    return this.condition(resource.condition, scenario);
  }

  /**
   * The resource's Properties, resolved in the scenario. Cached: mappers ask for the same resource
   * many times (a group for each attached rule); resolved values are never mutated, so sharing is safe.
   */
  properties(logicalId: string, scenario: Scenario): CfnMap {
    let cache = this.propertiesCache.get(scenario);
    if (cache === undefined) {
      cache = new Map();
      this.propertiesCache.set(scenario, cache);
    }
    const cached = cache.get(logicalId);
    if (cached) return cached;
    const resource = this.resources.get(logicalId);
    const path = ['Resources', logicalId, 'Properties'];
    const value = resource ? this.resolve(resource.properties, path, scenario) : {};
    let result: CfnMap;
    if (isCfnMap(value)) result = value;
    else {
      result = {};
      this.provenance.set(result, path);
    }
    cache.set(logicalId, result);
    return result;
  }

  /** Template path of a value the resolver built, if it built it. */
  pathOf(value: unknown): SourcePath | undefined {
    return typeof value === 'object' && value !== null ? this.provenance.get(value) : undefined;
  }

  // ---- values ----------------------------------------------------------------------------------

  /** Resolves a template node found at `path`; NO_VALUE when it is (or reduces to) AWS::NoValue. */
  resolve(node: unknown, path: SourcePath, scenario: Scenario): Resolved {
    return this.resolveInner(node, path, scenario, 0);
  }

  private resolveInner(node: unknown, path: SourcePath, scenario: Scenario, depth: number): Resolved {
    if (depth > MAX_DEPTH) return new Unresolved('value nested too deeply');
    if (node === null || node === undefined) return null;
    if (typeof node === 'string' || typeof node === 'number' || typeof node === 'boolean') return node;
    if (node instanceof Date) return node.toISOString();
    if (Array.isArray(node)) {
      const out: CfnValue[] = [];
      const paths: SourcePath[] = [];
      for (const [index, item] of node.entries()) {
        const itemPath = [...path, index];
        const value = this.resolveInner(item, itemPath, scenario, depth + 1);
        if (value === NO_VALUE) continue;
        out.push(value);
        paths.push(itemPath);
      }
      this.provenance.set(out, path);
      this.elementPaths.set(out, paths);
      return out;
    }
    if (typeof node !== 'object') return new Unresolved(`unsupported value of type ${typeof node}`);
    const intrinsic = intrinsicOf(node);
    if (intrinsic) return this.resolveIntrinsic(intrinsic.fn, intrinsic.arg, path, scenario, depth);
    const out: Record<string, CfnValue> = {};
    for (const [key, item] of Object.entries(node)) {
      const value = this.resolveInner(item, [...path, key], scenario, depth + 1);
      if (value !== NO_VALUE) setKey(out, key, value);
    }
    this.provenance.set(out, path);
    return out;
  }

  private resolveIntrinsic(fn: string, arg: unknown, path: SourcePath, scenario: Scenario, depth: number): Resolved {
    const argPath = [...path, fn];
    const sub = (node: unknown, index?: number) =>
      this.resolveInner(node, index === undefined ? argPath : [...argPath, index], scenario, depth + 1);
    const args = Array.isArray(arg) ? (arg as unknown[]) : undefined;
    switch (fn) {
      case 'Ref':
        return typeof arg === 'string' ? this.ref(arg, path, scenario) : this.invalid('Ref needs a name', path);
      case 'Fn::GetAtt':
        return this.getAtt(arg, argPath, scenario, depth);
      case 'Fn::Sub':
        return this.sub(arg, argPath, scenario, depth);
      case 'Fn::If': {
        if (!args || args.length !== 3 || typeof args[0] !== 'string') return this.invalid('Fn::If needs [condition, then, else]', path);
        const decided = this.condition(args[0], scenario);
        if (decided instanceof Unresolved) return new Unresolved(`Fn::If: ${decided.reason}`);
        return sub(decided ? args[1] : args[2], decided ? 1 : 2);
      }
      case 'Fn::Join':
        return this.join(args, argPath, scenario, depth, path);
      case 'Fn::Select': {
        if (!args || args.length !== 2) return this.invalid('Fn::Select needs [index, list]', path);
        const index = sub(args[0], 0);
        const list = sub(args[1], 1);
        if (index instanceof Unresolved) return new Unresolved(`Fn::Select: ${index.reason}`);
        if (list instanceof Unresolved) return new Unresolved(`Fn::Select: ${list.reason}`);
        const position = typeof index === 'number' ? index : typeof index === 'string' ? Number(index) : Number.NaN;
        if (!Array.isArray(list) || !Number.isInteger(position)) return this.invalid('Fn::Select needs an integer index and a list', path);
        const items = list as readonly CfnValue[];
        const chosen = items[position];
        if (chosen === undefined) return this.invalid(`Fn::Select index ${position} is out of range`, path);
        return chosen;
      }
      case 'Fn::Split': {
        if (!args || args.length !== 2) return this.invalid('Fn::Split needs [delimiter, string]', path);
        const delimiter = sub(args[0], 0);
        const text = sub(args[1], 1);
        if (text instanceof Unresolved) return new Unresolved(`Fn::Split: ${text.reason}`);
        if (typeof delimiter !== 'string' || typeof text !== 'string') return this.invalid('Fn::Split needs strings', path);
        const out = delimiter === '' ? [text] : text.split(delimiter);
        this.provenance.set(out, path);
        return out;
      }
      case 'Fn::FindInMap':
        return this.findInMap(args, argPath, scenario, depth, path);
      case 'Fn::ImportValue': {
        const name = sub(arg);
        const label = typeof name === 'string' ? ` ${name}` : '';
        return new Unresolved(`Fn::ImportValue${label}: an export of another stack, known only at deploy`);
      }
      case 'Fn::Base64': {
        const value = sub(arg);
        if (value instanceof Unresolved) return new Unresolved(`Fn::Base64: ${value.reason}`);
        const text = value === NO_VALUE ? undefined : scalarText(value);
        return text === undefined ? this.invalid('Fn::Base64 needs a string', path) : Buffer.from(text, 'utf8').toString('base64');
      }
      case 'Fn::Cidr': {
        if (!args || args.length !== 3) return this.invalid('Fn::Cidr needs [ipBlock, count, cidrBits]', path);
        const [block, count, bits] = [sub(args[0], 0), sub(args[1], 1), sub(args[2], 2)];
        const unknown = [block, count, bits].find((v): v is Unresolved => v instanceof Unresolved);
        if (unknown) return new Unresolved(`Fn::Cidr: ${unknown.reason}`);
        const blockText = block === NO_VALUE ? undefined : scalarText(block);
        if (blockText?.includes(':')) return new Unresolved('Fn::Cidr on an IPv6 block is not computed by leuko');
        const subnets = blockText === undefined ? undefined : cidrSubnets(blockText, Number(count), Number(bits));
        if (!subnets) return this.invalid('Fn::Cidr arguments are invalid', path);
        this.provenance.set(subnets, path);
        return subnets;
      }
      case 'Fn::GetAZs':
        return new Unresolved('Fn::GetAZs: the availability zones are known only at deploy');
      case 'Fn::Transform':
        return new Unresolved('Fn::Transform: the output of a macro is known only at deploy');
      case 'Fn::Length': {
        const list = sub(arg);
        if (list instanceof Unresolved) return new Unresolved(`Fn::Length: ${list.reason}`);
        return Array.isArray(list) ? list.length : this.invalid('Fn::Length needs a list', path);
      }
      case 'Fn::ToJsonString': {
        const value = sub(arg);
        if (value === NO_VALUE) return this.invalid('Fn::ToJsonString needs a value', path);
        const unknown = firstUnresolved(value);
        return unknown ? new Unresolved(`Fn::ToJsonString: ${unknown.reason}`) : JSON.stringify(value);
      }
      case 'Fn::Equals':
      case 'Fn::And':
      case 'Fn::Or':
      case 'Fn::Not':
        // Only valid in Conditions, but its meaning is clear: evaluate it like one.
        return this.evaluateCondition({ [fn]: arg }, path, scenario, depth + 1);
      default:
        this.warn(`unsupported intrinsic function ${fn}`, path);
        return new Unresolved(`unsupported intrinsic function ${fn}`);
    }
  }

  private invalid(message: string, path: SourcePath): Unresolved {
    this.warn(message, path);
    return new Unresolved(message);
  }

  private ref(name: string, path: SourcePath, scenario: Scenario): Resolved {
    if (name === 'AWS::NoValue') return NO_VALUE;
    const parameter = this.parameters.get(name);
    const base = parameter ? parameter.value : this.pseudo.get(name);
    if (base !== undefined) {
      if (base instanceof Unresolved) {
        const chosen = scenario.values.get(`param:${name}`);
        if (typeof chosen === 'string') return chosen;
        if (chosen === OTHER) {
          const literals = [...(this.literals.get(`param:${name}`) ?? [])].sort();
          return new OtherValue(`param:${name}`, `${base.reason}; assumed other than ${literals.join(', ')}`);
        }
        return base;
      }
      if (typeof base === 'string') return base;
      const list = [...base];
      this.provenance.set(list, path);
      return list;
    }
    if (this.resources.has(name)) {
      return new Unresolved(`Ref ${name}: the physical id of ${name} is known only after deploy`, { logicalId: name });
    }
    this.warn(`Ref to ${name}, which is neither a parameter nor a resource`, path);
    return new Unresolved(`Ref to undefined name ${name}`);
  }

  private getAtt(arg: unknown, argPath: SourcePath, scenario: Scenario, depth: number): Resolved {
    let logicalId: unknown;
    let attribute: unknown;
    if (typeof arg === 'string') {
      const dot = arg.indexOf('.');
      [logicalId, attribute] = dot < 0 ? [arg, undefined] : [arg.slice(0, dot), arg.slice(dot + 1)];
    } else if (Array.isArray(arg)) {
      logicalId = arg[0];
      const resolvedAttribute = this.resolveInner(arg[1], [...argPath, 1], scenario, depth + 1);
      attribute = resolvedAttribute instanceof Unresolved ? undefined : scalarText(resolvedAttribute);
    }
    if (typeof logicalId !== 'string' || typeof attribute !== 'string') return this.invalid('Fn::GetAtt needs [resource, attribute]', argPath);
    if (!this.resources.has(logicalId)) {
      this.warn(`Fn::GetAtt on ${logicalId}, which is not a resource of this template`, argPath);
      return new Unresolved(`Fn::GetAtt on undefined resource ${logicalId}`);
    }
    return new Unresolved(`Fn::GetAtt ${logicalId}.${attribute} is known only after deploy`, { logicalId, attribute });
  }

  private sub(arg: unknown, argPath: SourcePath, scenario: Scenario, depth: number): Resolved {
    const [template, variables] = Array.isArray(arg) ? [arg[0], arg[1]] : [arg, undefined];
    if (typeof template !== 'string') return this.invalid('Fn::Sub needs a string', argPath);
    const vars = isCfnMap(variables) ? (variables as Record<string, unknown>) : {};
    let text = '';
    for (const part of subParts(template)) {
      if ('literal' in part) {
        text += part.literal;
        continue;
      }
      let value: Resolved;
      if (Object.hasOwn(vars, part.name)) value = this.resolveInner(vars[part.name], [...argPath, 1, part.name], scenario, depth + 1);
      else if (part.name.includes('.') && !this.parameters.has(part.name)) {
        const dot = part.name.indexOf('.');
        value = this.getAtt([part.name.slice(0, dot), part.name.slice(dot + 1)], argPath, scenario, depth);
      } else value = this.ref(part.name, argPath, scenario);
      if (value instanceof Unresolved) return new Unresolved(`Fn::Sub: \${${part.name}} is unknown (${value.reason})`);
      const piece = value === NO_VALUE ? undefined : scalarText(value);
      if (piece === undefined) return this.invalid(`Fn::Sub: \${${part.name}} is not a string`, argPath);
      text += piece;
    }
    return text;
  }

  private join(args: unknown[] | undefined, argPath: SourcePath, scenario: Scenario, depth: number, path: SourcePath): Resolved {
    if (!args || args.length !== 2) return this.invalid('Fn::Join needs [delimiter, list]', path);
    const delimiter = this.resolveInner(args[0], [...argPath, 0], scenario, depth + 1);
    const list = this.resolveInner(args[1], [...argPath, 1], scenario, depth + 1);
    if (list instanceof Unresolved) return new Unresolved(`Fn::Join: ${list.reason}`);
    if (typeof delimiter !== 'string' || !Array.isArray(list)) return this.invalid('Fn::Join needs a delimiter and a list', path);
    const pieces: string[] = [];
    for (const item of list as readonly CfnValue[]) {
      if (item instanceof Unresolved) return new Unresolved(`Fn::Join: ${item.reason}`);
      const piece = scalarText(item);
      if (piece === undefined) return this.invalid('Fn::Join: list items must be strings', path);
      pieces.push(piece);
    }
    return pieces.join(delimiter);
  }

  private findInMap(args: unknown[] | undefined, argPath: SourcePath, scenario: Scenario, depth: number, path: SourcePath): Resolved {
    if (!args || args.length < 3) return this.invalid('Fn::FindInMap needs [map, key, key]', path);
    const keys: string[] = [];
    for (const index of [0, 1, 2]) {
      const key = this.resolveInner(args[index], [...argPath, index], scenario, depth + 1);
      if (key instanceof Unresolved) return new Unresolved(`Fn::FindInMap: ${key.reason}`);
      const text = key === NO_VALUE ? undefined : scalarText(key);
      if (text === undefined) return this.invalid('Fn::FindInMap keys must be strings', path);
      keys.push(text);
    }
    const [mapName, topKey, secondKey] = keys as [string, string, string];
    const found = own(own(own(this.mappings, mapName), topKey), secondKey);
    if (found !== undefined) return this.resolveInner(found, ['Mappings', mapName, topKey, secondKey], scenario, depth + 1);
    // AWS::LanguageExtensions: [map, key, key, { DefaultValue: … }].
    const options = args[3];
    if (own(options, 'DefaultValue') !== undefined) {
      return this.resolveInner(own(options, 'DefaultValue'), [...argPath, 3, 'DefaultValue'], scenario, depth + 1);
    }
    return this.invalid(`Fn::FindInMap: ${mapName}.${topKey}.${secondKey} is not in Mappings`, path);
  }

  /** Logical ids of template resources a node names (Ref, Fn::GetAtt, ${X} in Fn::Sub), without resolving. */
  referencedResources(node: unknown, depth = 0, out: Set<string> = new Set()): Set<string> {
    if (depth > MAX_DEPTH || typeof node !== 'object' || node === null) return out;
    if (Array.isArray(node)) {
      for (const item of node) this.referencedResources(item, depth + 1, out);
      return out;
    }
    const intrinsic = intrinsicOf(node);
    if (intrinsic?.fn === 'Ref' && typeof intrinsic.arg === 'string' && this.resources.has(intrinsic.arg)) out.add(intrinsic.arg);
    if (intrinsic?.fn === 'Fn::GetAtt') {
      const target = typeof intrinsic.arg === 'string' ? intrinsic.arg.split('.')[0] : Array.isArray(intrinsic.arg) ? intrinsic.arg[0] : undefined;
      if (typeof target === 'string' && this.resources.has(target)) out.add(target);
    }
    if (intrinsic?.fn === 'Fn::Sub') {
      const template = Array.isArray(intrinsic.arg) ? intrinsic.arg[0] : intrinsic.arg;
      if (typeof template === 'string') {
        for (const part of subParts(template)) {
          if ('name' in part) {
            const target = part.name.split('.')[0] ?? '';
            if (this.resources.has(target)) out.add(target);
          }
        }
      }
    }
    for (const value of Object.values(node)) this.referencedResources(value, depth + 1, out);
    return out;
  }
}

function collectIfConditions(node: unknown, names: Set<string>, depth: number): void {
  if (depth > MAX_DEPTH || typeof node !== 'object' || node === null) return;
  if (Array.isArray(node)) {
    for (const item of node) collectIfConditions(item, names, depth + 1);
    return;
  }
  const intrinsic = intrinsicOf(node);
  if (intrinsic?.fn === 'Fn::If' && Array.isArray(intrinsic.arg) && typeof intrinsic.arg[0] === 'string') names.add(intrinsic.arg[0]);
  for (const value of Object.values(node)) collectIfConditions(value, names, depth + 1);
}

function atomKey(args: unknown[]): string {
  return `atom:Fn::Equals ${JSON.stringify(args)}`;
}

/** CloudFormation compares as strings: 22 equals "22", true equals "true". */
function equalValues(a: CfnValue, b: CfnValue): boolean {
  const left = scalarText(a);
  const right = scalarText(b);
  if (left !== undefined && right !== undefined) return left === right;
  return JSON.stringify(a) === JSON.stringify(b);
}
