// AWS::S3::Bucket with the AWS::S3::BucketPolicy attached to it, and the defaults AWS applies to new buckets.
import type { BucketModel, PublicAccessBlock } from '../../../core/models/index.js';
import type { Resource } from '../../../core/resource.js';
import { unknownValue } from '../../../core/unknown.js';
import { BASE_SCENARIO, type Scenario } from '../cfn-resolve.js';
import { Unresolved, booleanOf, isCfnMap, scalarString, toPlain, uncertainOf, type CfnMap, type CfnValue } from '../cfn-values.js';
import type { MappedResource } from '../mapped-resource.js';
import { TEMPLATE_OWNER_ID, cannedAclGrants } from '../s3-acl.js';
import type { SourcePath } from '../source-path.js';
import { PathRecorder, type CfnMapContext } from './context.js';

const BUCKET = 'AWS::S3::Bucket';
const POLICY = 'AWS::S3::BucketPolicy';

type Target = { readonly kind: 'template'; readonly logicalId: string } | { readonly kind: 'external'; readonly name: string } | { readonly kind: 'unknown' };

/**
 * What AWS does for a property the template leaves out (new buckets, since 2023): all four public
 * access block flags on, ACLs disabled (BucketOwnerEnforced), SSE-S3 encryption, versioning never
 * enabled. The account-level block is not in a template: unknown, unless the caller knows it.
 */
export function mapBuckets(ctx: CfnMapContext): MappedResource[] {
  const buckets = ctx.ofType(BUCKET);
  const policies = ctx.ofType(POLICY);
  const bucketIds = new Set(buckets.map((bucket) => bucket.logicalId));
  const candidates = new Map<string, Set<string>>();
  const synthetic = new Map<string, string[]>();
  for (const policy of policies) {
    if (ctx.resolver.exists(policy.logicalId, BASE_SCENARIO) === false) continue;
    const refs = new Set([...ctx.resolver.referencedResources(policy.properties.Bucket)].filter((id) => bucketIds.has(id)));
    const base = targetOf(ctx, policy.logicalId, BASE_SCENARIO);
    if (base.kind === 'template') refs.add(base.logicalId);
    candidates.set(policy.logicalId, refs);
    if (base.kind !== 'template') {
      const key = base.kind === 'external' ? base.name : policy.logicalId;
      synthetic.set(key, [...(synthetic.get(key) ?? []), policy.logicalId]);
    }
  }
  const out: MappedResource[] = [];
  for (const bucket of buckets) {
    const members = policies.filter((policy) => candidates.get(policy.logicalId)?.has(bucket.logicalId)).map((policy) => policy.logicalId);
    const mapped = ctx.variants({
      sourceId: bucket.logicalId,
      sourceType: BUCKET,
      type: 'aws.s3.bucket',
      sourcePath: ['Resources', bucket.logicalId],
      synthetic: false,
      primary: bucket.logicalId,
      members: [bucket.logicalId, ...members],
      build: (scenario) => buildBucket(ctx, bucket.logicalId, members, scenario),
    });
    if (mapped) out.push(mapped);
  }
  for (const [key, members] of synthetic) {
    const mapped = ctx.variants({
      sourceId: key,
      sourceType: POLICY,
      type: 'aws.s3.bucket',
      sourcePath: ['Resources', members[0] as string],
      synthetic: true,
      members,
      build: (scenario) => buildSyntheticBucket(ctx, key, members, scenario),
    });
    if (mapped) out.push(mapped);
  }
  return out;
}

function targetOf(ctx: CfnMapContext, logicalId: string, scenario: Scenario): Target {
  const value = ctx.props(logicalId, scenario).Bucket;
  if (value instanceof Unresolved && value.target && ctx.typeOf(value.target.logicalId) === BUCKET) {
    return { kind: 'template', logicalId: value.target.logicalId };
  }
  const name = scalarString(value);
  if (typeof name !== 'string') return { kind: 'unknown' };
  const named = ctx.ofType(BUCKET).find((bucket) => scalarString(ctx.props(bucket.logicalId, scenario).BucketName) === name);
  return named ? { kind: 'template', logicalId: named.logicalId } : { kind: 'external', name };
}

