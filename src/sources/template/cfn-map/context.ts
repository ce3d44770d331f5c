// What every CloudFormation mapper uses: resolved properties with their template paths, scenarios, variants.
import type { PublicAccessBlock } from '../../../core/models/index.js';
import type { AnyResource } from '../../../core/resource.js';
import type { ResourceTypeId } from '../../../core/resource-types.js';
import { BASE_SCENARIO, type RawResource, type ResolveOptions, type Scenario, type TemplateResolver } from '../cfn-resolve.js';
import { Unresolved, isCfnMap, scalarString, type CfnMap, type CfnValue } from '../cfn-values.js';
import type { MappedResource, ResourceVariant } from '../mapped-resource.js';
import type { ConfigPath, PathMapEntry, SourcePath } from '../source-path.js';

export interface MapTemplateOptions extends ResolveOptions {
  /**
   * At most this many scenarios (assignments of unknown condition inputs) per resource; inputs beyond
   * it stay unknown. Default 32.
   */
  readonly maxScenarios?: number;
  /** The account-level S3 public access block, when known (e.g. from a scan); unknown otherwise. */
  readonly accountPublicAccessBlock?: PublicAccessBlock;
  /** The region's EBS encryption-by-default setting, when known; volumes that rely on it are unknown otherwise. */
  readonly ebsEncryptionByDefault?: boolean;
}

export const DEFAULT_MAX_SCENARIOS = 32;

/** A canonical resource and where its parts came from, for one scenario. */
export interface Built {
  readonly resource: AnyResource;
  readonly paths: readonly PathMapEntry[];
}

export interface VariantSpec {
  readonly sourceId: string;
  readonly sourceType: string;
  readonly type: ResourceTypeId;
  readonly sourcePath: SourcePath;
  readonly synthetic: boolean;
  /** The resource the model is about; its Condition decides whether it exists (none for synthetic ones). */
  readonly primary?: string;
  /** Every template resource whose conditions can change the model (primary first, then attached ones). */
  readonly members: readonly string[];
  /** The model in one scenario, or undefined when it does not exist there. */
  build(scenario: Scenario): Built | undefined;
}

/** Collects path-map entries relative to a config prefix. */
export class PathRecorder {
  readonly entries: PathMapEntry[] = [];

  add(config: ConfigPath, source: SourcePath | undefined): void {
    if (source !== undefined) this.entries.push({ config, source });
  }
}

export class CfnMapContext {
  private readonly byType = new Map<string, RawResource[]>();

  constructor(
    readonly resolver: TemplateResolver,
    readonly file: string,
    readonly options: MapTemplateOptions,
  ) {
    for (const resource of resolver.resources.values()) {
      const list = this.byType.get(resource.type) ?? [];
      list.push(resource);
      this.byType.set(resource.type, list);
    }
  }

  /** Resources of a CloudFormation type, in template order. */
  ofType(type: string): readonly RawResource[] {
    return this.byType.get(type) ?? [];
  }

  typeOf(logicalId: string): string | undefined {
    return this.resolver.resources.get(logicalId)?.type;
  }

  warn(message: string, path?: SourcePath): void {
    this.resolver.warn(message, path);
  }

  get account(): string {
    return this.options.accountId ?? 'unknown';
  }

  get region(): string {
    return this.options.region ?? 'unknown';
  }

  /** Synthetic ARN: templates have no real ones; this names file and logical id, and is never a real ARN. */
  arn(id: string): string {
    return `arn:aws:cloudformation:template:${this.file}#${id}`;
  }

  props(logicalId: string, scenario: Scenario): CfnMap {
    return this.resolver.properties(logicalId, scenario);
  }

  /** Template path of a resolved map or list (or `fallback` for values the template did not hold). */
  pathOf(value: unknown, fallback: SourcePath): SourcePath {
    return this.resolver.pathOf(value) ?? fallback;
  }

  /** Template path of `map[key]` (the key's line). */
  keyPath(map: CfnMap, key: string, fallback: SourcePath): SourcePath {
    return [...this.pathOf(map, fallback), key];
  }

  /** Template path of each element of a resolved list. */
  elementPaths(list: readonly CfnValue[], fallback: SourcePath): readonly SourcePath[] {
    const paths = this.resolver.elementPaths.get(list);
    return paths ?? list.map((_, index) => [...this.pathOf(list, fallback), index]);
  }

  /**
   * An id-like property: a known string, or the logical id of the template resource it names (Ref X,
   * Fn::GetAtt X.GroupId…), which is that resource's id in a template; otherwise the unknown.
   */
  idOf(value: CfnValue | undefined): string | Unresolved | undefined {
    if (value instanceof Unresolved) return value.target ? value.target.logicalId : value;
    return scalarString(value);
  }

  /** Known string only (for optional model fields, which cannot hold an unknown). */
  knownString(value: CfnValue | undefined): string | undefined {
    const text = scalarString(value);
    return typeof text === 'string' ? text : undefined;
  }

