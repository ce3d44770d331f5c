// Reads `terraform show -json` output (a plan, or a state) and maps its AWS resources to canonical models.
import { errorMessage } from '../../core/errors.js';
import type { TemplateWarning } from './cfn-parse.js';
import { DEFAULT_MAX_TEMPLATE_BYTES } from './cfn-parse.js';
import { isCfnMap, type CfnMap } from './cfn-values.js';
import { jsonErrorPosition } from './json-positions.js';
import type { MappedResource } from './mapped-resource.js';
import { TemplateInputError } from './template-error.js';
import { mapTfBuckets } from './terraform-map/bucket.js';
import { mapTfDbInstances, mapTfInstances, mapTfTables } from './terraform-map/compute.js';
import { TfMapContext, mergeUnknown, stripIndices, type TfMapOptions, type TfResource } from './terraform-map/context.js';
import { mapTfSecurityGroups } from './terraform-map/security-group.js';

export type { TfMapOptions } from './terraform-map/context.js';

export interface TerraformPlanOptions extends TfMapOptions {
  /** Larger files are refused. Default 5 MB. */
  readonly maxBytes?: number;
}

/** Terraform types that become (or join into) canonical models. */
export const MAPPED_TERRAFORM_TYPES: readonly string[] = [
  'aws_security_group',
  'aws_security_group_rule',
  'aws_vpc_security_group_ingress_rule',
  'aws_vpc_security_group_egress_rule',
  'aws_s3_bucket',
  'aws_s3_bucket_acl',
  'aws_s3_bucket_policy',
  'aws_s3_bucket_public_access_block',
  'aws_s3_bucket_server_side_encryption_configuration',
  'aws_s3_bucket_versioning',
  'aws_s3_bucket_ownership_controls',
  'aws_instance',
  'aws_ebs_volume',
  'aws_db_instance',
  'aws_dynamodb_table',
];

export interface TerraformMapping {
  readonly file: string;
  readonly resources: readonly MappedResource[];
  /** Resources the plan deletes, which are not mapped. */
  readonly deleted: readonly string[];
  readonly unmappedTypes: Readonly<Record<string, number>>;
  readonly warnings: readonly TemplateWarning[];
}

type Json = Record<string, unknown>;

function asObject(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/**
 * Maps a `terraform show -json` document. Values "known after apply" are unknown; positions are
 * resource addresses (a plan has no source lines). Throws only TemplateInputError.
 */
export function loadTerraformPlan(text: string, file: string, options: TerraformPlanOptions = {}): TerraformMapping {
  try {
    return loadUnchecked(text, file, options);
  } catch (error) {
    if (error instanceof TemplateInputError) throw error;
    throw new TemplateInputError('internal', `could not read Terraform plan: ${errorMessage(error)}`, { file }, error);
  }
}

function loadUnchecked(text: string, file: string, options: TerraformPlanOptions): TerraformMapping {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_TEMPLATE_BYTES;
  if (text.length > maxBytes || Buffer.byteLength(text) > maxBytes) {
    throw new TemplateInputError('too-large', `file is more than the limit of ${maxBytes} bytes`, { file });
  }
  if (text.includes('\u0000')) throw new TemplateInputError('binary', 'not a text file (contains NUL bytes)', { file });
  let data: unknown;
  try {
    data = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    const message = errorMessage(error);
    const at = jsonErrorPosition(text);
    throw new TemplateInputError('syntax', `invalid JSON: ${message}`, { file, line: at?.line, column: at?.column }, error);
  }
  const root = asObject(data);
  if (!root || !(root.resource_changes || root.planned_values || root.values)) {
    throw new TemplateInputError('not-a-template', 'not a Terraform plan: no resource_changes, planned_values or values (expected `terraform show -json` output)', { file });
  }
  const expressions = configurationIndex(asObject(root.configuration));
  const deleted: string[] = [];
  const resources = root.resource_changes ? fromResourceChanges(root, expressions, deleted) : fromModules(root, expressions);
  // The default provider's region, when the configuration sets it as a constant.
  const region = options.region ?? providerRegion(asObject(root.configuration));
  const ctx = new TfMapContext(file, resources, region === undefined ? options : { ...options, region });
  const unmappedTypes: Record<string, number> = {};
  for (const resource of resources) {
    if (!MAPPED_TERRAFORM_TYPES.includes(resource.type)) unmappedTypes[resource.type] = (unmappedTypes[resource.type] ?? 0) + 1;
  }
  const mapped = [...mapTfSecurityGroups(ctx), ...mapTfBuckets(ctx), ...mapTfInstances(ctx), ...mapTfDbInstances(ctx), ...mapTfTables(ctx)];
  return { file, resources: mapped, deleted, unmappedTypes, warnings: ctx.warnings };
}

/** Configuration expressions by config address (module.a.aws_x.y), walking module calls. */
function configurationIndex(configuration: Json | undefined): Map<string, Json> {
  const index = new Map<string, Json>();
  const walk = (module: Json | undefined, prefix: string, depth: number) => {
    if (!module || depth > 32) return;
    for (const resource of asArray(module.resources)) {
      const record = asObject(resource);
      if (!record || typeof record.address !== 'string' || record.mode === 'data') continue;
      index.set(`${prefix}${record.address}`, asObject(record.expressions) ?? {});
    }
    for (const [name, call] of Object.entries(asObject(module.module_calls) ?? {})) {
      walk(asObject(asObject(call)?.module), `${prefix}module.${name}.`, depth + 1);
    }
  };
  walk(asObject(configuration?.root_module), '', 0);
  return index;
}

function referencesOf(expressions: Json | undefined): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const collect = (node: unknown, into: string[], depth: number) => {
    if (depth > 16 || typeof node !== 'object' || node === null) return;
    const refs = (node as Json).references;
    if (Array.isArray(refs)) for (const ref of refs) if (typeof ref === 'string') into.push(ref);
    for (const value of Object.values(node)) collect(value, into, depth + 1);
  };
  for (const [attribute, expression] of Object.entries(expressions ?? {})) {
    const refs: string[] = [];
    collect(expression, refs, 0);
    out.set(attribute, refs);
  }
  return out;
}

