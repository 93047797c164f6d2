import { z } from 'zod';
import type { Database } from './db';

export interface Migration {
  version: number;
  name: string;
  /** One statement per entry: the drivers run parameterised single statements only. */
  statements: string[];
}

/** Append only: a released migration is never edited, a change is a new version. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'linked pairs, failures, oauth tokens',
    statements: [
      `CREATE TABLE linked_pairs (
        id bigserial PRIMARY KEY,
        object text NOT NULL CHECK (object IN ('contact', 'company')),
        hubspot_id text,
        zoho_id text,
        base jsonb NOT NULL,
        hubspot_version text,
        zoho_version text,
        revision integer NOT NULL,
        updated_at timestamptz NOT NULL,
        CHECK (hubspot_id IS NOT NULL OR zoho_id IS NOT NULL),
        UNIQUE (object, hubspot_id),
        UNIQUE (object, zoho_id)
      )`,
      `CREATE TABLE sync_failures (
        id bigserial PRIMARY KEY,
        system text NOT NULL,
        object text NOT NULL,
        record_id text NOT NULL,
        operation text NOT NULL,
        category text NOT NULL,
        message text NOT NULL,
        fields jsonb NOT NULL,
        workflow_id text NOT NULL,
        first_failed_at timestamptz NOT NULL,
        last_failed_at timestamptz NOT NULL,
        attempts integer NOT NULL,
        recovered_at timestamptz,
        UNIQUE (system, object, record_id, operation)
      )`,
      `CREATE INDEX sync_failures_recovered_at ON sync_failures (recovered_at)`,
      // Token columns are nullable: withTokenLock inserts a placeholder row so there is always a row to lock.
      `CREATE TABLE oauth_tokens (
        system text PRIMARY KEY,
        access_token text,
        refresh_token text,
        expires_at bigint,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`,
    ],
  },
  {
    version: 2,
    name: 'markers',
    statements: [
      // Small named values the connector keeps between runs, e.g. when the last failure report went out.
      `CREATE TABLE connector_markers (
        name text PRIMARY KEY,
        value text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`,
    ],
  },
];

/** Arbitrary constant key: every crm-sync process opening the same database migrates under this lock. */
const MIGRATION_LOCK_KEY = 7_311_042_205;

const AppliedRow = z.object({ version: z.coerce.number() });

/**
 * Applies missing migrations in one transaction. The advisory lock makes concurrent start-ups (worker and API
 * on one database) take turns instead of racing on CREATE TABLE. Returns the versions applied now.
 */
export async function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await tx.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const rows = await tx.query('SELECT version FROM schema_migrations');
    const applied = new Set(rows.map((row) => AppliedRow.parse(row).version));
    const done: number[] = [];
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (applied.has(migration.version)) continue;
      for (const statement of migration.statements) await tx.query(statement);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
      done.push(migration.version);
    }
    return done;
  });
}