  /** Tags from a CloudFormation tag list; unknown keys or values are left out, with a warning. */
  tags(value: CfnValue | undefined, path: SourcePath): Record<string, string> {
    const tags: Record<string, string> = {};
    if (value === undefined || value === null) return tags;
    if (!Array.isArray(value)) {
      if (value instanceof Unresolved) this.warn(`tags are unknown (${value.reason}); left out`, path);
      return tags;
    }
    for (const item of value as readonly CfnValue[]) {
      if (!isCfnMap(item)) continue;
      const key = scalarString(item.Key);
      const text = scalarString(item.Value);
      if (typeof key === 'string' && typeof text === 'string') {
        Object.defineProperty(tags, key, { value: text, enumerable: true, writable: true, configurable: true });
      } else this.warn('a tag key or value is unknown; that tag is left out', path);
    }
    return tags;
  }

  /**
   * The scenarios to build the members in: the cartesian product of their unknown condition inputs'
   * candidate values, capped at `maxScenarios`; `truncated` when some inputs had to stay unknown.
   */
  scenarioPlan(members: readonly string[]): { scenarios: Scenario[]; truncated: boolean } {
    const resolver = this.resolver;
    const cap = Math.max(1, this.options.maxScenarios ?? DEFAULT_MAX_SCENARIOS);
    // Inputs deciding existence come first, so a resource or attached rule is rarely left undecided.
    const existenceInputs = new Set<string>();
    for (const id of members) {
      const condition = resolver.resources.get(id)?.condition;
      if (typeof condition === 'string') for (const input of resolver.conditionInputs(condition)) existenceInputs.add(input);
    }
    const all = resolver.inputsOf(members);
    const ordered = [...[...existenceInputs].sort(), ...all.filter((input) => !existenceInputs.has(input))];
    const chosen: Array<{ input: string; values: ReturnType<TemplateResolver['candidates']> }> = [];
    let product = 1;
    let truncated = false;
    for (const input of ordered) {
      const values = resolver.candidates(input);
      if (values.length === 0) continue;
      if (product * values.length > cap) {
        truncated = true;
        continue;
      }
      product *= values.length;
      chosen.push({ input, values });
    }
    return { scenarios: [...scenarios(chosen)], truncated };
  }

  /**
   * Builds the model in every scenario of the members' unknown condition inputs (capped) and keeps
   * the distinct results as variants.
   */
  variants(spec: VariantSpec): MappedResource | undefined {
    const resolver = this.resolver;
    const plan = this.scenarioPlan(spec.members);
    let truncated = plan.truncated;
    const unknownConditions = new Set<string>();
    for (const id of spec.members) {
      for (const name of resolver.resourceConditions(id)) {
        if (resolver.condition(name, BASE_SCENARIO) instanceof Unresolved) unknownConditions.add(name);
      }
    }
    const variants = new Map<string, { built: Built; when: Array<Record<string, boolean>> }>();
    let absent = false;
    for (const scenario of plan.scenarios) {
      if (spec.primary !== undefined) {
        const exists = resolver.exists(spec.primary, scenario);
        if (exists === false) {
          absent = true;
          continue;
        }
        if (exists instanceof Unresolved) truncated = true;
      }
      const built = spec.build(scenario);
      if (built === undefined) {
        absent = true;
        continue;
      }
      const when: Record<string, boolean> = {};
      for (const name of unknownConditions) {
        const value = resolver.condition(name, scenario);
        if (typeof value === 'boolean') when[name] = value;
      }
      // Variants are told apart by their content; with one scenario there is nothing to tell apart.
      const key = plan.scenarios.length === 1 ? '' : JSON.stringify(built.resource);
      const existing = variants.get(key);
      if (existing) existing.when.push(when);
      else variants.set(key, { built, when: [when] });
    }
    if (variants.size === 0) return undefined;
    const conditional = variants.size > 1 || absent || truncated;
    const out: ResourceVariant[] = [...variants.values()].map(({ built, when }) => ({
      resource: built.resource,
      paths: built.paths,
      when: conditional ? when.filter((record) => Object.keys(record).length > 0) : [],
    }));
    return {
      origin: 'cloudformation',
      file: this.file,
      sourceId: spec.sourceId,
      sourceType: spec.sourceType,
      type: spec.type,
      synthetic: spec.synthetic,
      sourcePath: spec.sourcePath,
      variants: out,
      mayBeAbsent: absent,
      truncated,
    };
  }
}

/** The cartesian product of the chosen inputs' values; one empty scenario when nothing is unknown. */
function* scenarios(chosen: ReadonlyArray<{ input: string; values: ReturnType<TemplateResolver['candidates']> }>): Generator<Scenario> {
  if (chosen.length === 0) {
    yield BASE_SCENARIO;
    return;
  }
  const indices = chosen.map(() => 0);
  for (;;) {
    const values = new Map(chosen.map(({ input, values: options }, i) => [input, options[indices[i] ?? 0] as ReturnType<TemplateResolver['candidates']>[number]]));
    yield { values };
    let position = chosen.length - 1;
    while (position >= 0) {
      const current = (indices[position] ?? 0) + 1;
      if (current < (chosen[position]?.values.length ?? 0)) {
        indices[position] = current;
        break;
      }
      indices[position] = 0;
      position -= 1;
    }
    if (position < 0) return;
  }
}
