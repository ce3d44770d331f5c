// Labelled corpus cases (Checkov, cfn_nag, CloudFormation Guard rules registry): leuko check agrees on the labels whose meaning matches a leuko rule.
//
// Corpus files are read in place (never copied). A label is FINDING when the other tool reports the
// file (any resource) for that rule; leuko agrees when one of the mapped rules reports the file, a
// 'possible' finding counting as a finding (it is one a reviewer must look at).
//
// Label ids compared, and the leuko view used:
//   Checkov   CKV_AWS_25 (RDP from 0.0.0.0/0)  -> sg-ingress-open-admin with ports [3389], the other tiers off
//             CKV_AWS_260 (port 80 from world)  -> sg-ingress-open-port with every port but 80 allowed, the other
//                                                 tiers off (80 is allowed by default in leuko: documented choice)
//             CKV_AWS_16 / CKV_AWS_17 / CKV_AWS_28 -> rds-unencrypted / rds-public / dynamodb-no-pitr
//             (CKV_AWS_24, SSH, has no labelled case in this corpus.)
//   cfn_nag   W2 (world ingress)                -> any sg-ingress-open-* with no port allowed
//             F1000 (no egress rule: all outbound allowed) -> sg-egress-open-all (AWS's default egress rule)
//             F1 / F27 / F22 / W78              -> ebs-unencrypted / rds-unencrypted / rds-public / dynamodb-no-pitr
//   Guard     INCOMING_SSH_DISABLED             -> sg-ingress-open-admin with ports [22], the other tiers off
//             EC2_SECURITY_GROUP_INGRESS_OPEN_TO_WORLD_RULE -> as W2
//             S3_BUCKET_PUBLIC_READ/WRITE_PROHIBITED -> s3-public-acl, s3-public-policy, s3-public-access-block-off
//             RDS_STORAGE_ENCRYPTED / RDS_INSTANCE_PUBLIC_ACCESS_CHECK / DYNAMODB_PITR_ENABLED
//                                               -> rds-unencrypted / rds-public / dynamodb-no-pitr
// Not compared, meaning differs: cfn_nag W5 and Guard EC2_SECURITY_GROUP_EGRESS_OPEN_TO_WORLD_RULE flag any
// egress rule to the world on any port; sg-egress-open-all is about all-traffic egress only. W9, W27, W42
// and the Guard port-range / description rules judge rule hygiene leuko does not have a rule for.
// Labels UNKNOWN (Checkov) and NOT_APPLICABLE / SKIP (Guard: no such resource, or a Guard suppression) are left out.
//
// Every disagreement is listed below with its category; the test fails on any other, so a change in
// behaviour on these cases is seen. None is a leuko bug left unfixed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkText } from '../../src/check/index.js';
import { compilePolicy, type Policy } from '../../src/core/engine/index.js';
import { corpusPath } from '../harness/corpus.js';

const TIERS = ['sg-ingress-open-all', 'sg-ingress-open-admin', 'sg-ingress-open-db', 'sg-ingress-open-port'];
const only = (rule: string, settings: Record<string, unknown>) =>
  compilePolicy({ rules: Object.fromEntries(TIERS.map((id) => [id, id === rule ? settings : false])) });

const VIEWS: Readonly<Record<string, { policy: Policy; rules: readonly string[] }>> = {
  rdp: { policy: only('sg-ingress-open-admin', { ports: [3389] }), rules: ['sg-ingress-open-admin'] },
  ssh: { policy: only('sg-ingress-open-admin', { ports: [22] }), rules: ['sg-ingress-open-admin'] },
  http: { policy: only('sg-ingress-open-port', { allowedPorts: ['0-79', '81-65535'] }), rules: ['sg-ingress-open-port'] },
  world: { policy: compilePolicy({ rules: { 'sg-ingress-open-port': { allowedPorts: [] } } }), rules: TIERS },
  egress: { policy: compilePolicy({ rules: { 'sg-egress-open-all': true } }), rules: ['sg-egress-open-all'] },
  ebs: { policy: compilePolicy(), rules: ['ebs-unencrypted'] },
  rdsEnc: { policy: compilePolicy(), rules: ['rds-unencrypted'] },
  rdsPublic: { policy: compilePolicy(), rules: ['rds-public'] },
  pitr: { policy: compilePolicy(), rules: ['dynamodb-no-pitr'] },
  s3: { policy: compilePolicy(), rules: ['s3-public-acl', 's3-public-policy', 's3-public-access-block-off'] },
};

interface LabelSet {
  readonly dir: string;
  readonly ruleColumn: string;
  readonly views: Readonly<Record<string, keyof typeof VIEWS>>;
  /** Agreement at or above this; see the disagreements for why it is not 1. */
  readonly minAgreement: number;
  /** "file|label id" -> why leuko answers otherwise. */
  readonly disagreements: Readonly<Record<string, string>>;
}

