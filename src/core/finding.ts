// A finding: one rule violated by one part of one resource, with a lifecycle across evaluations.
import crypto from 'node:crypto';
import type { ResourceTypeId } from './resource-types.js';
import type { Certainty, Severity } from './rule.js';

export type FindingStatus = 'open' | 'resolved' | 'justified';

/** Who made a change, from CloudTrail's userIdentity (set when a finding comes from an event). */
export interface Actor {
  readonly arn?: string;
  readonly type?: string;
  readonly accountId?: string;
  readonly principalId?: string;
  /** For an assumed-role session: the role (sessionContext.sessionIssuer) behind the session ARN. */
  readonly sessionIssuerArn?: string;
  readonly sourceIp?: string;
  readonly userAgent?: string;
  readonly eventId?: string;
  readonly eventName?: string;
  readonly eventTime?: string;
}

export interface FindingResourceRef {
  readonly type: ResourceTypeId;
  readonly account: string;
  readonly region: string;
  readonly id: string;
  readonly arn: string;
  readonly name?: string;
}

export interface Justification {
  readonly reason: string;
  /** ISO date; the finding returns to open after it. */
  readonly expires?: string;
  /** Where the exception came from (config entry, tag). */
  readonly source: string;
}

export interface Finding {
  readonly id: string;
  readonly ruleId: string;
  readonly severity: Severity;
  readonly certainty: Certainty;
  readonly status: FindingStatus;
  readonly resource: FindingResourceRef;
  readonly part: string;
  readonly message: string;
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly resolvedAt?: string;
  readonly justification?: Justification;
  readonly actor?: Actor;
  readonly eventId?: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

/**
 * sha256 as hex. One evaluation hashes once per finding (a hundred thousand over a large estate): Node's
 * one-shot crypto.hash (Node >= 20.12) skips the Hash object createHash builds and throws away each time.
 * Read through the default export, since a named import of it would fail to link on older Node 20.
 */
const sha256Hex: (text: string) => string =
  typeof crypto.hash === 'function'
    ? (text) => crypto.hash('sha256', text, 'hex')
    : (text) => crypto.createHash('sha256').update(text).digest('hex');

/** Stable finding id: the same rule, resource and offending part always give the same id. */
export function findingId(ruleId: string, resource: Pick<FindingResourceRef, 'type' | 'account' | 'region' | 'id'>, part: string): string {
  const hash = sha256Hex(`${ruleId}\u0000${resource.type}\u0000${resource.account}\u0000${resource.region}\u0000${resource.id}\u0000${part}`);
  return `f-${hash.slice(0, 20)}`;
}
