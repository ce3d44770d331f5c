// Terraform plan resources as leuko reads them: values with "known after apply" as unknowns, references, ids.
import type { PublicAccessBlock } from '../../../core/models/index.js';
import { Unresolved, isCfnMap, setKey, type CfnMap, type CfnValue } from '../cfn-values.js';
import type { PathMapEntry, SourcePath } from '../source-path.js';
import type { TemplateWarning } from '../cfn-parse.js';

export interface TfResource {
  /** Full instance address, e.g. module.net.aws_security_group.web["a"]. */
  readonly address: string;
  /** Address without instance keys, as in the configuration (module.net.aws_security_group.web). */
  readonly configAddress: string;
  /** Module path without instance keys ("" for the root module, "module.net." otherwise). */
  readonly modulePrefix: string;
  readonly type: string;
  readonly index: string | number | undefined;
  /** Planned values; what is known only after apply is an Unresolved. */
  readonly values: CfnMap;
  /** Attribute names set in the configuration (to tell "not set" from "computed"). */
  readonly configured: ReadonlySet<string>;
  /** The configuration's expressions for this resource, when the plan has a configuration section. */
  readonly expressions: Readonly<Record<string, unknown>> | undefined;
  /** References per configured attribute, e.g. bucket → ["aws_s3_bucket.b.id", "aws_s3_bucket.b"]. */
  readonly references: ReadonlyMap<string, readonly string[]>;
}

export interface TfMapOptions {
  /** Account to put on resources; 'unknown' when absent. */
  readonly accountId?: string;
  /** Region of the default provider; 'unknown' when absent (a plan does not always show it). */
  readonly region?: string;
  /** The account-level S3 public access block, when known; unknown otherwise. */
  readonly accountPublicAccessBlock?: PublicAccessBlock;
}

/** Merges `after` with `after_unknown`: every part marked unknown becomes an Unresolved. */
export function mergeUnknown(after: unknown, unknown: unknown, path: string): CfnValue {
  if (unknown === true) return new Unresolved(`${path} is known only after apply`);
  if (Array.isArray(after) || (Array.isArray(unknown) && (after === null || after === undefined))) {
    const items = Array.isArray(after) ? after : [];
    const marks = Array.isArray(unknown) ? unknown : [];
    const length = Math.max(items.length, marks.length);
    const out: CfnValue[] = [];
    for (let i = 0; i < length; i += 1) out.push(mergeUnknown(items[i], marks[i], `${path}[${i}]`));
    return out;
  }
  const afterMap = typeof after === 'object' && after !== null ? (after as Record<string, unknown>) : undefined;
  const unknownMap = typeof unknown === 'object' && unknown !== null && !Array.isArray(unknown) ? (unknown as Record<string, unknown>) : undefined;
  if (afterMap || (unknownMap && (after === null || after === undefined))) {
    const out: Record<string, CfnValue> = {};
    const keys = new Set([...Object.keys(afterMap ?? {}), ...Object.keys(unknownMap ?? {})]);
    for (const key of keys) {
      const value = mergeUnknown(afterMap?.[key], unknownMap?.[key], path ? `${path}.${key}` : key);
      setKey(out, key, value);
    }
    return out;
  }
  if (typeof after === 'string' || typeof after === 'number' || typeof after === 'boolean') return after;
  return null;
}

/** Address without instance keys: module.a[0].aws_x.y["k"] → module.a.aws_x.y. */
export function stripIndices(address: string): string {
  return address.replace(/\[[^\]]*\]/g, '');
}

/** Shared state of one plan's mapping: resources by address, reference resolution, warnings. */
export class TfMapContext {
  readonly byType = new Map<string, TfResource[]>();
  private readonly byConfigAddress = new Map<string, TfResource[]>();
  readonly warnings: TemplateWarning[] = [];

  constructor(
    readonly file: string,
    readonly resources: readonly TfResource[],
    readonly options: TfMapOptions,
  ) {
    for (const resource of resources) {
      this.byType.set(resource.type, [...(this.byType.get(resource.type) ?? []), resource]);
      this.byConfigAddress.set(resource.configAddress, [...(this.byConfigAddress.get(resource.configAddress) ?? []), resource]);
    }
  }

