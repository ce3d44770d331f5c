// The embedded store: SQLite through better-sqlite3, one file, WAL, every write one transaction.
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { errorMessage, LeukoError, NotFoundError, StoreError } from '../core/errors.js';
import type { Actor, Finding, FindingStatus } from '../core/finding.js';
import { resourceKey, type AnyResource, type Resource } from '../core/resource.js';
import type { ResourceTypeId } from '../core/resource-types.js';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, SCHEMA_VERSION_TABLE } from './migrations.js';
import { defaultStorePath } from './store-path.js';
import {
  resourceContent,
  type ApplyListingOptions,
  type BeginScanInput,
  type DeletedFilter,
  type FindingEvent,
  type FindingFilter,
  type FinishScanInput,
  type IterateOptions,
  type ListingResult,
  type ListingScope,
  type RecordOptions,
  type RecordResult,
  type ResourceFilter,
  type ResourceVersion,
  type SaveFindingsOptions,
  type FindingTransition,
  type SaveFindingsResult,
  type ScanRecord,
  type ScanStatus,
  type Store,
  type StoredResource,
  type VersionChange,
} from './store.js';
import { createSqliteTaskStore } from '../remediation/sqlite-task-store.js';
import type { TaskStore } from '../remediation/task-store.js';

export interface SqliteStoreOptions {
  /**
   * 'normal' (default): in WAL mode a commit survives a crash of the process (the kill -9 test) and the
   * file never corrupts; only a power loss or OS crash can lose the last commits, and what the store
   * holds is a mirror of AWS that the next scan reads again — not worth an fsync per transaction on
   * a scan writing thousands of listings. 'full' fsyncs every commit, for stores whose loss cannot be
   * re-read (a remediation journal that undo depends on).
   */
  readonly synchronous?: 'normal' | 'full';
  /** How long a writer waits for another process's write lock (a scan beside `leuko watch`). Default 10 s. */
  readonly busyTimeoutMs?: number;
}

