// Rules on real recorded API responses (Cloud Custodian placebo sessions, botocore-parsed): every recorded
// security group, bucket ACL, bucket policy and public access block, mapped to leuko's models.
import { describe, expect, it } from 'vitest';
import { compilePolicy, evaluate } from '../core/engine/index.js';
import { checkWith } from '../../test/support/rule-fixtures.js';
import {
  blockFromApi,
  bucketResource,
  grantsFromApi,
  securityGroupResource,
  type Json,
} from '../../test/support/aws-shapes.js';
import { placeboDir, placeboResponses } from '../../test/support/corpus-files.js';
import { unknownValue } from '../core/unknown.js';
import { s3PublicAccessBlockOff } from './s3-public-access-block-off.js';
import { s3PublicAcl } from './s3-public-acl.js';
import { s3PublicPolicy } from './s3-public-policy.js';

const available = placeboDir() !== undefined;
const WORLD = new Set(['0.0.0.0/0', '::/0']);
const FAMILY = ['sg-ingress-open-all', 'sg-ingress-open-admin', 'sg-ingress-open-db', 'sg-ingress-open-port'];

/**
 * An independent, deliberately naive reading of DescribeSecurityGroups: how many (permission, world range)
 * pairs expose something other than web ports 80/443 to the internet. The sg-ingress-open-* family must
 * report exactly that many, each once.
 */
function naiveWorldExposures(group: Json): number {
  let count = 0;
  for (const permission of (group.IpPermissions as Json[] | undefined) ?? []) {
    const protocol = String(permission.IpProtocol);
    if (protocol === 'icmp' || protocol === '1' || protocol === 'icmpv6' || protocol === '58') continue;
    const ranges = [
      ...((permission.IpRanges as Json[] | undefined) ?? []).map((range) => range.CidrIp),
      ...((permission.Ipv6Ranges as Json[] | undefined) ?? []).map((range) => range.CidrIpv6),
    ];
    const from = typeof permission.FromPort === 'number' ? permission.FromPort : 0;
    const to = typeof permission.ToPort === 'number' ? permission.ToPort : 65535;
    const onlyWeb =
      (protocol === 'tcp' || protocol === '6') &&
      ((from === 80 && to === 80) || (from === 443 && to === 443));
    for (const cidr of ranges) if (WORLD.has(String(cidr)) && !onlyWeb) count++;
  }
  return count;
}

