// Tests of Terraform plan mapping on small hand-made `terraform show -json` fixtures.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MODEL_SCHEMAS, type BucketModel, type SecurityGroupModel } from '../../core/models/index.js';
import { isUnknown } from '../../core/unknown.js';
import { locateInSource } from './locate-violation.js';
import type { MappedResource } from './mapped-resource.js';
import { TemplateInputError } from './template-error.js';
import { loadTerraformPlan, type TerraformMapping } from './terraform-plan.js';

function plan(name: string, options = {}): TerraformMapping {
  const file = new URL(`./fixtures/terraform/${name}`, import.meta.url);
  const mapping = loadTerraformPlan(readFileSync(file, 'utf8'), name, options);
  for (const mapped of mapping.resources) {
    for (const variant of mapped.variants) {
      const parsed = MODEL_SCHEMAS[variant.resource.type].safeParse(variant.resource.config);
      expect(parsed.success, `${mapped.sourceId}: ${parsed.error?.message ?? ''}`).toBe(true);
    }
  }
  return mapping;
}

function find(mapping: TerraformMapping, sourceId: string): MappedResource {
  const found = mapping.resources.find((resource) => resource.sourceId === sourceId);
  if (!found) throw new Error(`no ${sourceId} in ${mapping.resources.map((r) => r.sourceId).join(', ')}`);
  return found;
}

function config<T>(mapping: TerraformMapping, sourceId: string): T {
  return find(mapping, sourceId).variants[0]?.resource.config as T;
}

describe('security groups', () => {
  const mapping = plan('plan-security-groups.json');

  it('maps inline blocks, one rule per peer; Terraform removes the default egress rule', () => {
    const web = config<SecurityGroupModel>(mapping, 'aws_security_group.web');
    expect(web.rules).toEqual([
      { direction: 'ingress', protocol: 'tcp', fromPort: 22, toPort: 22, peer: { kind: 'ipv4', cidr: '0.0.0.0/0' }, description: 'ssh' },
      { direction: 'ingress', protocol: 'tcp', fromPort: 443, toPort: 443, peer: { kind: 'ipv6', cidr: '::/0' } },
    ]);
    expect(web.groupName).toBe('web');
    expect(web.vpcId).toBe('aws_vpc.main');
  });

  it('joins aws_security_group_rule by reference when ids are known only after apply', () => {
    const db = config<SecurityGroupModel>(mapping, 'aws_security_group.db');
    expect(db.rules).toEqual([
      { direction: 'ingress', protocol: 'tcp', fromPort: 5432, toPort: 5432, peer: { kind: 'security-group', groupId: 'aws_security_group.web' }, description: 'postgres from web' },
    ]);
  });

  it('a rule for a group outside the plan lands on a synthetic group', () => {
    const external = find(mapping, 'sg-0existing1234');
    expect(external.synthetic).toBe(true);
    expect((external.variants[0]?.resource.config as SecurityGroupModel).rules).toEqual([
      { direction: 'ingress', protocol: 'tcp', fromPort: 3389, toPort: 3389, peer: { kind: 'ipv4', cidr: '0.0.0.0/0' }, description: 'rdp' },
    ]);
  });

  it('follows module addresses, self references and vpc_security_group_*_rule resources', () => {
    const app = config<SecurityGroupModel>(mapping, 'module.app.aws_security_group.app');
    expect(app.rules).toEqual([
      expect.objectContaining({ direction: 'ingress', fromPort: 8080, peer: { kind: 'security-group', groupId: 'module.app.aws_security_group.app' } }),
      expect.objectContaining({ direction: 'egress', protocol: 'all', peer: { kind: 'ipv4', cidr: '0.0.0.0/0' } }),
      expect.objectContaining({ direction: 'egress', protocol: 'all', peer: { kind: 'prefix-list', prefixListId: 'pl-0123abcd' } }),
    ]);
  });

  it('uses real ids and ARNs of existing resources, skips deleted ones, reads the provider region', () => {
    const legacy = find(mapping, 'aws_security_group.legacy').variants[0]?.resource;
    expect(legacy?.id).toBe('sg-0old');
    expect(legacy?.arn).toBe('arn:aws:ec2:eu-west-1:111122223333:security-group/sg-0old');
    expect(legacy?.region).toBe('eu-west-1');
    expect(mapping.deleted).toEqual(['aws_security_group.old']);
    expect(mapping.unmappedTypes).toEqual({ aws_vpc: 1 });
  });

  it('locates a violation by resource address and attribute path', () => {
    const web = find(mapping, 'aws_security_group.web');
    expect(locateInSource(web, 0, ['rules', 1, 'peer'])).toEqual({
      file: 'plan-security-groups.json',
      sourcePath: ['aws_security_group.web', 'ingress', 1],
      address: 'aws_security_group.web',
      attribute: 'ingress[1]',
    });
    const db = find(mapping, 'aws_security_group.db');
    expect(locateInSource(db, 0, ['rules', 0, 'peer'])).toMatchObject({ address: 'aws_security_group_rule.db_from_web', attribute: 'source_security_group_id' });
  });
});