function accountBlock(ctx: CfnMapContext): PublicAccessBlock {
  if (ctx.options.accountPublicAccessBlock) return ctx.options.accountPublicAccessBlock;
  const unknown = unknownValue('the account-level S3 public access block is not part of a template');
  return { blockPublicAcls: unknown, ignorePublicAcls: unknown, blockPublicPolicy: unknown, restrictPublicBuckets: unknown };
}

function buildBucket(ctx: CfnMapContext, logicalId: string, members: readonly string[], scenario: Scenario) {
  const props = ctx.props(logicalId, scenario);
  const resourcePath: SourcePath = ['Resources', logicalId];
  const propsPath: SourcePath = [...resourcePath, 'Properties'];
  const at = (key: string): SourcePath => (props[key] === undefined ? resourcePath : ctx.keyPath(props, key, propsPath));
  const paths = new PathRecorder();
  const name = ctx.knownString(props.BucketName);
  if (props.BucketName instanceof Unresolved) ctx.warn(`BucketName of ${logicalId} is unknown; the bucket is named by its logical id`, at('BucketName'));

  // ACL: a canned ACL, Private when absent.
  let acl: BucketModel['acl'];
  const canned = props.AccessControl;
  if (canned === undefined || canned === null) acl = { ownerId: TEMPLATE_OWNER_ID, grants: cannedAclGrants('Private') ?? [] };
  else if (canned instanceof Unresolved) acl = unknownValue(`AccessControl: ${canned.reason}`);
  else {
    const grants = typeof canned === 'string' ? cannedAclGrants(canned) : undefined;
    if (grants === undefined) ctx.warn(`AccessControl ${String(canned)} is not a canned ACL`, at('AccessControl'));
    acl = grants ? { ownerId: TEMPLATE_OWNER_ID, grants } : unknownValue(`AccessControl ${String(canned)} is not a canned ACL`);
  }
  paths.add(['acl'], at('AccessControl'));

  // Object ownership: BucketOwnerEnforced (ACLs disabled) unless OwnershipControls says otherwise.
  const ownership = objectOwnership(ctx, props.OwnershipControls, at('OwnershipControls'));
  paths.add(['objectOwnership'], at('OwnershipControls'));

  const publicAccessBlock = bucketBlock(ctx, props, propsPath, paths);
  const encryption = encryptionOf(ctx, props.BucketEncryption, at('BucketEncryption'));
  paths.add(['encryption'], at('BucketEncryption'));
  const versioning = versioningOf(props.VersioningConfiguration);
  paths.add(['versioning'], at('VersioningConfiguration'));

  const policy = attachedPolicy(ctx, members, scenario, (member) => {
    const target = targetOf(ctx, member, scenario);
    return target.kind === 'template' && target.logicalId === logicalId;
  }, paths);

  const config: BucketModel = {
    name: name ?? logicalId,
    region: ctx.region,
    acl,
    ...(ownership !== undefined ? { objectOwnership: ownership } : {}),
    policy,
    publicAccessBlock,
    accountPublicAccessBlock: accountBlock(ctx),
    encryption,
    versioning,
  };
  const resource: Resource<'aws.s3.bucket'> = {
    type: 'aws.s3.bucket',
    account: ctx.account,
    region: ctx.region,
    id: name ?? logicalId,
    arn: ctx.arn(logicalId),
    ...(name !== undefined ? { name } : {}),
    tags: ctx.tags(props.Tags, [...propsPath, 'Tags']),
    config,
  };
  return { resource, paths: paths.entries };
}

