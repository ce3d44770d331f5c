// Schema migrations, numbered and append-only, in SQL that runs unchanged on SQLite and PostgreSQL.
//
// Portable on purpose: TEXT and INTEGER columns only, JSON kept as TEXT, timestamps as ISO-8601 UTC
// text, composite primary keys instead of autoincrement ids, no SQLite-only syntax (WITHOUT ROWID,
// json_each, INSERT OR REPLACE). A released migration never changes; fix forward with a new one.

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly statements: readonly string[];
}

/** Created before any migration; one row per applied migration. */
export const SCHEMA_VERSION_TABLE = `CREATE TABLE IF NOT EXISTS schema_version (
  version INTEGER NOT NULL PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at TEXT NOT NULL
)`;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'resources, versions, scans, findings',
    statements: [
      `CREATE TABLE scans (
        id TEXT NOT NULL PRIMARY KEY,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        status TEXT NOT NULL,
        accounts TEXT NOT NULL,
        regions TEXT NOT NULL,
        types TEXT NOT NULL,
        summary TEXT
      )`,
      `CREATE INDEX scans_started_at ON scans (started_at)`,

      // The current state of each resource. `version` is its latest version (maybe a deletion);
      // `content_version` the latest one with content, so a deleted resource still shows what it was.
      `CREATE TABLE resources (
        key TEXT NOT NULL PRIMARY KEY,
        type TEXT NOT NULL,
        account TEXT NOT NULL,
        region TEXT NOT NULL,
        resource_id TEXT NOT NULL,
        arn TEXT NOT NULL,
        name TEXT,
        version INTEGER NOT NULL,
        content_version INTEGER NOT NULL,
        hash TEXT NOT NULL,
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL,
        deleted_at TEXT,
        last_scan_id TEXT
      )`,
      // With the key last, a listing's scope and a keyset page within it are both one index range.
      `CREATE INDEX resources_scope ON resources (type, account, region, key)`,
      `CREATE INDEX resources_resource_id ON resources (resource_id)`,
      `CREATE INDEX resources_arn ON resources (arn)`,
      `CREATE INDEX resources_deleted_at ON resources (deleted_at)`,

      // Every version of every resource. `body` is the canonical JSON of {arn, name, tags, config};
      // body and hash are NULL for a deletion.
      `CREATE TABLE resource_versions (
        resource_key TEXT NOT NULL REFERENCES resources (key),
        version INTEGER NOT NULL,
        at TEXT NOT NULL,
        change TEXT NOT NULL,
        hash TEXT,
        body TEXT,
        actor TEXT,
        scan_id TEXT REFERENCES scans (id),
        PRIMARY KEY (resource_key, version)
      )`,

      // The columns filters need, plus the whole finding as JSON (`body`) so new Finding fields need no migration.
      `CREATE TABLE findings (
        id TEXT NOT NULL PRIMARY KEY,
        rule_id TEXT NOT NULL,
        severity TEXT NOT NULL,
        status TEXT NOT NULL,
        resource_key TEXT NOT NULL,
        resource_type TEXT NOT NULL,
        account TEXT NOT NULL,
        region TEXT NOT NULL,
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL,
        body TEXT NOT NULL
      )`,
      `CREATE INDEX findings_resource_key ON findings (resource_key)`,
      `CREATE INDEX findings_rule_id ON findings (rule_id)`,
      `CREATE INDEX findings_status ON findings (status, severity)`,

      `CREATE TABLE finding_events (
        finding_id TEXT NOT NULL REFERENCES findings (id),
        seq INTEGER NOT NULL,
        at TEXT NOT NULL,
        from_status TEXT,
        to_status TEXT NOT NULL,
        PRIMARY KEY (finding_id, seq)
      )`,
    ],
  },
  {
    version: 2,
    name: 'remediation tasks and action journal',
    statements: [
      // One row per (finding, action); the whole task as JSON in `body`, the columns a claim filters on beside it.
      `CREATE TABLE remediation_tasks (
        id TEXT NOT NULL PRIMARY KEY,
        finding_id TEXT NOT NULL,
        rule_id TEXT NOT NULL,
        action_id TEXT NOT NULL,
        state TEXT NOT NULL,
        destructive INTEGER NOT NULL,
        not_before TEXT NOT NULL,
        lease_until TEXT,
        claim TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        body TEXT NOT NULL
      )`,
      `CREATE INDEX remediation_tasks_state ON remediation_tasks (state, not_before)`,
      `CREATE INDEX remediation_tasks_finding ON remediation_tasks (finding_id)`,
      // Each apply's before-state, written before AWS changes (status pending) and again with the outcome.
      `CREATE TABLE remediation_journal (
        id TEXT NOT NULL PRIMARY KEY,
        task_id TEXT,
        action_id TEXT NOT NULL,
        status TEXT NOT NULL,
        destructive INTEGER NOT NULL,
        applied_at TEXT NOT NULL,
        body TEXT NOT NULL
      )`,
      `CREATE INDEX remediation_journal_task ON remediation_journal (task_id, applied_at)`,
      `CREATE INDEX remediation_journal_destructive ON remediation_journal (destructive, applied_at)`,
    ],
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS.reduce(
  (max, migration) => Math.max(max, migration.version),
  0,
);