  ofType(type: string): readonly TfResource[] {
    return this.byType.get(type) ?? [];
  }

  warn(message: string, address?: string): void {
    this.warnings.push(address ? { message, path: [address] } : { message });
  }

  get account(): string {
    return this.options.accountId ?? 'unknown';
  }

  get region(): string {
    return this.options.region ?? 'unknown';
  }

  /** The real ARN when the plan knows it (an existing resource), else a synthetic one naming file and address. */
  arn(resource: TfResource): string {
    const arn = resource.values.arn;
    return typeof arn === 'string' && arn.startsWith('arn:') ? arn : `arn:aws:terraform:plan:${this.file}#${resource.address}`;
  }

  /** The id leuko gives a planned resource: its real id when known (updates), else its address. */
  idOf(resource: TfResource, attribute = 'id'): string {
    const id = resource.values[attribute];
    return typeof id === 'string' && id !== '' ? id : resource.address;
  }

  /**
   * The planned resources of `types` an attribute refers to in the configuration (same module). For
   * instances with count/for_each, the one with the same key as `from`, else the only one.
   */
  referenced(from: TfResource, attribute: string, types: readonly string[]): TfResource[] {
    const out: TfResource[] = [];
    for (const reference of from.references.get(attribute) ?? []) {
      // "aws_s3_bucket.data[count.index].id": drop instance keys first, they may hold dots.
      const parts = stripIndices(reference).split('.');
      if (parts[0] === 'data' || parts[0] === 'var' || parts[0] === 'local' || parts[0] === 'module') continue;
      const [type, name] = parts;
      if (type === undefined || name === undefined || !types.includes(type)) continue;
      const candidates = this.byConfigAddress.get(`${from.modulePrefix}${type}.${stripIndices(name)}`) ?? [];
      const sameKey = candidates.filter((candidate) => candidate.index !== undefined && candidate.index === from.index);
      const chosen = sameKey.length === 1 ? sameKey : candidates.length === 1 ? candidates : [];
      for (const resource of chosen) if (!out.includes(resource)) out.push(resource);
    }
    return out;
  }

  /** A value from the plan, or, when unknown, the canonical id of the one resource the configuration references. */
  idValue(from: TfResource, attribute: string, value: CfnValue | undefined, types: readonly string[], idAttribute = 'id'): string | Unresolved | undefined {
    if (typeof value === 'string') return value;
    if (value instanceof Unresolved) {
      const [target, ...others] = this.referenced(from, attribute, types);
      return target !== undefined && others.length === 0 ? this.idOf(target, idAttribute) : value;
    }
    return undefined;
  }
}

/** Path-map entries for one Terraform resource. */
export class TfPaths {
  readonly entries: PathMapEntry[] = [];

  add(config: ReadonlyArray<string | number>, address: string, ...attribute: Array<string | number>): void {
    const source: SourcePath = [address, ...attribute];
    this.entries.push({ config, source });
  }
}

/** First element of a nested block list (Terraform encodes blocks as lists), if it is a map. */
export function firstBlock(value: CfnValue | undefined): CfnMap | undefined {
  if (Array.isArray(value)) {
    const first = (value as readonly CfnValue[])[0];
    return isCfnMap(first) ? first : undefined;
  }
  return isCfnMap(value) ? value : undefined;
}

/** Elements of a list attribute ([] for null or absent). */
export function listOf(value: CfnValue | undefined): readonly CfnValue[] {
  return Array.isArray(value) ? (value as readonly CfnValue[]) : [];
}

/** Whether the configuration sets a nested attribute, e.g. ['server_side_encryption', 0, 'kms_key_arn']. */
export function hasExpression(resource: TfResource, path: ReadonlyArray<string | number>): boolean {
  let node: unknown = resource.expressions;
  for (const segment of path) {
    if (typeof node !== 'object' || node === null) return false;
    node = (node as Record<string | number, unknown>)[segment];
  }
  return node !== undefined && node !== null;
}
