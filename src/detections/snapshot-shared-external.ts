// Detection snapshot-shared-external: an EBS snapshot, RDS snapshot or AMI shared outside trusted accounts, or made public.
import { accountOf, isObject, items, str, type CloudTrailRecord, type JsonObject } from '../sources/cloudtrail/record.js';
import { defineDetection } from './detection.js';

interface Share {
  readonly kind: 'EBS snapshot' | 'RDS snapshot' | 'RDS cluster snapshot' | 'AMI';
  readonly id: string;
  /** Account ids added, and 'all' for public. */
  readonly added: readonly string[];
}

/** EC2's {add: {items: [{userId} | {group: 'all'}]}} permission changes. */
function ec2Added(permission: unknown): string[] {
  if (!isObject(permission)) return [];
  const added: string[] = [];
  for (const item of items(permission.add ?? permission.Add)) {
    const user = str(item.userId) ?? str(item.UserId);
    const group = str(item.group) ?? str(item.Group);
    if (user) added.push(user);
    else if (group === 'all') added.push('all');
  }
  return added;
}

function rdsAdded(parameters: JsonObject): string[] {
  if (str(parameters.attributeName) !== 'restore') return [];
  const values = parameters.valuesToAdd;
  return Array.isArray(values) ? values.filter((value): value is string => typeof value === 'string') : [];
}

function shareOf(record: CloudTrailRecord): Share | undefined {
  const parameters = record.requestParameters;
  if (!parameters) return undefined;
  switch (record.eventName) {
    case 'ModifySnapshotAttribute': {
      const type = str(parameters.attributeType);
      if (type && type !== 'CREATE_VOLUME_PERMISSION' && type !== 'createVolumePermission') return undefined;
      return { kind: 'EBS snapshot', id: str(parameters.snapshotId) ?? '(unknown)', added: ec2Added(parameters.createVolumePermission) };
    }
    case 'ModifyImageAttribute': {
      const type = str(parameters.attributeType) ?? str(parameters.attribute);
      if (type && type !== 'launchPermission') return undefined;
      return { kind: 'AMI', id: str(parameters.imageId) ?? '(unknown)', added: ec2Added(parameters.launchPermission) };
    }
    case 'ModifyDBSnapshotAttribute':
      return { kind: 'RDS snapshot', id: str(parameters.dBSnapshotIdentifier) ?? '(unknown)', added: rdsAdded(parameters) };
    case 'ModifyDBClusterSnapshotAttribute':
      return { kind: 'RDS cluster snapshot', id: str(parameters.dBClusterSnapshotIdentifier) ?? '(unknown)', added: rdsAdded(parameters) };
    default:
      return undefined;
  }
}

export const snapshotSharedExternal = defineDetection({
  id: 'snapshot-shared-external',
  title: 'Snapshot or image shared outside trusted accounts, or made public',
  severity: 'high',
  rationale:
    'Sharing a snapshot or an AMI with another account hands over a full copy of the disk or database: a ' +
    'classic exfiltration step (Stratus Red Team ec2-share-ebs-snapshot, rds-share-snapshot, ec2-share-ami; ' +
    'MITRE T1537). Sharing with an account outside trustedAccounts (and not the owner) is reported; making it ' +
    'public ("all") is critical.',
  references: [
    'https://attack.mitre.org/techniques/T1537/',
    'https://stratus-red-team.cloud/attack-techniques/AWS/aws.exfiltration.ec2-share-ebs-snapshot/',
    'https://stratus-red-team.cloud/attack-techniques/AWS/aws.exfiltration.rds-share-snapshot/',
    'https://stratus-red-team.cloud/attack-techniques/AWS/aws.exfiltration.ec2-share-ami/',
  ],
  eventNames: ['ModifySnapshotAttribute', 'ModifyImageAttribute', 'ModifyDBSnapshotAttribute', 'ModifyDBClusterSnapshotAttribute'],
  match(record, context) {
    const share = shareOf(record);
    if (!share) return null;
    const own = accountOf(record);
    const outside = share.added.filter(
      (account) => account === 'all' || (account !== own && !context.trustedAccounts.includes(account)),
    );
    if (outside.length === 0) return null;
    const isPublic = outside.includes('all');
    const accounts = outside.filter((account) => account !== 'all');
    return {
      subject: share.id,
      message: `${share.kind} ${share.id} ${isPublic ? 'made public' : ''}${isPublic && accounts.length > 0 ? ' and ' : ''}${accounts.length > 0 ? `shared with ${accounts.join(', ')} (not trusted)` : ''}`,
      details: { kind: share.kind, id: share.id, public: isPublic, accounts },
      severity: isPublic ? 'critical' : 'high',
    };
  },
});