describe.skipIf(!available)('rules on recorded API responses (cloud-custodian placebo)', () => {
  it('security groups: the world-ingress family reports each exposure exactly once, as a naive reading counts them', () => {
    const responses = placeboResponses('ec2.DescribeSecurityGroups') ?? [];
    const policy = compilePolicy({ rules: { 'sg-egress-open-all': true } });
    let groups = 0;
    let exposures = 0;
    let defaults = 0;
    const seen = new Set<string>();
    for (const response of responses) {
      for (const group of (response.data.SecurityGroups as Json[] | undefined) ?? []) {
        const resource = securityGroupResource(group);
        const key = `${response.name}|${resource.id}`;
        if (seen.has(key)) continue;
        seen.add(key);
        groups++;
        const result = evaluate([resource], policy);
        expect(result.failures, key).toEqual([]);
        const family = result.candidates.filter((candidate) => FAMILY.includes(candidate.ruleId));
        const expected = naiveWorldExposures(group);
        expect(family.length, `${key}: ${family.map((candidate) => candidate.message).join('; ')}`).toBe(
          expected,
        );
        // One security-group rule, one finding: no part is reported by two rules of the family.
        expect(new Set(family.map((candidate) => candidate.part)).size).toBe(family.length);
        exposures += expected;
        const isDefaultWithRules = group.GroupName === 'default' && resource.config.rules.length > 0;
        expect(result.candidates.some((candidate) => candidate.ruleId === 'sg-default-has-rules')).toBe(
          isDefaultWithRules,
        );
        if (isDefaultWithRules) defaults++;
      }
    }
    console.log(
      `placebo: ${groups} recorded security groups, ${exposures} world exposures, ${defaults} default groups with rules`,
    );
    expect(groups).toBeGreaterThan(100);
    expect(exposures).toBeGreaterThan(0);
  });

  it('recorded groups: all traffic from the world is critical, SSH from the world is high, 443 from 10.42.1.0/24 is clean', () => {
    const responses = placeboResponses('ec2.DescribeSecurityGroups') ?? [];
    const groupOf = (name: string, id: string): Json =>
      (
        (responses.find((response) => response.name === name)?.data.SecurityGroups as Json[] | undefined) ??
        []
      ).find((group) => group.GroupId === id)!;
    const policy = compilePolicy();
    const idsOf = (group: Json) =>
      evaluate([securityGroupResource(group)], policy).candidates.map((candidate) => [
        candidate.ruleId,
        candidate.severity,
      ]);
    expect(
      idsOf(
        groupOf(
          'ec2_security_group_filter_multi_enis/ec2.DescribeSecurityGroups_1.json',
          'sg-08866faa10e9a51ef',
        ),
      ),
    ).toContainEqual(['sg-ingress-open-all', 'critical']);
    expect(
      idsOf(
        groupOf('test_only_ports_and_cidr_ingress/ec2.DescribeSecurityGroups_1.json', 'sg-0d40e803b8b644e79'),
      ),
    ).toContainEqual(['sg-ingress-open-admin', 'high']);
    expect(
      idsOf(groupOf('test_security_group_cidr_ingress/ec2.DescribeSecurityGroups_1.json', 'sg-2f8e3b5e')),
    ).toEqual([]);
  });

  it('bucket ACLs: exactly the recorded AllUsers/AuthenticatedUsers grants are reported', () => {
    const responses = (placeboResponses('s3.GetBucketAcl') ?? []).filter(
      (response) => response.status === 200,
    );
    const publicOnes = new Set([
      'test_s3_global_grants_filter/s3.GetBucketAcl_3.json',
      'test_s3_global_grants_filter/s3.GetBucketAcl_7.json',
      'test_s3_grants/s3.GetBucketAcl_1.json',
      'test_s3_normalize/s3.GetBucketAcl_1.json',
    ]);
    expect(responses.length).toBeGreaterThanOrEqual(15);
    for (const response of responses) {
      const bucket = bucketResource('b', { acl: { grants: grantsFromApi(response.data.Grants) } });
      const violations = checkWith(s3PublicAcl, bucket);
      expect(violations.length > 0, response.name).toBe(publicOnes.has(response.name));
      // Neutralised as S3 does: the same ACL under IgnorePublicAcls, or with ACLs disabled, is not reported.
      const ignored = {
        ...bucket,
        config: { ...bucket.config, accountPublicAccessBlock: blockFromApi({ IgnorePublicAcls: true }) },
      };
      expect(checkWith(s3PublicAcl, ignored)).toEqual([]);
      const enforced = { ...bucket, config: { ...bucket.config, objectOwnership: 'BucketOwnerEnforced' } };
      expect(checkWith(s3PublicAcl, enforced)).toEqual([]);
    }
    const normalize = responses.find(
      (response) => response.name === 'test_s3_normalize/s3.GetBucketAcl_1.json',
    )!;
    expect(
      checkWith(
        s3PublicAcl,
        bucketResource('b', { acl: { grants: grantsFromApi(normalize.data.Grants) } }),
      ).map((v) => v.part),
    ).toEqual(['grant:group:AuthenticatedUsers:READ']);
  });

  it('bucket policies: only the recorded Allow-"*" without a restricting condition is public', () => {
    const responses = (placeboResponses('s3.GetBucketPolicy') ?? []).filter(
      (response) => response.status === 200,
    );
    // test_s3_no_encryption_statement allows "*" on any unencrypted put: a condition on encryption restricts
    // nothing about who. Access-point delegation (s3:DataAccessPointAccount) and CloudTrail's service
    // principal are not public, as AWS itself judges them.
    const publicOnes = new Set(['test_s3_no_encryption_statement/s3.GetBucketPolicy_3.json']);
    expect(responses.length).toBeGreaterThanOrEqual(20);
    for (const response of responses) {
      const bucket = bucketResource('b', { policy: String(response.data.Policy) });
      const violations = checkWith(s3PublicPolicy, bucket);
      expect(violations.length > 0, response.name).toBe(publicOnes.has(response.name));
      if (violations.length > 0) expect(violations[0]?.certainty).toBe('definite');
      // RestrictPublicBuckets neutralises it.
      const restricted = {
        ...bucket,
        config: { ...bucket.config, publicAccessBlock: blockFromApi({ RestrictPublicBuckets: true }) },
      };
      expect(checkWith(s3PublicPolicy, restricted)).toEqual([]);
    }
  });

  it('bucket policies naming other accounts are reported when flagUntrustedAccounts is on, unless trusted', () => {
    const response = (placeboResponses('s3.GetBucketPolicy') ?? []).find(
      (item) => item.name === 'test_s3_encrypt_policy/s3.GetBucketPolicy_3.json',
    )!;
    const bucket = bucketResource('b', { policy: String(response.data.Policy) }, { account: '644160558196' });
    const flagged = checkWith(s3PublicPolicy, bucket, { flagUntrustedAccounts: true });
    expect(flagged.map((violation) => violation.details?.kind)).toEqual(['untrusted', 'untrusted']);
    expect(
      checkWith(
        s3PublicPolicy,
        bucket,
        { flagUntrustedAccounts: true },
        { trustedAccounts: ['086441151436', '113285607260'] },
      ),
    ).toEqual([]);
  });

  it('public access blocks: recorded 200/404/403 answers', () => {
    const responses = placeboResponses('s3.GetPublicAccessBlock') ?? [];
    expect(responses.length).toBeGreaterThanOrEqual(14);
    let definite = 0;
    let possible = 0;
    let clean = 0;
    for (const response of responses) {
      const config = response.data.PublicAccessBlockConfiguration as Json | undefined;
      const code = (response.data.Error as Json | undefined)?.Code;
      // 404 NoSuchPublicAccessBlockConfiguration: no block. 403: leuko could not read it -> unknown.
      const block =
        response.status === 200
          ? blockFromApi(config)
          : code === 'NoSuchPublicAccessBlockConfiguration'
            ? null
            : {
                blockPublicAcls: unknownValue('AccessDenied'),
                ignorePublicAcls: unknownValue('AccessDenied'),
                blockPublicPolicy: unknownValue('AccessDenied'),
                restrictPublicBuckets: unknownValue('AccessDenied'),
              };
      const [violation] = checkWith(
        s3PublicAccessBlockOff,
        bucketResource('b', { publicAccessBlock: block }),
      );
      const allOn = response.status === 200 && Object.values(config ?? {}).every((flag) => flag === true);
      if (allOn) {
        expect(violation, response.name).toBeUndefined();
        clean++;
      } else if (response.status === 403) {
        expect(violation?.certainty, response.name).toBe('possible');
        possible++;
      } else {
        expect(violation?.certainty, response.name).toBe('definite');
        definite++;
      }
    }
    expect(clean).toBeGreaterThan(0);
    expect(possible).toBe(1);
    expect(definite).toBeGreaterThan(0);
  });
});