function buildSyntheticBucket(ctx: CfnMapContext, key: string, members: readonly string[], scenario: Scenario) {
  const paths = new PathRecorder();
  const policy = attachedPolicy(ctx, members, scenario, (member) => targetOf(ctx, member, scenario).kind !== 'template', paths);
  if (policy === null) return undefined;
  const unknown = unknownValue('a bucket the template does not define; only its policy is in the template');
  const config: BucketModel = {
    name: key,
    region: ctx.region,
    acl: unknown,
    policy,
    publicAccessBlock: { blockPublicAcls: unknown, ignorePublicAcls: unknown, blockPublicPolicy: unknown, restrictPublicBuckets: unknown },
    accountPublicAccessBlock: accountBlock(ctx),
    encryption: unknown,
    versioning: unknown,
  };
  const resource: Resource<'aws.s3.bucket'> = {
    type: 'aws.s3.bucket',
    account: ctx.account,
    region: ctx.region,
    id: key,
    arn: ctx.arn(key),
    tags: {},
    config,
  };
  return { resource, paths: paths.entries };
}

/** The policy of the bucket: from the attached BucketPolicy resources; null when there is none. */
function attachedPolicy(
  ctx: CfnMapContext,
  members: readonly string[],
  scenario: Scenario,
  attached: (member: string) => boolean,
  paths: PathRecorder,
): BucketModel['policy'] {
  const documents: Array<{ document: unknown; path: SourcePath; statementPaths: readonly SourcePath[] }> = [];
  for (const member of members) {
    if (ctx.resolver.exists(member, scenario) === false || !attached(member)) continue;
    const props = ctx.props(member, scenario);
    const path = props.PolicyDocument === undefined ? ['Resources', member] : ctx.keyPath(props, 'PolicyDocument', ['Resources', member, 'Properties']);
    const document = policyDocument(ctx, props.PolicyDocument, path);
    const statements = isCfnMap(props.PolicyDocument) ? props.PolicyDocument.Statement : undefined;
    const statementPaths = Array.isArray(statements) ? ctx.elementPaths(statements as readonly CfnValue[], [...path, 'Statement']) : [];
    documents.push({ document, path, statementPaths });
  }
  const [first] = documents;
  if (first === undefined) return null;
  if (documents.length === 1) {
    paths.add(['policy'], first.path);
    first.statementPaths.forEach((path, index) => paths.add(['policy', 'Statement', index], path));
    return first.document;
  }
  // A bucket has one policy; several BucketPolicy resources overwrite each other in an order
  // CloudFormation does not promise. Their statements together cover whichever one wins.
  ctx.warn(`${documents.length} bucket policies are attached to one bucket; their statements are combined`, first.path);
  const statements: unknown[] = [];
  paths.add(['policy'], first.path);
  for (const { document, path, statementPaths } of documents) {
    const list = (document as { Statement?: unknown } | null)?.Statement;
    const items = Array.isArray(list) ? list : list === undefined ? [] : [list];
    items.forEach((item, index) => {
      paths.add(['policy', 'Statement', statements.length], statementPaths[index] ?? path);
      statements.push(item);
    });
  }
  return { Version: '2012-10-17', Statement: statements };
}

function policyDocument(ctx: CfnMapContext, value: CfnValue | undefined, path: SourcePath): unknown {
  if (value instanceof Unresolved) return unknownValue(`PolicyDocument: ${value.reason}`);
  if (typeof value === 'string') {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      ctx.warn('PolicyDocument is a string that is not JSON', path);
      return unknownValue('PolicyDocument is not valid JSON');
    }
  }
  if (value === undefined || value === null) {
    ctx.warn('a BucketPolicy has no PolicyDocument', path);
    return unknownValue('no PolicyDocument');
  }
  return toPlain(value);
}

function objectOwnership(ctx: CfnMapContext, value: CfnValue | undefined, path: SourcePath): string | undefined {
  if (value === undefined || value === null) return 'BucketOwnerEnforced';
  const rules = isCfnMap(value) ? value.Rules : value;
  const first = Array.isArray(rules) ? (rules as readonly CfnValue[])[0] : undefined;
  const setting = isCfnMap(first) ? scalarString(first.ObjectOwnership) : undefined;
  if (typeof setting === 'string') return setting;
  // The model cannot hold an unknown here; leaving it out reads as "ACLs may be in effect" (the cautious side).
  ctx.warn('OwnershipControls is unknown; objectOwnership left out', path);
  return undefined;
}