const LABEL_SETS: readonly LabelSet[] = [
  {
    dir: 'checkov-cfn-tests',
    ruleColumn: 'check_id',
    views: { CKV_AWS_25: 'rdp', CKV_AWS_260: 'http', CKV_AWS_16: 'rdsEnc', CKV_AWS_17: 'rdsPublic', CKV_AWS_28: 'pitr' },
    minAgreement: 0.9,
    disagreements: {
      'checks/resource/aws/example_RDSPubliclyAccessible/RDSPubliclyAccessible-PASSED.yaml|CKV_AWS_17':
        'semantics differ: PubliclyAccessible left out is decided by RDS from the VPC (public in a default VPC); leuko says possible, Checkov passes it',
    },
  },
  {
    dir: 'cfn_nag-test-templates',
    ruleColumn: 'rule_id',
    views: { W2: 'world', F1000: 'egress', F1: 'ebs', F27: 'rdsEnc', F22: 'rdsPublic', W78: 'pitr' },
    minAgreement: 0.95,
    disagreements: {},
  },
  {
    dir: 'guard-rules-registry-cases',
    ruleColumn: 'rule',
    views: {
      INCOMING_SSH_DISABLED: 'ssh',
      EC2_SECURITY_GROUP_INGRESS_OPEN_TO_WORLD_RULE: 'world',
      S3_BUCKET_PUBLIC_READ_PROHIBITED: 's3',
      S3_BUCKET_PUBLIC_WRITE_PROHIBITED: 's3',
      RDS_STORAGE_ENCRYPTED: 'rdsEnc',
      RDS_INSTANCE_PUBLIC_ACCESS_CHECK: 'rdsPublic',
      DYNAMODB_PITR_ENABLED: 'pitr',
    },
    // Lower: Guard's S3 rules predate S3's 2023 defaults and its cases include a malformed template; each listed.
    minAgreement: 0.65,
    disagreements: {
      'amazon_ec2/restricted_ssh/case_03.yaml|INCOMING_SSH_DISABLED':
        'semantics differ: the second rule\'s key is misspelt (IpProtocol"), so its protocol is unknown and 0-65535 from 0.0.0.0/0 may include SSH; leuko says possible (an unknown never passes), Guard passes it',
      'amazon_rds/rds_storage_encrypted/case_02.yaml|RDS_STORAGE_ENCRYPTED':
        'semantics differ: a read replica (SourceDBInstanceIdentifier) inherits its source\'s encryption and CloudFormation ignores StorageEncrypted on it; the source is outside the template, so leuko says possible',
      'amazon_s3/s3_bucket_public_read_prohibited/case_04.yaml|S3_BUCKET_PUBLIC_READ_PROHIBITED':
        'semantics differ: no PublicAccessBlockConfiguration means all four flags on since April 2023; Guard requires them written',
      'amazon_s3/s3_bucket_public_write_prohibited/case_04.yaml|S3_BUCKET_PUBLIC_WRITE_PROHIBITED':
        'semantics differ: as above, the 2023 S3 defaults',
    },
  },
];

/** RFC 4180 CSV (quoted fields, doubled quotes, newlines inside quotes). */
function parseCsv(text: string): Array<Record<string, string>> {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index += 1;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else if (char !== '\r') field += char;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  const [header = [], ...body] = rows;
  return body.map((values) => Object.fromEntries(header.map((name, index) => [name, values[index] ?? ''])));
}

const templatesDir = corpusPath('cfn-templates');

describe.skipIf(templatesDir === undefined)('labelled corpus cases', () => {
  for (const set of LABEL_SETS) {
    it(`${set.dir}: agrees on the labels whose meaning matches a leuko rule`, () => {
      const dir = join(templatesDir as string, set.dir);
      // One expectation per (file, label id): FINDING if any row of it is.
      const expected = new Map<string, string>();
      for (const row of parseCsv(readFileSync(join(dir, 'LABELS.csv'), 'utf8'))) {
        const labelId = row[set.ruleColumn] ?? '';
        if (!(labelId in set.views)) continue;
        const key = `${row.file}|${labelId}`;
        if (expected.get(key) !== 'FINDING') expected.set(key, row.expected_normalized ?? '');
      }
      const disagreements: Record<string, string> = {};
      let compared = 0;
      const certainties: Record<string, number> = {};
      for (const [key, label] of expected) {
        if (label !== 'FINDING' && label !== 'NO_FINDING') continue;
        const [file = '', labelId = ''] = key.split('|');
        const view = VIEWS[set.views[labelId]!]!;
        const report = checkText(readFileSync(join(dir, file), 'utf8'), file, { policy: view.policy, keepSource: false });
        expect(report.status, `${file}: ${report.problems.map((problem) => problem.message).join('; ')}`).toBe('checked');
        const findings = report.findings.filter((finding) => view.rules.includes(finding.ruleId));
        for (const finding of findings) certainties[finding.certainty] = (certainties[finding.certainty] ?? 0) + 1;
        const got = findings.length > 0 ? 'FINDING' : 'NO_FINDING';
        compared += 1;
        if (got !== label) disagreements[key] = `expected ${label}, leuko ${got} (${findings.map((finding) => finding.certainty).join(', ') || 'none'})`;
      }
      const agreement = (compared - Object.keys(disagreements).length) / compared;
      console.log(
        `${set.dir}: ${compared - Object.keys(disagreements).length}/${compared} agree (${(agreement * 100).toFixed(1)}%); leuko findings by certainty ${JSON.stringify(certainties)}`,
      );
      expect(compared).toBeGreaterThanOrEqual(10);
      expect(Object.keys(disagreements).sort()).toEqual(Object.keys(set.disagreements).sort());
      expect(agreement).toBeGreaterThanOrEqual(set.minAgreement);
    });
  }
});
