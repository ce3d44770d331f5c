// The store contract: configuration history, scans and findings behind one async interface (SQLite now, PostgreSQL next).
import { createHash } from 'node:crypto';
import { canonicalJson } from '../core/diff.js';
import type { Actor, Finding, FindingStatus } from '../core/finding.js';
import type { AnyResource, Resource } from '../core/resource.js';
import type { ResourceTypeId } from '../core/resource-types.js';
import type { Severity } from '../core/rule.js';
import type { TaskStore } from '../remediation/task-store.js';

/*
 * What any backend (src/store/postgres-store.ts next) must honour, because callers and tests rely on it:
 *
 * - Atomicity. applyListing, recordResource, markDeleted and saveFindings each run in ONE transaction:
 *   after a crash a listing's scope is entirely before or entirely after it. In PostgreSQL, serialise
 *   writers of one resource (two scanners on one scope, a scan racing a CloudTrail re-read) with
 *   `SELECT … FOR UPDATE` on the scope's rows or a transaction-level advisory lock on the scope, so
 *   version numbers never collide; the primary key (resource_key, version) is the last line of defence.
 * - Versions. Per resource, 1, 2, 3… with no gaps, in the order written (not by `at`, which comes from
 *   clocks and CloudTrail and may run backwards). A new version only when the content hash changes, or
 *   on deletion, or on reappearance after a deletion. A deletion is a version with no content.
 * - Hash. `resourceContent()` below: sha256 of the canonical JSON (sorted keys, no whitespace) of
 *   {arn, name, tags, config}, computed in the application, never by the database (jsonb reorders keys
 *   and would change it). The stored body is that same canonical text.
 * - Order. Keys compare byte-wise: in PostgreSQL declare the key columns `COLLATE "C"` (or ORDER BY …
 *   COLLATE "C"), or keyset pagination in iterateResources will skip or repeat rows.
 * - Streaming. iterateResources never materialises the whole set: keyset pagination (WHERE key > $last
 *   ORDER BY key LIMIT n) or a server-side cursor; memory is bounded by the batch size.
 * - Timestamps. ISO-8601 UTC text as given (`2025-01-31T12:00:00.000Z`): stored and returned unchanged,
 *   so text order is time order. JSON columns are TEXT (or jsonb) but round-trip to equal values.
 * - Empty filters. An empty array in a filter matches nothing; an omitted one matches everything.
 * - Errors. Failures surface as StoreError (code STORE) with the driver error as `cause`.
 * - Schema. Same migration numbers as src/store/migrations.ts, recorded in `schema_version`; refuse a
 *   database whose schema is newer than the code.
 */

/** What one listing covers. Resources of this scope that are stored and not in the listing are deleted. */
export interface ListingScope {
  readonly type: ResourceTypeId;
  readonly account: string;
  /**
   * The region listed. An account-wide listing (S3 lists every bucket of the account at once) passes the
   * regions it covers, so the whole listing is one transaction and buckets of uncovered regions are kept.
   */
  readonly region: string | readonly string[];
}

export interface ApplyListingOptions {
  readonly scanId: string;
  /** When the listing was read (ISO-8601); stamps new versions, deletions and last_seen. */
  readonly at: string;
}

/** Resource keys (see resourceKey in core/resource.ts) by what happened to them. */
export interface ListingResult {
  readonly created: string[];
  readonly modified: string[];
  readonly deleted: string[];
  readonly unchanged: number;
}

export type VersionChange = 'created' | 'modified' | 'deleted';

export interface RecordOptions {
  readonly at: string;
  /** Who caused the change (CloudTrail userIdentity), kept on the version. */
  readonly actor?: Actor;
  readonly scanId?: string;
}

export interface RecordResult {
  /** 'created' also for a resource that reappears after it was deleted; 'unchanged' writes no version. */
  readonly change: VersionChange | 'unchanged';
  readonly version: number;
}

/** The latest known state of one resource. */
export interface StoredResource {
  readonly key: string;
  /** Latest version number (a deletion is a version too). */
  readonly version: number;
  /** Hash of `resource` (the last content seen, also when deleted). */
  readonly hash: string;
  readonly firstSeen: string;
  readonly lastSeen: string;
  /** Set when the resource is gone; `resource` is then its last content before the deletion. */
  readonly deletedAt?: string;
  readonly resource: AnyResource;
}

/** One entry of a resource's history. */
export interface ResourceVersion {
  readonly key: string;
  readonly version: number;
  readonly at: string;
  readonly change: VersionChange;
  /** null for a deletion. */
  readonly hash: string | null;
  readonly resource: AnyResource | null;
  readonly actor?: Actor;
  readonly scanId?: string;
}

export interface ResourceFilter {
  readonly types?: readonly ResourceTypeId[];
  readonly accounts?: readonly string[];
  readonly regions?: readonly string[];
  /** Also return deleted resources (with their last content). Default false. */
  readonly includeDeleted?: boolean;
  readonly limit?: number;
}

export interface IterateOptions {
  /** Rows read per round trip; bounds memory. Default 1000. */
  readonly batchSize?: number;
}

export interface DeletedFilter {
  readonly types?: readonly ResourceTypeId[];
  readonly accounts?: readonly string[];
  readonly regions?: readonly string[];
  /** Only resources deleted at or after this time (ISO-8601). */
  readonly since?: string;
  readonly limit?: number;
}

export type ScanStatus = 'running' | 'succeeded' | 'partial' | 'failed';