describe('S3 buckets', () => {
  const mapping = plan('plan-s3.json');

  it('joins the ACL and ownership resources by bucket name', () => {
    const logs = config<BucketModel>(mapping, 'aws_s3_bucket.logs');
    expect(logs.acl).toMatchObject({ grants: expect.arrayContaining([expect.objectContaining({ grantee: { kind: 'group', uri: 'http://acs.amazonaws.com/groups/s3/LogDelivery' }, permission: 'WRITE' })]) });
    expect(logs.objectOwnership).toBe('BucketOwnerPreferred');
    expect(logs.publicAccessBlock).toEqual({ blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true });
  });

  it('joins policy, public access block, encryption and versioning by reference when the name is unknown', () => {
    const site = find(mapping, 'aws_s3_bucket.site');
    const model = site.variants[0]?.resource.config as BucketModel;
    expect((model.policy as { Statement: Array<{ Principal: string }> }).Statement[0]?.Principal).toBe('*');
    expect(model.publicAccessBlock).toEqual({ blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: false, restrictPublicBuckets: false });
    expect(model.encryption).toEqual({ rules: [{ algorithm: 'aws:kms', bucketKeyEnabled: true }] });
    expect(model.versioning).toBe('Enabled');
    expect(site.variants[0]?.resource.id).toBe('aws_s3_bucket.site');
    expect(locateInSource(site, 0, ['publicAccessBlock', 'blockPublicPolicy'])).toMatchObject({ address: 'aws_s3_bucket_public_access_block.site', attribute: 'block_public_policy' });
  });

  it('joins count instances with their own bucket (same index)', () => {
    const [zero, one] = ['aws_s3_bucket.data[0]', 'aws_s3_bucket.data[1]'].map((id) => config<BucketModel>(mapping, id));
    expect(zero?.publicAccessBlock?.blockPublicPolicy).toBe(true);
    expect(one?.publicAccessBlock?.blockPublicPolicy).toBe(false);
  });

  it('reads inline (provider v3) settings when configured, and puts foreign policies on a synthetic bucket', () => {
    const legacy = config<BucketModel>(mapping, 'aws_s3_bucket.legacy');
    expect(legacy.acl).toMatchObject({ grants: expect.arrayContaining([expect.objectContaining({ grantee: { kind: 'group', uri: 'http://acs.amazonaws.com/groups/global/AllUsers' } })]) });
    expect(legacy.versioning).toBe('Enabled');
    expect(legacy.encryption).toEqual({ rules: [{ algorithm: 'AES256' }] });
    const partner = find(mapping, 'partner-dropbox');
    expect(partner.synthetic).toBe(true);
    const model = partner.variants[0]?.resource.config as BucketModel;
    expect(model.policy).not.toBeNull();
    expect(isUnknown(model.acl)).toBe(true);
    expect(Object.values(model.accountPublicAccessBlock ?? {}).every(isUnknown)).toBe(true);
  });
});