function makeResource(
  address: string,
  type: string,
  index: string | number | undefined,
  values: CfnMap,
  expressions: Map<string, Json>,
): TfResource {
  const configAddress = stripIndices(address);
  const lastDot = configAddress.lastIndexOf('.', configAddress.lastIndexOf('.') - 1);
  const modulePrefix = lastDot < 0 ? '' : configAddress.slice(0, lastDot + 1);
  const config = expressions.size > 0 ? expressions.get(configAddress) : undefined;
  return {
    address,
    configAddress,
    modulePrefix,
    type,
    index,
    values,
    configured: new Set(Object.keys(config ?? {})),
    expressions: config,
    references: referencesOf(config),
  };
}

function fromResourceChanges(root: Json, expressions: Map<string, Json>, deleted: string[]): TfResource[] {
  const out: TfResource[] = [];
  for (const item of asArray(root.resource_changes)) {
    const change = asObject(item);
    if (!change || change.mode === 'data' || typeof change.address !== 'string' || typeof change.type !== 'string') continue;
    const detail = asObject(change.change);
    const actions = asArray(detail?.actions);
    if (actions.length === 1 && actions[0] === 'delete') {
      deleted.push(change.address);
      continue;
    }
    const values = mergeUnknown(detail?.after, detail?.after_unknown, '');
    const index = typeof change.index === 'string' || typeof change.index === 'number' ? change.index : undefined;
    out.push(makeResource(change.address, change.type, index, isCfnMap(values) ? values : {}, expressions));
  }
  return out;
}

/** planned_values (a plan without resource_changes) or values (`terraform show -json` of a state). */
function fromModules(root: Json, expressions: Map<string, Json>): TfResource[] {
  const out: TfResource[] = [];
  const walk = (module: Json | undefined, depth: number) => {
    if (!module || depth > 32) return;
    for (const item of asArray(module.resources)) {
      const resource = asObject(item);
      if (!resource || resource.mode === 'data' || typeof resource.address !== 'string' || typeof resource.type !== 'string') continue;
      const values = mergeUnknown(resource.values, undefined, '');
      const index = typeof resource.index === 'string' || typeof resource.index === 'number' ? resource.index : undefined;
      out.push(makeResource(resource.address, resource.type, index, isCfnMap(values) ? values : {}, expressions));
    }
    for (const child of asArray(module.child_modules)) walk(asObject(child), depth + 1);
  };
  const values = asObject(root.planned_values) ?? asObject(root.values);
  walk(asObject(values?.root_module), 0);
  return out;
}

function providerRegion(configuration: Json | undefined): string | undefined {
  const aws = asObject(asObject(configuration?.provider_config)?.aws);
  const region = asObject(asObject(aws?.expressions)?.region)?.constant_value;
  return typeof region === 'string' ? region : undefined;
}