export interface BeginScanInput {
  readonly accounts: readonly string[];
  readonly regions: readonly string[];
  readonly types: readonly ResourceTypeId[];
  /** Default: now. */
  readonly at?: string;
}

export interface FinishScanInput {
  readonly status: Exclude<ScanStatus, 'running'>;
  /** Counts, coverage gaps, timings: whatever the scanner reports, kept as JSON. */
  readonly summary: Readonly<Record<string, unknown>>;
  /** Default: now. */
  readonly at?: string;
}

export interface ScanRecord {
  readonly id: string;
  readonly startedAt: string;
  readonly finishedAt?: string;
  readonly status: ScanStatus;
  readonly accounts: readonly string[];
  readonly regions: readonly string[];
  readonly types: readonly ResourceTypeId[];
  readonly summary?: Readonly<Record<string, unknown>>;
}

export interface FindingFilter {
  readonly status?: FindingStatus | readonly FindingStatus[];
  readonly ruleIds?: readonly string[];
  readonly severities?: readonly Severity[];
  readonly accounts?: readonly string[];
  readonly regions?: readonly string[];
  readonly types?: readonly ResourceTypeId[];
  /** One resource, by resourceKey(). */
  readonly resourceKey?: string;
  readonly limit?: number;
}

export interface SaveFindingsOptions {
  /** When status changes happened; default: the finding's resolvedAt for a resolution, else lastSeen. */
  readonly at?: string;
}

export interface SaveFindingsResult {
  readonly inserted: number;
  readonly updated: number;
  /** Status changes recorded as finding events (a new finding counts as one, from null). */
  readonly events: number;
  /** The status changes themselves, in input order: what alerts and remediation act on. */
  readonly transitions: FindingTransition[];
}

/** A finding whose status changed in one saveFindings call (from null: first saved). */
export interface FindingTransition {
  readonly finding: Finding;
  readonly from: FindingStatus | null;
  readonly to: FindingStatus;
  readonly at: string;
}

/** One step of a finding's lifecycle. */
export interface FindingEvent {
  readonly findingId: string;
  /** 1, 2, 3… per finding. */
  readonly seq: number;
  readonly at: string;
  /** null when the finding was first saved. */
  readonly from: FindingStatus | null;
  readonly to: FindingStatus;
}

export interface Store {
  // Scans
  beginScan(input: BeginScanInput): Promise<string>;
  finishScan(scanId: string, input: FinishScanInput): Promise<void>;
  getScan(scanId: string): Promise<ScanRecord | null>;
  /** Newest first. */
  listScans(limit?: number): Promise<ScanRecord[]>;

  // Configuration history
  /**
   * Stores one complete listing of a scope in one transaction: new versions for created, changed and
   * reappeared resources, deletions for stored resources the listing no longer contains, last_seen for
   * all listed. Throws (and writes nothing) if a resource lies outside the scope. A key listed twice
   * keeps its last occurrence.
   */
  applyListing(
    scope: ListingScope,
    resources: readonly Resource[],
    options: ApplyListingOptions,
  ): Promise<ListingResult>;
  /** One resource read again (after a CloudTrail event): a new version only if it changed. */
  recordResource(resource: Resource, options: RecordOptions): Promise<RecordResult>;
  /** Records a deletion; false if the key is unknown or already deleted. */
  markDeleted(key: string, options: RecordOptions): Promise<boolean>;

  getResource(key: string): Promise<StoredResource | null>;
  /** Resources whose AWS id or ARN is exactly `idOrArn`, in any account or region (deleted included). */
  findResources(idOrArn: string): Promise<StoredResource[]>;
  /** Ordered by type, account, region, then key. */
  listResources(filter?: ResourceFilter): Promise<StoredResource[]>;
  /**
   * Like listResources, streamed in batches for very large inventories (memory bounded by the batch
   * size). Not a snapshot: writes made while iterating may or may not be seen.
   */
  iterateResources(filter?: ResourceFilter, options?: IterateOptions): AsyncIterable<StoredResource>;
  countResources(filter?: ResourceFilter): Promise<number>;
  /** Oldest first; empty for an unknown key. */
  getHistory(key: string): Promise<ResourceVersion[]>;
  getVersion(key: string, version: number): Promise<ResourceVersion | null>;
  /** Most recently deleted first. */
  listDeleted(filter?: DeletedFilter): Promise<StoredResource[]>;

  // Findings
  /** Upserts by finding id in one transaction, recording a finding event for every status change. */
  saveFindings(findings: readonly Finding[], options?: SaveFindingsOptions): Promise<SaveFindingsResult>;
  listFindings(filter?: FindingFilter): Promise<Finding[]>;
  getFinding(id: string): Promise<Finding | null>;
  /** Oldest first. */
  getFindingEvents(id: string): Promise<FindingEvent[]>;

  /** Remediation tasks and the action journal (src/remediation). */
  readonly tasks: TaskStore;

  close(): Promise<void>;
}

/** A resource's stored body (canonical JSON of what can change) and its hash; shared by every backend. */
export function resourceContent(resource: Resource): { readonly body: string; readonly hash: string } {
  const body = canonicalJson({
    arn: resource.arn,
    name: resource.name,
    tags: resource.tags,
    config: resource.config,
  });
  return { body, hash: contentHash(body) };
}

export function contentHash(body: string): string {
  return createHash('sha256').update(body).digest('hex');
}