describe('instances, volumes, databases, tables', () => {
  const mapping = plan('plan-compute.json');

  it('maps an instance with its groups (by reference) and IMDS setting; block devices become volumes', () => {
    const web = config<{ securityGroupIds: string[]; metadataHttpTokens: string; volumes: unknown[] }>(mapping, 'aws_instance.web');
    expect(web.securityGroupIds).toEqual(['aws_security_group.web']);
    expect(web.metadataHttpTokens).toBe('required');
    expect(web.volumes).toHaveLength(2);
    const root = config<{ encrypted: unknown }>(mapping, 'aws_instance.web.root_block_device.0');
    expect(isUnknown(root.encrypted)).toBe(true);
    expect(config<{ encrypted: unknown }>(mapping, 'aws_instance.web.ebs_block_device.0').encrypted).toBe(true);
  });

  it('volume encryption: false as planned, unknown when computed', () => {
    expect(config<{ encrypted: unknown }>(mapping, 'aws_ebs_volume.scratch').encrypted).toBe(false);
    expect(isUnknown(config<{ encrypted: unknown }>(mapping, 'aws_ebs_volume.unset').encrypted)).toBe(true);
  });

  it('DB instances: planned values; a replica inherits encryption (unknown)', () => {
    expect(config(mapping, 'aws_db_instance.main')).toMatchObject({ dbInstanceIdentifier: 'main-db', publiclyAccessible: true, storageEncrypted: false, vpcSecurityGroupIds: ['aws_security_group.web'] });
    expect(isUnknown(config<{ storageEncrypted: unknown }>(mapping, 'aws_db_instance.replica').storageEncrypted)).toBe(true);
  });

  it('DynamoDB: AWS managed key when enabled without one; PITR from its block', () => {
    expect(config(mapping, 'aws_dynamodb_table.orders')).toMatchObject({ encryption: 'AWS_MANAGED', pointInTimeRecovery: true, deletionProtection: true });
    expect(config(mapping, 'aws_dynamodb_table.sessions')).toMatchObject({ encryption: 'AWS_OWNED', pointInTimeRecovery: false });
  });
});

describe('other inputs', () => {
  it('reads a state (values.root_module with child modules)', () => {
    const mapping = plan('state.json', { region: 'eu-west-1' });
    expect(config<SecurityGroupModel>(mapping, 'aws_security_group.open').rules[0]).toMatchObject({ protocol: 'tcp', fromPort: 0, toPort: 65535 });
    expect(find(mapping, 'module.data.aws_s3_bucket.b').variants[0]?.resource.arn).toBe('arn:aws:s3:::acme-b');
  });

  it('refuses what is not a plan with one clear InputError', () => {
    for (const [text, refusal] of [
      ['{"format_version": "1.2"}', 'not-a-template'],
      ['{"resource_changes": [', 'syntax'],
      ['\u0000\u0001', 'binary'],
    ] as const) {
      try {
        loadTerraformPlan(text, 'p.json');
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(TemplateInputError);
        expect((error as TemplateInputError).refusal).toBe(refusal);
      }
    }
  });

  it('without a configuration section, computed inline rules stay unknown', () => {
    const bare = { resource_changes: [{ address: 'aws_security_group.x', mode: 'managed', type: 'aws_security_group', change: { actions: ['create'], after: { name: 'x' }, after_unknown: { ingress: true, egress: true, id: true } } }] };
    const rules = (loadTerraformPlan(JSON.stringify(bare), 'bare.json').resources[0]?.variants[0]?.resource.config as SecurityGroupModel).rules;
    expect(rules.map((r) => [r.direction, isUnknown(r.protocol)])).toEqual([['ingress', true], ['egress', true]]);
  });

  it('tolerates odd shapes without throwing', () => {
    const odd = { resource_changes: [5, { address: 'aws_security_group.x', mode: 'managed', type: 'aws_security_group', change: { actions: ['create'], after: { ingress: [7, { cidr_blocks: 'x' }] }, after_unknown: 3 } }] };
    expect(loadTerraformPlan(JSON.stringify(odd), 'odd.json').resources).toHaveLength(1);
  });
});