function bucketBlock(ctx: CfnMapContext, props: CfnMap, propsPath: SourcePath, paths: PathRecorder): PublicAccessBlock {
  const value = props.PublicAccessBlockConfiguration;
  if (value === undefined || value === null) {
    paths.add(['publicAccessBlock'], propsPath.slice(0, 2));
    return { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true };
  }
  const blockPath = ctx.keyPath(props, 'PublicAccessBlockConfiguration', propsPath);
  paths.add(['publicAccessBlock'], blockPath);
  if (!isCfnMap(value)) {
    const unknown = unknownValue(value instanceof Unresolved ? value.reason : 'PublicAccessBlockConfiguration is not a mapping');
    return { blockPublicAcls: unknown, ignorePublicAcls: unknown, blockPublicPolicy: unknown, restrictPublicBuckets: unknown };
  }
  const flag = (field: keyof PublicAccessBlock, key: string): PublicAccessBlock[keyof PublicAccessBlock] => {
    const given = value[key];
    if (given !== undefined) paths.add(['publicAccessBlock', field], [...ctx.pathOf(value, blockPath), key]);
    // A flag left out of a given configuration is false (S3 PutPublicAccessBlock semantics).
    const parsed = given === undefined || given === null ? false : booleanOf(given);
    return parsed === undefined ? unknownValue(`${key} is not a boolean`) : uncertainOf(parsed);
  };
  return {
    blockPublicAcls: flag('blockPublicAcls', 'BlockPublicAcls'),
    ignorePublicAcls: flag('ignorePublicAcls', 'IgnorePublicAcls'),
    blockPublicPolicy: flag('blockPublicPolicy', 'BlockPublicPolicy'),
    restrictPublicBuckets: flag('restrictPublicBuckets', 'RestrictPublicBuckets'),
  };
}

function encryptionOf(ctx: CfnMapContext, value: CfnValue | undefined, path: SourcePath): BucketModel['encryption'] {
  // Since January 2023 S3 encrypts every new bucket with SSE-S3 when nothing else is configured.
  if (value === undefined || value === null) return { rules: [{ algorithm: 'AES256' }] };
  if (value instanceof Unresolved) return unknownValue(`BucketEncryption: ${value.reason}`);
  const list = isCfnMap(value) ? value.ServerSideEncryptionConfiguration : undefined;
  if (list instanceof Unresolved) return unknownValue(`BucketEncryption: ${list.reason}`);
  if (!Array.isArray(list)) {
    ctx.warn('BucketEncryption has no ServerSideEncryptionConfiguration list', path);
    return unknownValue('BucketEncryption is malformed');
  }
  const rules: Array<{ algorithm: string; kmsKeyId?: string; bucketKeyEnabled?: boolean }> = [];
  for (const rule of list as readonly CfnValue[]) {
    const byDefault = isCfnMap(rule) ? rule.ServerSideEncryptionByDefault : undefined;
    const algorithm = isCfnMap(byDefault) ? scalarString(byDefault.SSEAlgorithm) : undefined;
    if (typeof algorithm !== 'string') return unknownValue(`SSEAlgorithm: ${algorithm instanceof Unresolved ? algorithm.reason : 'missing'}`);
    const kmsKeyId = isCfnMap(byDefault) ? ctx.idOf(byDefault.KMSMasterKeyID) : undefined;
    const bucketKey = isCfnMap(rule) ? booleanOf(rule.BucketKeyEnabled) : undefined;
    rules.push({
      algorithm,
      ...(typeof kmsKeyId === 'string' ? { kmsKeyId } : {}),
      ...(typeof bucketKey === 'boolean' ? { bucketKeyEnabled: bucketKey } : {}),
    });
  }
  return { rules };
}

function versioningOf(value: CfnValue | undefined): BucketModel['versioning'] {
  if (value === undefined || value === null) return 'Off';
  if (value instanceof Unresolved) return unknownValue(`VersioningConfiguration: ${value.reason}`);
  const status = isCfnMap(value) ? scalarString(value.Status) : undefined;
  if (status === undefined) return unknownValue('VersioningConfiguration has no Status');
  return uncertainOf(status);
}
