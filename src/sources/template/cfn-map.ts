// Maps a loaded CloudFormation template to canonical resources (with variants and paths back to the template).
import { errorMessage } from '../../core/errors.js';
import type { LoadedTemplate, TemplateWarning } from './cfn-parse.js';
import { BASE_SCENARIO, TemplateResolver } from './cfn-resolve.js';
import { mapBuckets } from './cfn-map/bucket.js';
import { CfnMapContext, type MapTemplateOptions } from './cfn-map/context.js';
import { mapDbInstances } from './cfn-map/db-instance.js';
import { mapInstances } from './cfn-map/instance.js';
import { mapSecurityGroups } from './cfn-map/security-group.js';
import { mapStacks } from './cfn-map/stack.js';
import { mapTables } from './cfn-map/table.js';
import { mapVolumes } from './cfn-map/volume.js';
import type { MappedResource } from './mapped-resource.js';
import { TemplateInputError } from './template-error.js';

export type { MapTemplateOptions } from './cfn-map/context.js';

/** CloudFormation types that become (or join into) canonical models. */
export const MAPPED_CFN_TYPES: readonly string[] = [
  'AWS::EC2::SecurityGroup',
  'AWS::EC2::SecurityGroupIngress',
  'AWS::EC2::SecurityGroupEgress',
  'AWS::S3::Bucket',
  'AWS::S3::BucketPolicy',
  'AWS::EC2::Instance',
  'AWS::EC2::Volume',
  'AWS::EC2::VolumeAttachment',
  'AWS::RDS::DBInstance',
  'AWS::DynamoDB::Table',
  'AWS::CloudFormation::Stack',
];

const MAPPED_TYPES: ReadonlySet<string> = new Set(MAPPED_CFN_TYPES);

/**
 * Whether any resource of the (structure-checked) template has a type leuko maps; without one, mapTemplate gives
 * no resources. Asked of the read data, not the text, so a type written with escapes
 * (`"AWS::EC2::Security\u0047roup"`) still counts.
 */
export function hasMappedResource(loaded: LoadedTemplate): boolean {
  const resources = loaded.body.Resources as Record<string, unknown>;
  for (const logicalId in resources) {
    const resource = resources[logicalId];
    if (typeof resource === 'object' && resource !== null && MAPPED_TYPES.has((resource as { Type?: unknown }).Type as string)) return true;
  }
  return false;
}

export const SAM_TRANSFORM = 'AWS::Serverless-2016-10-31';

export interface SkippedResource {
  readonly logicalId: string;
  readonly type: string;
  readonly reason: string;
}

export interface TemplateMapping {
  readonly file: string;
  readonly resources: readonly MappedResource[];
  /** Resources of mapped types (or SAM/loop constructs) that produce no model, and why. */
  readonly skipped: readonly SkippedResource[];
  /** How many resources of each other type the template has (not modelled by leuko). */
  readonly unmappedTypes: Readonly<Record<string, number>>;
  readonly transforms: readonly string[];
  /** Loader and resolver warnings: unsupported intrinsics, unknown values dropped from a model, … */
  readonly warnings: readonly TemplateWarning[];
}

const MAPPERS = [mapSecurityGroups, mapBuckets, mapInstances, mapVolumes, mapDbInstances, mapTables, mapStacks];

/**
 * Resolves and maps a template. Options give what a template cannot know (region, account,
 * parameter values, account-level settings). Throws only TemplateInputError.
 */
export function mapTemplate(loaded: LoadedTemplate, options: MapTemplateOptions = {}): TemplateMapping {
  try {
    return mapUnchecked(loaded, options);
  } catch (error) {
    if (error instanceof TemplateInputError) throw error;
    throw new TemplateInputError('internal', `could not map template: ${errorMessage(error)}`, { file: loaded.file }, error);
  }
}

function mapUnchecked(loaded: LoadedTemplate, options: MapTemplateOptions): TemplateMapping {
  const resolver = new TemplateResolver(loaded.body, options);
  const ctx = new CfnMapContext(resolver, loaded.file, options);
  const skipped: SkippedResource[] = [];
  const unmappedTypes: Record<string, number> = {};
  const resourcesSection = loaded.body.Resources as Record<string, unknown>;
  for (const logicalId of Object.keys(resourcesSection)) {
    if (logicalId.startsWith('Fn::ForEach::')) {
      skipped.push({ logicalId, type: 'Fn::ForEach', reason: 'AWS::LanguageExtensions loops are not expanded' });
    }
  }
  for (const resource of resolver.resources.values()) {
    if (resource.type.startsWith('AWS::Serverless::')) {
      skipped.push({ logicalId: resource.logicalId, type: resource.type, reason: 'AWS SAM resource: the SAM transform expands it at deploy; not mapped' });
    } else if (!MAPPED_TYPES.has(resource.type)) {
      unmappedTypes[resource.type] = (unmappedTypes[resource.type] ?? 0) + 1;
    } else if (resolver.exists(resource.logicalId, BASE_SCENARIO) === false) {
      skipped.push({ logicalId: resource.logicalId, type: resource.type, reason: `its condition ${String(resource.condition)} is false` });
    }
  }
  const resources = MAPPERS.flatMap((mapper) => mapper(ctx));
  const notes: TemplateWarning[] = [];
  for (const transform of resolver.transforms) {
    notes.push({
      message:
        transform === SAM_TRANSFORM
          ? 'AWS SAM template: plain CloudFormation resources are mapped; AWS::Serverless::* resources are not (the transform creates them at deploy)'
          : `transform ${transform} may change the template at deploy; mapped as written`,
      path: ['Transform'],
    });
  }
  return {
    file: loaded.file,
    resources,
    skipped,
    unmappedTypes,
    transforms: resolver.transforms,
    warnings: [...loaded.warnings, ...notes, ...resolver.warnings],
  };
}
