// Shared helpers for the remediation tests: a store in a temp dir, config from YAML text, a capturing alert sink.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateSecurityGroupCommand, AuthorizeSecurityGroupIngressCommand, DescribeSecurityGroupRulesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { parseConfigText } from '../../src/config/load-config.js';
import { loadPolicy } from '../../src/config/load-policy.js';
import type { Policy } from '../../src/core/engine/index.js';
import type { Alert, AlertSink } from '../../src/notify/alert.js';
import type { RemediationSettings } from '../../src/remediation/remediation-config.js';
import { loadRemediationSettings } from '../../src/remediation/load-remediation.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { defaultVpcId } from '../actions/support.js';

export function tempDir(prefix = 'leuko-remediation-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export async function tempStore(): Promise<{ store: Store; path: string }> {
  const path = join(tempDir(), 'leuko.db');
  return { store: await openSqliteStore(path), path };
}

export function configFrom(yaml: string): { policy: Policy; settings: RemediationSettings } {
  const loaded = parseConfigText(yaml, 'leuko.yaml');
  return { policy: loadPolicy(loaded), settings: loadRemediationSettings(loaded) };
}

export interface CapturingSink extends AlertSink {
  readonly alerts: Alert[];
}

export function capturingSink(): CapturingSink {
  const alerts: Alert[] = [];
  return {
    alerts,
    send: async (batch) => {
      alerts.push(...batch);
    },
    flush: async () => {},
    close: async () => {},
  };
}

/** A clock the test moves by hand (lease expiry, backoff). */
export function manualClock(start = new Date()): { now: () => Date; advance: (ms: number) => void } {
  let current = start.getTime();
  return { now: () => new Date(current), advance: (ms) => (current += ms) };
}

/** A group with a world-open SSH rule and an internal HTTPS rule; answers its id. */
export async function plantOpenSshGroup(ec2: EC2Client, name: string, tags: Record<string, string> = {}): Promise<string> {
  const vpcId = await defaultVpcId(ec2);
  const tagList = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
  const created = await ec2.send(
    new CreateSecurityGroupCommand({
      GroupName: name,
      Description: name,
      VpcId: vpcId,
      ...(tagList.length ? { TagSpecifications: [{ ResourceType: 'security-group', Tags: tagList }] } : {}),
    }),
  );
  const groupId = created.GroupId!;
  await ec2.send(
    new AuthorizeSecurityGroupIngressCommand({
      GroupId: groupId,
      IpPermissions: [
        { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
        { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.0.0.0/8' }] },
      ],
    }),
  );
  return groupId;
}

/** The group's ingress rules as "proto port cidr" lines, sorted. */
export async function ingressOf(ec2: EC2Client, groupId: string): Promise<string[]> {
  const output = await ec2.send(
    new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [groupId] }] }),
  );
  return (output.SecurityGroupRules ?? [])
    .filter((rule) => rule.IsEgress === false)
    .map((rule) => `${rule.IpProtocol} ${rule.FromPort} ${rule.CidrIpv4 ?? rule.CidrIpv6 ?? rule.ReferencedGroupInfo?.GroupId}`)
    .sort();
}
