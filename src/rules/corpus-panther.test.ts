// Rules on real recorded resources: Panther's policy test snapshots, mapped to leuko's models, must get the
// same verdict from the leuko rule of matching meaning. Where the meanings differ the case is listed with
// the reason, and the test checks that it really does differ (so the list cannot rot).
import { describe, expect, it } from 'vitest';
import type { Resource } from '../core/resource.js';
import type { RuleDefinition, Violation } from '../core/rule.js';
import { CONTEXT, checkWith } from '../../test/support/rule-fixtures.js';
import {
  pantherBucket,
  pantherDbInstance,
  pantherDbSnapshots,
  pantherVolume,
  securityGroupResource,
  type Json,
} from '../../test/support/aws-shapes.js';
import { pantherPolicyTests } from '../../test/support/corpus-files.js';
import { ebsUnencrypted } from './ebs-unencrypted.js';
import { rdsPublic } from './rds-public.js';
import { rdsSnapshotPublic } from './rds-snapshot-public.js';
import { rdsUnencrypted } from './rds-unencrypted.js';
import { s3PublicAccessBlockOff } from './s3-public-access-block-off.js';
import { s3PublicAcl } from './s3-public-acl.js';
import { s3PublicPolicy } from './s3-public-policy.js';
import { sgIngressOpenAdmin } from './sg-ingress-open-admin.js';
import { sgIngressOpenAll } from './sg-ingress-open-all.js';

interface Comparison {
  /** What of leuko's answer corresponds to the Panther policy. */
  readonly meaning: string;
  readonly rules: ReadonlyArray<RuleDefinition<unknown>>;
  readonly resources: (resource: Json) => Resource[];
  /** Which violations count as "Panther's policy fails" (default: any definite one). */
  readonly counts?: (violation: Violation) => boolean;
  /** test_name -> why leuko's answer differs on purpose. */
  readonly differences?: Readonly<Record<string, string>>;
}

const permissionIs =
  (...permissions: string[]) =>
  (violation: Violation) =>
    permissions.includes(String(violation.details?.permission));

const COMPARISONS: Readonly<Record<string, Comparison>> = {
  'AWS.S3.Bucket.PublicRead': {
    meaning: 's3-public-acl, counting READ and FULL_CONTROL grants (leuko reports every public grant)',
    rules: [s3PublicAcl],
    resources: (r) => [pantherBucket(r)],
    counts: permissionIs('READ', 'FULL_CONTROL'),
  },
  'AWS.S3.Bucket.PublicWrite': {
    meaning: 's3-public-acl, counting WRITE and FULL_CONTROL grants',
    rules: [s3PublicAcl],
    resources: (r) => [pantherBucket(r)],
    counts: permissionIs('WRITE', 'FULL_CONTROL'),
  },
  'AWS.S3.Bucket.PrincipalRestrictions': {
    meaning: 's3-public-policy',
    rules: [s3PublicPolicy],
    resources: (r) => [pantherBucket(r)],
  },
  'AWS.S3.Bucket.PolicyAllowWithNotPrincipal': {
    meaning:
      's3-public-policy, counting Allow+NotPrincipal statements (the fixtures also hold a Principal "*" statement)',
    rules: [s3PublicPolicy],
    resources: (r) => [pantherBucket(r)],
    counts: (violation) => violation.details?.reason === 'Allow with NotPrincipal',
  },
  'AWS.S3.Bucket.PublicAccessBlock': {
    meaning: 's3-public-access-block-off',
    rules: [s3PublicAccessBlockOff],
    resources: (r) => [pantherBucket(r)],
    differences: {
      'Public Access Block Configuration Is Set':
        'Panther passes any configuration that exists; leuko wants all four settings on (here two are off)',
    },
  },
  'AWS.RDS.Instance.PublicAccess': {
    meaning: 'rds-public',
    rules: [rdsPublic],
    resources: (r) => [pantherDbInstance(r)],
  },
  'AWS.RDS.Instance.Encryption': {
    meaning: 'rds-unencrypted',
    rules: [rdsUnencrypted],
    resources: (r) => [pantherDbInstance(r)],
    differences: {
      'KMS Key Does Not Exist':
        'Panther also demands a KmsKeyId; leuko trusts StorageEncrypted, which is what encryption at rest means (AWS always sets the key id of an encrypted instance, so this fixture cannot occur)',
    },
  },
  'AWS.RDS.Instance.SnapshotPublicAccess': {
    meaning: 'rds-snapshot-public over the instance snapshots',
    rules: [rdsSnapshotPublic],
    resources: (r) => pantherDbSnapshots(r),
  },
  'AWS.EC2.Volume.Encryption': {
    meaning: 'ebs-unencrypted',
    rules: [ebsUnencrypted],
    resources: (r) => [pantherVolume(r)],
  },
  'AWS.EC2.CDEVolumeEncrypted': {
    meaning: 'ebs-unencrypted (Panther scopes it to PCI-tagged volumes; the fixtures agree either way)',
    rules: [ebsUnencrypted],
    resources: (r) => [pantherVolume(r)],
  },
  'AWS.SecurityGroup.AdministrativeIngress': {
    meaning:
      'sg-ingress-open-all or sg-ingress-open-admin (all traffic from the world exposes the admin ports too)',
    rules: [sgIngressOpenAll, sgIngressOpenAdmin],
    resources: (r) => [securityGroupResource(r)],
    differences: {
      'Inbound IP Permission On All IPs On Acceptable Ports':
        'IpProtocol "-1" is all traffic on every port in AWS, whatever FromPort/ToPort say (AWS never returns ports with -1); Panther reads the ports 30-45',
    },
  },
};

const tests = pantherPolicyTests();

describe.skipIf(!tests)('rules agree with Panther policy labels (real resource snapshots)', () => {
  const relevant = (tests ?? []).filter((test) => test.rule_id in COMPARISONS);
  const tally = { cases: 0, agree: 0, documented: 0, possible: 0 };

  it('covers the comparable policies', () => {
    expect(new Set(relevant.map((test) => test.rule_id)).size).toBe(Object.keys(COMPARISONS).length);
  });

  for (const test of relevant) {
    const comparison = COMPARISONS[test.rule_id]!;
    it(`${test.rule_id} / ${test.test_name} (Panther: ${test.expected_result ? 'compliant' : 'non-compliant'})`, () => {
      const violations = comparison
        .resources(test.resource)
        .flatMap((resource) =>
          comparison.rules.flatMap((rule) => checkWith(rule, resource, undefined, CONTEXT)),
        );
      const counted = violations.filter(comparison.counts ?? (() => true));
      const leukoFails = counted.some((violation) => violation.certainty === 'definite');
      const pantherFails = !test.expected_result;
      const difference = comparison.differences?.[test.test_name];
      tally.cases++;
      if (violations.some((violation) => violation.certainty === 'possible')) tally.possible++;
      if (difference) {
        // A documented difference must still be one; if the rules converge, drop it from the list.
        expect(leukoFails, difference).not.toBe(pantherFails);
        tally.documented++;
      } else {
        expect(leukoFails, comparison.meaning).toBe(pantherFails);
        tally.agree++;
      }
    });
  }

  it('summary', () => {
    console.log(
      `Panther agreement: ${tally.agree}/${tally.cases} cases agree, ${tally.documented} documented differences, ` +
        `${tally.possible} answered "possible" (unknown in the snapshot), over ${Object.keys(COMPARISONS).length} policies`,
    );
    expect(tally.agree + tally.documented).toBe(tally.cases);
  });
});
