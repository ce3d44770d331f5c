// Rule region-not-allowed: a resource lives in a region outside the allowed list (Monocyte's rule).
import * as z from 'zod';
import { RESOURCE_TYPE_IDS } from '../core/resource-types.js';
import { defineRule } from '../core/rule.js';
import { memoByParams } from './shared/memo.js';
import { isType, NO_VIOLATIONS } from './shared/narrow.js';
import { REF } from './shared/references.js';

/**
 * Region groups by name pattern rather than by list, so a region AWS opens next year (another eu-*)
 * is inside its preset without a leuko release.
 */
export const REGION_PRESETS: Readonly<Record<string, RegExp>> = {
  eu: /^eu-[a-z]+-\d+$/,
  us: /^us-(?:east|west)-\d+$/,
  gov: /^us-gov-[a-z]+-\d+$/,
  ca: /^ca-[a-z]+-\d+$/,
  ap: /^ap-[a-z]+-\d+$/,
  sa: /^sa-[a-z]+-\d+$/,
  me: /^me-[a-z]+-\d+$/,
  af: /^af-[a-z]+-\d+$/,
  il: /^il-[a-z]+-\d+$/,
  mx: /^mx-[a-z]+-\d+$/,
  cn: /^cn-[a-z]+-\d+$/,
};

/** What template and plan mapping put in `region` when none was given. */
const UNKNOWN_REGION = 'unknown';

const REGION_NAME = /^[a-z]{2,4}(?:-[a-z0-9]+)+-\d+$/;
const REGION_GLOB = /^[a-z0-9*-]+$/;

function globToRegExp(glob: string): RegExp {
  return new RegExp(
    `^${glob
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('[a-z0-9-]*')}$`,
  );
}

const allowedEntrySchema = z
  .string()
  .refine(
    (value) =>
      value in REGION_PRESETS || REGION_NAME.test(value) || (value.includes('*') && REGION_GLOB.test(value)),
    {
      message: `must be a region (eu-west-1), a glob (eu-*) or a preset: ${Object.keys(REGION_PRESETS).join(', ')}`,
    },
  );

export interface RegionNotAllowedParams {
  /** Regions, globs ("eu-*") or presets ("eu", "us", "gov", ...). */
  readonly allowedRegions: readonly string[];
}

interface RegionMatcher {
  readonly exact: ReadonlySet<string>;
  readonly patterns: readonly RegExp[];
}

const matcherOf = memoByParams((params: RegionNotAllowedParams): RegionMatcher => {
  const exact = new Set<string>();
  const patterns: RegExp[] = [];
  for (const entry of params.allowedRegions) {
    const preset = REGION_PRESETS[entry];
    if (preset) patterns.push(preset);
    else if (entry.includes('*')) patterns.push(globToRegExp(entry));
    else exact.add(entry);
  }
  return { exact, patterns };
});

export function regionAllowed(region: string, params: RegionNotAllowedParams): boolean {
  const matcher = matcherOf(params);
  if (matcher.exact.has(region)) return true;
  for (const pattern of matcher.patterns) if (pattern.test(region)) return true;
  return false;
}

export const regionNotAllowed = defineRule<RegionNotAllowedParams>({
  id: 'region-not-allowed',
  title: 'Resource in a region outside the allowed list',
  severity: 'medium',
  resourceTypes: [...RESOURCE_TYPE_IDS],
  rationale:
    'Data residency (GDPR, sovereignty requirements) and blast radius: resources in unexpected regions are ' +
    'outside monitoring, budgets and backups, and are a classic sign of a compromised account mining in a far ' +
    'region. Presets: eu (every eu-* region, including eu-south-2 and eu-central-2), us (us-east-*, us-west-*), ' +
    'gov (us-gov-*), ca, ap, sa, me, af, il, mx, cn; globs like "eu-*" work too. An S3 bucket is judged by its own ' +
    'region. Off until allowedRegions is set.',
  references: [REF.regions, REF.scpDenyRegion, REF.monocyte],
  remediation: {
    action: 'delete-resource',
    description: 'Delete the resource (after moving what it holds), and deny the region with an SCP.',
  },
  enabledByDefault: false,
  paramsSchema: z.strictObject({
    allowedRegions: z
      .array(allowedEntrySchema)
      .min(1, 'list at least one region or preset (eu, us, gov, ...) to enable this rule'),
  }),
  defaultParams: { allowedRegions: [] },
  check(resource, params) {
    // Unconfigured (the engine never enables it so): nothing is "outside" an empty list.
    if (params.allowedRegions.length === 0) return NO_VIOLATIONS;
    const region = isType(resource, 'aws.s3.bucket') ? resource.config.region : resource.region;
    // A template checked without --region has region 'unknown': it may deploy anywhere, so 'possible'.
    if (region === UNKNOWN_REGION) {
      return [
        {
          part: 'region',
          certainty: 'possible',
          message: `${resource.type} ${resource.id} may be outside the allowed regions (${params.allowedRegions.join(', ')}): its region is not known (give the region to check against)`,
          ...(isType(resource, 'aws.s3.bucket') ? { path: ['region'] } : {}),
          details: { region },
        },
      ];
    }
    if (regionAllowed(region, params)) return NO_VIOLATIONS;
    return [
      {
        part: 'region',
        certainty: 'definite',
        message: `${resource.type} ${resource.id} is in ${region}, outside the allowed regions (${params.allowedRegions.join(', ')})`,
        ...(isType(resource, 'aws.s3.bucket') ? { path: ['region'] } : {}),
        details: { region },
      },
    ];
  },
});