/** Opens (creating it and its parent directories if needed) and migrates a SQLite store. */
export async function openSqliteStore(
  path: string = defaultStorePath(),
  options: SqliteStoreOptions = {},
): Promise<Store> {
  const inMemory = path === ':memory:' || path === '';
  let db: Database.Database;
  try {
    if (!inMemory) mkdirSync(dirname(path), { recursive: true });
    db = new Database(path);
  } catch (error) {
    throw new StoreError(`cannot open store ${path}: ${errorMessage(error)}`, error);
  }
  try {
    db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 10_000))}`);
    if (!inMemory) db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
    db.pragma('foreign_keys = ON');
    // Reads of a million resources walk two B-trees per row; a 64 MiB page cache keeps their upper
    // levels resident.
    db.pragma('cache_size = -65536');
    migrate(db, path);
    return new SqliteStore(db, path);
  } catch (error) {
    db.close();
    if (error instanceof LeukoError) throw error;
    throw new StoreError(`cannot open store ${path}: ${errorMessage(error)}`, error);
  }
}

function migrate(db: Database.Database, path: string): void {
  db.exec(SCHEMA_VERSION_TABLE);
  const currentVersion = (): number =>
    (db.prepare('SELECT MAX(version) AS version FROM schema_version').get() as { version: number | null })
      .version ?? 0;
  const found = currentVersion();
  if (found > LATEST_SCHEMA_VERSION) {
    throw new StoreError(
      `store ${path} has schema version ${found}, newer than this leuko understands (${LATEST_SCHEMA_VERSION}); upgrade leuko`,
    );
  }
  const insertVersion = db.prepare('INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)');
  for (const migration of MIGRATIONS) {
    if (migration.version <= found) continue;
    // IMMEDIATE and a re-check inside, so two processes opening a new file at once migrate it once.
    db.transaction(() => {
      if (currentVersion() >= migration.version) return;
      for (const statement of migration.statements) db.exec(statement);
      insertVersion.run(migration.version, migration.name, new Date().toISOString());
    }).immediate();
  }
}

// ---------------------------------------------------------------------------------------------------
// Rows

interface ScopeRow {
  readonly key: string;
  readonly version: number;
  readonly hash: string;
  readonly deleted_at: string | null;
}

interface ResourceRow {
  readonly key: string;
  readonly type: string;
  readonly account: string;
  readonly region: string;
  readonly resource_id: string;
  readonly version: number;
  readonly hash: string;
  readonly first_seen: string;
  readonly last_seen: string;
  readonly deleted_at: string | null;
  readonly body: string;
}

interface VersionRow {
  readonly key: string;
  readonly type: string;
  readonly account: string;
  readonly region: string;
  readonly resource_id: string;
  readonly version: number;
  readonly at: string;
  readonly change: string;
  readonly hash: string | null;
  readonly body: string | null;
  readonly actor: string | null;
  readonly scan_id: string | null;
}

interface ScanRow {
  readonly id: string;
  readonly started_at: string;
  readonly finished_at: string | null;
  readonly status: string;
  readonly accounts: string;
  readonly regions: string;
  readonly types: string;
  readonly summary: string | null;
}

interface ScopeKey {
  readonly type: string;
  readonly account: string;
  readonly region: string;
}

/** What the stored body holds (see resourceContent). */
interface ContentBody {
  readonly arn: string;
  readonly name?: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly config: unknown;
}

interface ListedResource {
  readonly resource: Resource;
  readonly body: string;
  readonly hash: string;
}

const RESOURCE_COLUMNS = `r.key, r.type, r.account, r.region, r.resource_id, r.version, r.hash, r.first_seen,
  r.last_seen, r.deleted_at, v.body`;
const RESOURCE_FROM = `FROM resources r
  JOIN resource_versions v ON v.resource_key = r.key AND v.version = r.content_version`;
/**
 * A page of iterateResources: the scope (type, account, region) is in the WHERE clause, so the row need
 * not repeat it; rows come as arrays (better-sqlite3's raw mode), which skips building a named object per
 * row. Both matter at a million rows.
 */
const PAGE_COLUMNS =
  'r.key, r.resource_id, r.version, r.hash, r.first_seen, r.last_seen, r.deleted_at, v.body';
type PageRow = readonly [
  key: string,
  resourceId: string,
  version: number,
  hash: string,
  firstSeen: string,
  lastSeen: string,
  deletedAt: string | null,
  body: string,
];
const VERSION_COLUMNS = `r.key, r.type, r.account, r.region, r.resource_id, v.version, v.at, v.change, v.hash, v.body,
  v.actor, v.scan_id`;

function toResource(type: string, account: string, region: string, id: string, body: string): AnyResource {
  const content = JSON.parse(body) as ContentBody;
  const resource: Record<string, unknown> = { type, account, region, id, arn: content.arn };
  if (content.name !== undefined) resource.name = content.name;
  resource.tags = content.tags;
  resource.config = content.config;
  // The body was written from a Resource by this store; re-validating a million configs would cost more
  // than the read.
  return resource as unknown as AnyResource;
}

function toStored(row: ResourceRow): StoredResource {
  const stored: StoredResource = {
    key: row.key,
    version: row.version,
    hash: row.hash,
    firstSeen: row.first_seen,
    lastSeen: row.last_seen,
    resource: toResource(row.type, row.account, row.region, row.resource_id, row.body),
  };
  return row.deleted_at === null ? stored : { ...stored, deletedAt: row.deleted_at };
}

/** Same result as toStored for the same row; the scope's own strings are shared by its resources. */
function pageToStored(scope: ScopeKey, row: PageRow): StoredResource {
  const [key, resourceId, version, hash, firstSeen, lastSeen, deletedAt, body] = row;
  const stored: StoredResource = {
    key,
    version,
    hash,
    firstSeen,
    lastSeen,
    resource: toResource(scope.type, scope.account, scope.region, resourceId, body),
  };
  return deletedAt === null ? stored : { ...stored, deletedAt };
}

function toVersion(row: VersionRow): ResourceVersion {
  const version: ResourceVersion = {
    key: row.key,
    version: row.version,
    at: row.at,
    change: row.change as VersionChange,
    hash: row.hash,
    resource:
      row.body === null ? null : toResource(row.type, row.account, row.region, row.resource_id, row.body),
  };
  return {
    ...version,
    ...(row.actor === null ? {} : { actor: JSON.parse(row.actor) as Actor }),
    ...(row.scan_id === null ? {} : { scanId: row.scan_id }),
  };
}

function toScan(row: ScanRow): ScanRecord {
  const scan: ScanRecord = {
    id: row.id,
    startedAt: row.started_at,
    status: row.status as ScanStatus,
    accounts: JSON.parse(row.accounts) as string[],
    regions: JSON.parse(row.regions) as string[],
    types: JSON.parse(row.types) as ResourceTypeId[],
  };
  return {
    ...scan,
    ...(row.finished_at === null ? {} : { finishedAt: row.finished_at }),
    ...(row.summary === null ? {} : { summary: JSON.parse(row.summary) as Record<string, unknown> }),
  };
}

/** A filter's WHERE parts; an empty list matches nothing (a caller's empty selection is not "all"). */
class Where {
  readonly clauses: string[] = [];
  readonly params: Array<string | number> = [];

  in(column: string, values: readonly string[] | undefined): this {
    if (values === undefined) return this;
    if (values.length === 0) this.clauses.push('1 = 0');
    else {
      this.clauses.push(`${column} IN (${values.map(() => '?').join(', ')})`);
      this.params.push(...values);
    }
    return this;
  }

  add(clause: string, ...params: Array<string | number>): this {
    this.clauses.push(clause);
    this.params.push(...params);
    return this;
  }

  sql(): string {
    return this.clauses.length === 0 ? '' : `WHERE ${this.clauses.join(' AND ')}`;
  }
}

function scanIdFor(at: string): string {
  const stamp = at.replace(/[-:]/g, '').replace(/\.\d+/, '');
  return `scan-${stamp}-${randomBytes(3).toString('hex')}`;
}

function positiveLimit(limit: number | undefined, fallback: number): number {
  if (limit === undefined) return fallback;
  if (!Number.isFinite(limit) || limit < 0)
    throw new StoreError(`limit must be a non-negative number, got ${limit}`);
  return Math.trunc(limit);
}

const MAX_CACHED_STATEMENTS = 256;

class SqliteStore implements Store {
  private readonly statements: ReturnType<SqliteStore['prepareStatements']>;
  /** Filter queries vary with the number of values in IN lists; prepared once per shape. */
  private readonly dynamic = new Map<string, Database.Statement>();
  private readonly applyListingTx: (
    scope: ListingScope,
    regions: readonly string[],
    listed: Map<string, ListedResource>,
    options: ApplyListingOptions,
  ) => ListingResult;
  private readonly recordResourceTx: (
    key: string,
    listed: ListedResource,
    options: RecordOptions,
  ) => RecordResult;
  private readonly markDeletedTx: (key: string, options: RecordOptions) => boolean;
  private readonly saveFindingsTx: (
    findings: readonly Finding[],
    options: SaveFindingsOptions,
  ) => SaveFindingsResult;

  readonly tasks: TaskStore;

  constructor(
    private readonly db: Database.Database,
    private readonly path: string,
  ) {
    this.statements = this.prepareStatements();
    this.tasks = createSqliteTaskStore(db);
    // BEGIN IMMEDIATE: a transaction that reads and then writes must take the write lock up front, or
    // two processes could both read and then fail with SQLITE_BUSY instead of waiting.
    const applyListing = db.transaction(this.applyListingSync.bind(this));
    this.applyListingTx = (...args) => applyListing.immediate(...args);
    const record = db.transaction(this.recordResourceSync.bind(this));
    this.recordResourceTx = (...args) => record.immediate(...args);
    const markDeleted = db.transaction(this.markDeletedSync.bind(this));
    this.markDeletedTx = (...args) => markDeleted.immediate(...args);
    const saveFindings = db.transaction(this.saveFindingsSync.bind(this));
    this.saveFindingsTx = (...args) => saveFindings.immediate(...args);
  }

  private prepareStatements() {
    const db = this.db;
    return {
      insertScan: db.prepare(
        'INSERT INTO scans (id, started_at, status, accounts, regions, types) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      finishScan: db.prepare('UPDATE scans SET finished_at = ?, status = ?, summary = ? WHERE id = ?'),
      getScan: db.prepare('SELECT * FROM scans WHERE id = ?'),
      listScans: db.prepare('SELECT * FROM scans ORDER BY started_at DESC, id DESC LIMIT ?'),

      scopeRows: db.prepare(
        'SELECT key, version, hash, deleted_at FROM resources WHERE type = ? AND account = ? AND region = ?',
      ),
      stateRow: db.prepare('SELECT key, version, hash, deleted_at FROM resources WHERE key = ?'),
      insertResource: db.prepare(
        `INSERT INTO resources (key, type, account, region, resource_id, arn, name, version, content_version, hash,
           first_seen, last_seen, deleted_at, last_scan_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, 1, 1, ?, ?, ?, NULL, ?)`,
      ),
      updateContent: db.prepare(
        `UPDATE resources SET arn = ?, name = ?, version = ?, content_version = ?, hash = ?, last_seen = ?,
           deleted_at = NULL, last_scan_id = COALESCE(?, last_scan_id)
         WHERE key = ?`,
      ),
      touchScope: db.prepare(
        `UPDATE resources SET last_seen = ?, last_scan_id = ?
         WHERE type = ? AND account = ? AND region = ? AND deleted_at IS NULL`,
      ),
      touch: db.prepare(
        'UPDATE resources SET last_seen = ?, last_scan_id = COALESCE(?, last_scan_id) WHERE key = ?',
      ),
      setDeleted: db.prepare('UPDATE resources SET version = ?, deleted_at = ? WHERE key = ?'),
      insertVersion: db.prepare(
        `INSERT INTO resource_versions (resource_key, version, at, change, hash, body, actor, scan_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),

      // Keyset pages of one scope through the (type, account, region, key) index; see iterateResources.
      page: db
        .prepare(
          `SELECT ${PAGE_COLUMNS} ${RESOURCE_FROM}
           WHERE r.type = ? AND r.account = ? AND r.region = ? AND r.key > ? AND r.deleted_at IS NULL
           ORDER BY r.key LIMIT ?`,
        )
        .raw(true),
      pageWithDeleted: db
        .prepare(
          `SELECT ${PAGE_COLUMNS} ${RESOURCE_FROM}
           WHERE r.type = ? AND r.account = ? AND r.region = ? AND r.key > ?
           ORDER BY r.key LIMIT ?`,
        )
        .raw(true),

      getResource: db.prepare(`SELECT ${RESOURCE_COLUMNS} ${RESOURCE_FROM} WHERE r.key = ?`),
      findResources: db.prepare(
        `SELECT ${RESOURCE_COLUMNS} ${RESOURCE_FROM} WHERE r.resource_id = ? OR r.arn = ? ORDER BY r.key`,
      ),
      history: db.prepare(
        `SELECT ${VERSION_COLUMNS} FROM resource_versions v JOIN resources r ON r.key = v.resource_key
         WHERE v.resource_key = ? ORDER BY v.version`,
      ),
      getVersion: db.prepare(
        `SELECT ${VERSION_COLUMNS} FROM resource_versions v JOIN resources r ON r.key = v.resource_key
         WHERE v.resource_key = ? AND v.version = ?`,
      ),

      findingStatus: db.prepare('SELECT status FROM findings WHERE id = ?'),
      insertFinding: db.prepare(
        `INSERT INTO findings (id, rule_id, severity, status, resource_key, resource_type, account, region,
           first_seen, last_seen, body)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      updateFinding: db.prepare(
        `UPDATE findings SET rule_id = ?, severity = ?, status = ?, resource_key = ?, resource_type = ?, account = ?,
           region = ?, first_seen = ?, last_seen = ?, body = ?
         WHERE id = ?`,
      ),
      // The next seq computed in the insert itself, so it holds inside the write transaction.
      insertFindingEvent: db.prepare(
        `INSERT INTO finding_events (finding_id, seq, at, from_status, to_status)
         SELECT ?, COALESCE(MAX(seq), 0) + 1, ?, ?, ? FROM finding_events WHERE finding_id = ?`,
      ),
      getFinding: db.prepare('SELECT body FROM findings WHERE id = ?'),
      findingEvents: db.prepare(
        'SELECT finding_id, seq, at, from_status, to_status FROM finding_events WHERE finding_id = ? ORDER BY seq',
      ),
    };
  }

  private run<T>(operation: string, work: () => T): T {
    if (!this.db.open) throw new StoreError(`${operation}: store ${this.path} is closed`);
    try {
      return work();
    } catch (error) {
      if (error instanceof LeukoError) throw error;
      throw new StoreError(`${operation} failed on store ${this.path}: ${errorMessage(error)}`, error);
    }
  }

  private prepared(sql: string): Database.Statement {
    let statement = this.dynamic.get(sql);
    if (statement === undefined) {
      if (this.dynamic.size >= MAX_CACHED_STATEMENTS) this.dynamic.clear();
      statement = this.db.prepare(sql);
      this.dynamic.set(sql, statement);
    }
    return statement;
  }

  // -------------------------------------------------------------------------------------------------
  // Scans

  async beginScan(input: BeginScanInput): Promise<string> {
    return this.run('beginScan', () => {
      const at = input.at ?? new Date().toISOString();
      const id = scanIdFor(at);
      this.statements.insertScan.run(
        id,
        at,
        'running',
        JSON.stringify(input.accounts),
        JSON.stringify(input.regions),
        JSON.stringify(input.types),
      );
      return id;
    });
  }

  async finishScan(scanId: string, input: FinishScanInput): Promise<void> {
    this.run('finishScan', () => {
      const at = input.at ?? new Date().toISOString();
      const result = this.statements.finishScan.run(at, input.status, JSON.stringify(input.summary), scanId);
      if (result.changes === 0) throw new NotFoundError(`scan ${scanId} not found`);
    });
  }

  async getScan(scanId: string): Promise<ScanRecord | null> {
    return this.run('getScan', () => {
      const row = this.statements.getScan.get(scanId) as ScanRow | undefined;
      return row === undefined ? null : toScan(row);
    });
  }

  async listScans(limit?: number): Promise<ScanRecord[]> {
    return this.run('listScans', () =>
      (this.statements.listScans.all(positiveLimit(limit, 20)) as ScanRow[]).map(toScan),
    );
  }

  // -------------------------------------------------------------------------------------------------
  // Configuration history: writes

  async applyListing(
    scope: ListingScope,
    resources: readonly Resource[],
    options: ApplyListingOptions,
  ): Promise<ListingResult> {
    return this.run('applyListing', () => {
      const regions = typeof scope.region === 'string' ? [scope.region] : [...new Set(scope.region)];
      const inScope = new Set(regions);
      // Hashing is the CPU-heavy part; done before the transaction so the write lock is held briefly.
      const listed = new Map<string, ListedResource>();
      for (const resource of resources) {
        if (
          resource.type !== scope.type ||
          resource.account !== scope.account ||
          !inScope.has(resource.region)
        ) {
          throw new StoreError(
            `applyListing: ${resourceKey(resource)} is outside the listing scope ${scope.type} ${scope.account} ${regions.join(',')}`,
          );
        }
        listed.set(resourceKey(resource), { resource, ...resourceContent(resource) });
      }
      return this.applyListingTx(scope, regions, listed, options);
    });
  }

  private applyListingSync(
    scope: ListingScope,
    regions: readonly string[],
    listed: Map<string, ListedResource>,
    options: ApplyListingOptions,
  ): ListingResult {
    const s = this.statements;
    const { at, scanId } = options;
    const stored = new Map<string, ScopeRow>();
    for (const region of regions) {
      for (const row of s.scopeRows.all(scope.type, scope.account, region) as ScopeRow[])
        stored.set(row.key, row);
    }
    const created: string[] = [];
    const modified: string[] = [];
    const deleted: string[] = [];
    let unchanged = 0;
    for (const [key, item] of listed) {
      const row = stored.get(key);
      if (row === undefined) {
        this.insertNew(key, item, at, null, scanId);
        created.push(key);
      } else if (row.deleted_at !== null || row.hash !== item.hash) {
        const change = this.writeVersion(key, row, item, at, null, scanId);
        (change === 'created' ? created : modified).push(key);
      } else {
        unchanged += 1;
      }
    }
    for (const row of stored.values()) {
      if (row.deleted_at !== null || listed.has(row.key)) continue;
      this.writeDeletion(row, at, null, scanId);
      deleted.push(row.key);
    }
    // Now the scope's live resources are exactly the listed ones: one statement stamps them all,
    // instead of one call per unchanged resource (most of a re-scan).
    for (const region of regions) s.touchScope.run(at, scanId, scope.type, scope.account, region);
    return { created, modified, deleted, unchanged };
  }

  private insertNew(
    key: string,
    item: ListedResource,
    at: string,
    actor: string | null,
    scanId: string | null,
  ): void {
    const r = item.resource;
    this.statements.insertResource.run(
      key,
      r.type,
      r.account,
      r.region,
      r.id,
      r.arn,
      r.name ?? null,
      item.hash,
      at,
      at,
      scanId,
    );
    this.statements.insertVersion.run(key, 1, at, 'created', item.hash, item.body, actor, scanId);
  }

  /** A new content version for a stored resource; 'created' when it comes back after a deletion. */
  private writeVersion(
    key: string,
    row: ScopeRow,
    item: ListedResource,
    at: string,
    actor: string | null,
    scanId: string | null,
  ): VersionChange {
    const version = row.version + 1;
    const change: VersionChange = row.deleted_at === null ? 'modified' : 'created';
    const r = item.resource;
    this.statements.insertVersion.run(key, version, at, change, item.hash, item.body, actor, scanId);
    this.statements.updateContent.run(r.arn, r.name ?? null, version, version, item.hash, at, scanId, key);
    return change;
  }

  private writeDeletion(row: ScopeRow, at: string, actor: string | null, scanId: string | null): void {
    const version = row.version + 1;
    this.statements.insertVersion.run(row.key, version, at, 'deleted', null, null, actor, scanId);
    this.statements.setDeleted.run(version, at, row.key);
  }

  async recordResource(resource: Resource, options: RecordOptions): Promise<RecordResult> {
    return this.run('recordResource', () =>
      this.recordResourceTx(resourceKey(resource), { resource, ...resourceContent(resource) }, options),
    );
  }

  private recordResourceSync(key: string, item: ListedResource, options: RecordOptions): RecordResult {
    const actor = options.actor === undefined ? null : JSON.stringify(options.actor);
    const scanId = options.scanId ?? null;
    const row = this.statements.stateRow.get(key) as ScopeRow | undefined;
    if (row === undefined) {
      this.insertNew(key, item, options.at, actor, scanId);
      return { change: 'created', version: 1 };
    }
    if (row.deleted_at === null && row.hash === item.hash) {
      this.statements.touch.run(options.at, scanId, key);
      return { change: 'unchanged', version: row.version };
    }
    const change = this.writeVersion(key, row, item, options.at, actor, scanId);
    return { change, version: row.version + 1 };
  }

  async markDeleted(key: string, options: RecordOptions): Promise<boolean> {
    return this.run('markDeleted', () => this.markDeletedTx(key, options));
  }

  private markDeletedSync(key: string, options: RecordOptions): boolean {
    const row = this.statements.stateRow.get(key) as ScopeRow | undefined;
    if (row === undefined || row.deleted_at !== null) return false;
    const actor = options.actor === undefined ? null : JSON.stringify(options.actor);
    this.writeDeletion(row, options.at, actor, options.scanId ?? null);
    return true;
  }

  // -------------------------------------------------------------------------------------------------
  // Configuration history: reads

  async getResource(key: string): Promise<StoredResource | null> {
    return this.run('getResource', () => {
      const row = this.statements.getResource.get(key) as ResourceRow | undefined;
      return row === undefined ? null : toStored(row);
    });
  }

  async findResources(idOrArn: string): Promise<StoredResource[]> {
    return this.run('findResources', () =>
      (this.statements.findResources.all(idOrArn, idOrArn) as ResourceRow[]).map(toStored),
    );
  }

  async listResources(filter: ResourceFilter = {}): Promise<StoredResource[]> {
    const out: StoredResource[] = [];
    for await (const resource of this.iterateResources(filter, { batchSize: 5000 })) out.push(resource);
    return out;
  }

  /**
   * Scope by scope (type, account, region), and within a scope keyset pages on the key through the
   * (type, account, region, key) index: each page is an index range read, whatever the filter. One
   * query ordered by key over all scopes would let the planner pick the scope index and sort the
   * whole match for every page. Between pages the connection is free for the caller's own writes.
   */
  async *iterateResources(
    filter: ResourceFilter = {},
    options: IterateOptions = {},
  ): AsyncGenerator<StoredResource> {
    const batchSize = Math.max(1, Math.trunc(options.batchSize ?? 1000));
    let remaining = positiveLimit(filter.limit, Number.POSITIVE_INFINITY);
    if (remaining === 0) return;
    // The scopes from the scope index alone (no table rows read); a scope holding only deleted
    // resources then yields empty pages, which costs one index probe.
    const scopes = this.run('iterateResources', () => {
      const where = new Where()
        .in('r.type', filter.types)
        .in('r.account', filter.accounts)
        .in('r.region', filter.regions);
      return this.prepared(
        `SELECT DISTINCT r.type, r.account, r.region FROM resources r ${where.sql()}
        ORDER BY r.type, r.account, r.region`,
      ).all(...where.params) as ScopeKey[];
    });
    const page = filter.includeDeleted === true ? this.statements.pageWithDeleted : this.statements.page;
    for (const scope of scopes) {
      let after = '';
      for (;;) {
        const size = Math.min(batchSize, remaining);
        const rows = this.run(
          'iterateResources',
          () => page.all(scope.type, scope.account, scope.region, after, size) as PageRow[],
        );
        for (const row of rows) yield pageToStored(scope, row);
        remaining -= rows.length;
        if (remaining <= 0) return;
        const last = rows.at(-1);
        if (rows.length < size || last === undefined) break;
        after = last[0];
      }
    }
  }

  async countResources(filter: ResourceFilter = {}): Promise<number> {
    return this.run('countResources', () => {
      const where = new Where()
        .in('r.type', filter.types)
        .in('r.account', filter.accounts)
        .in('r.region', filter.regions);
      if (filter.includeDeleted !== true) where.add('r.deleted_at IS NULL');
      const row = this.prepared(`SELECT COUNT(*) AS n FROM resources r ${where.sql()}`).get(
        ...where.params,
      ) as {
        n: number;
      };
      return Math.min(row.n, positiveLimit(filter.limit, Number.POSITIVE_INFINITY));
    });
  }

  async getHistory(key: string): Promise<ResourceVersion[]> {
    return this.run('getHistory', () => (this.statements.history.all(key) as VersionRow[]).map(toVersion));
  }

  async getVersion(key: string, version: number): Promise<ResourceVersion | null> {
    return this.run('getVersion', () => {
      const row = this.statements.getVersion.get(key, version) as VersionRow | undefined;
      return row === undefined ? null : toVersion(row);
    });
  }

  async listDeleted(filter: DeletedFilter = {}): Promise<StoredResource[]> {
    return this.run('listDeleted', () => {
      const where = new Where()
        .add('r.deleted_at IS NOT NULL')
        .in('r.type', filter.types)
        .in('r.account', filter.accounts)
        .in('r.region', filter.regions);
      if (filter.since !== undefined) where.add('r.deleted_at >= ?', filter.since);
      const sql = `SELECT ${RESOURCE_COLUMNS} ${RESOURCE_FROM} ${where.sql()} ORDER BY r.deleted_at DESC, r.key LIMIT ?`;
      const rows = this.prepared(sql).all(...where.params, positiveLimit(filter.limit, -1)) as ResourceRow[];
      return rows.map(toStored);
    });
  }

  // -------------------------------------------------------------------------------------------------
  // Findings

  async saveFindings(
    findings: readonly Finding[],
    options: SaveFindingsOptions = {},
  ): Promise<SaveFindingsResult> {
    return this.run('saveFindings', () => this.saveFindingsTx(findings, options));
  }

  private saveFindingsSync(findings: readonly Finding[], options: SaveFindingsOptions): SaveFindingsResult {
    const s = this.statements;
    let inserted = 0;
    let updated = 0;
    let events = 0;
    const transitions: FindingTransition[] = [];
    for (const finding of findings) {
      const previous = s.findingStatus.get(finding.id) as { status: FindingStatus } | undefined;
      const ref = finding.resource;
      const columns = [
        finding.ruleId,
        finding.severity,
        finding.status,
        resourceKey(ref),
        ref.type,
        ref.account,
        ref.region,
        finding.firstSeen,
        finding.lastSeen,
        JSON.stringify(finding),
      ] as const;
      if (previous === undefined) {
        s.insertFinding.run(finding.id, ...columns);
        inserted += 1;
      } else {
        s.updateFinding.run(...columns, finding.id);
        updated += 1;
      }
      if (previous?.status !== finding.status) {
        const at =
          options.at ??
          (finding.status === 'resolved'
            ? (finding.resolvedAt ?? finding.lastSeen)
            : previous === undefined
              ? finding.firstSeen
              : finding.lastSeen);
        s.insertFindingEvent.run(finding.id, at, previous?.status ?? null, finding.status, finding.id);
        events += 1;
        transitions.push({ finding, from: previous?.status ?? null, to: finding.status, at });
      }
    }
    return { inserted, updated, events, transitions };
  }

  async listFindings(filter: FindingFilter = {}): Promise<Finding[]> {
    return this.run('listFindings', () => {
      const statuses =
        filter.status === undefined || Array.isArray(filter.status) ? filter.status : [filter.status];
      const where = new Where()
        .in('status', statuses as readonly string[] | undefined)
        .in('rule_id', filter.ruleIds)
        .in('severity', filter.severities)
        .in('account', filter.accounts)
        .in('region', filter.regions)
        .in('resource_type', filter.types);
      if (filter.resourceKey !== undefined) where.add('resource_key = ?', filter.resourceKey);
      const sql = `SELECT body FROM findings ${where.sql()} ORDER BY resource_key, rule_id, id LIMIT ?`;
      const rows = this.prepared(sql).all(...where.params, positiveLimit(filter.limit, -1)) as Array<{
        body: string;
      }>;
      return rows.map((row) => JSON.parse(row.body) as Finding);
    });
  }

  async getFinding(id: string): Promise<Finding | null> {
    return this.run('getFinding', () => {
      const row = this.statements.getFinding.get(id) as { body: string } | undefined;
      return row === undefined ? null : (JSON.parse(row.body) as Finding);
    });
  }

  async getFindingEvents(id: string): Promise<FindingEvent[]> {
    return this.run('getFindingEvents', () => {
      const rows = this.statements.findingEvents.all(id) as Array<{
        finding_id: string;
        seq: number;
        at: string;
        from_status: string | null;
        to_status: string;
      }>;
      return rows.map((row) => ({
        findingId: row.finding_id,
        seq: row.seq,
        at: row.at,
        from: row.from_status as FindingStatus | null,
        to: row.to_status as FindingStatus,
      }));
    });
  }

  async close(): Promise<void> {
    if (!this.db.open) return;
    try {
      // Lets SQLite refresh planner statistics it judges stale. Housekeeping only: if it cannot run
      // (another process holds the write lock past the timeout) the close must still happen.
      this.db.pragma('optimize');
    } catch {
      // Nothing lost: statistics are refreshed by the next close that can.
    }
    this.db.close();
  }
}
