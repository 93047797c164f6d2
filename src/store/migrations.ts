import { z } from 'zod';
import type { Database } from './db';

export interface Migration {
  version: number;
  name: string;
  /** One statement per entry: the drivers run parameterised single statements only. */
  statements: string[];
}

/*
 * Migration 3's conversion of the two-system linked_pairs table. Its 'hubspot' and 'zoho' literals describe that old
 * table (a column per system), so this is the one place in the store that names systems; nothing else here may.
 */

/** A pair's version as epoch ms when it is one (digits) or an ISO timestamp with a zone, as the connectors parse it. */
const EPOCH_MS_OF_VERSION = `CASE
  WHEN l.version ~ '^[0-9]{1,15}$' THEN l.version::bigint
  WHEN l.version ~ '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9]([.][0-9]+)?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)$'
    THEN floor(extract(epoch FROM l.version::timestamptz) * 1000)::bigint
END`;

/**
 * A contact's `@company` was the company's Zoho id (or `hubspot:<id>` for a company only HubSpot had); the hub values
 * it as the company's entity id, or `<system>:<id>` while the company has none. Entity ids are the pairs' ids.
 */
const CONVERTED_BASE = `CASE WHEN c.value IS NULL THEN p.base ELSE jsonb_set(p.base, '{@company}', to_jsonb(COALESCE(
  (SELECT k.id::text FROM linked_pairs k WHERE k.object = 'company' AND c.value NOT LIKE 'hubspot:%' AND k.zoho_id = c.value),
  (SELECT k.id::text FROM linked_pairs k WHERE k.object = 'company' AND c.value LIKE 'hubspot:%' AND k.hubspot_id = substr(c.value, 9)),
  CASE WHEN c.value LIKE 'hubspot:%' THEN c.value ELSE 'zoho:' || c.value END
))) END`;

const LINKED_PAIRS_TO_ENTITIES = [
  `INSERT INTO entities (id, object, base, revision, updated_at)
   SELECT p.id, p.object, ${CONVERTED_BASE}, p.revision, p.updated_at
   FROM linked_pairs p
   CROSS JOIN LATERAL (SELECT CASE WHEN p.object = 'contact' THEN p.base ->> '@company' END AS value) c`,
  // The ids were given explicitly: new entities continue after them.
  `SELECT setval(pg_get_serial_sequence('entities', 'id'), COALESCE(max(id), 0) + 1, false) FROM entities`,
  `INSERT INTO entity_links (entity_id, system, object, record_id, base, version, modified_at)
   SELECT e.id, l.system, e.object, l.record_id, e.base, l.version, ${EPOCH_MS_OF_VERSION}
   FROM linked_pairs p
   JOIN entities e ON e.id = p.id
   CROSS JOIN LATERAL (VALUES ('hubspot', p.hubspot_id, p.hubspot_version), ('zoho', p.zoho_id, p.zoho_version))
     AS l (system, record_id, version)
   WHERE l.record_id IS NOT NULL`,
  'DROP TABLE linked_pairs',
];

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
  {
    version: 3,
    name: 'entities and links replace linked pairs',
    statements: [
      `CREATE TABLE entities (
        id bigserial PRIMARY KEY,
        object text NOT NULL CHECK (object IN ('contact', 'company')),
        base jsonb NOT NULL,
        revision integer NOT NULL,
        updated_at timestamptz NOT NULL
      )`,
      // The primary key serves "the links of these entities", the unique key "the entity linking this record".
      `CREATE TABLE entity_links (
        entity_id bigint NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
        system text NOT NULL,
        object text NOT NULL,
        record_id text NOT NULL,
        base jsonb NOT NULL,
        version text,
        modified_at bigint,
        PRIMARY KEY (entity_id, system),
        UNIQUE (system, object, record_id)
      )`,
      ...LINKED_PAIRS_TO_ENTITIES,
    ],
  },
  {
    version: 4,
    name: 'reconciliations',
    statements: [
      // One row per reconcile run that caught something, for the failure report's "caught by reconciliation: N".
      `CREATE TABLE reconciliations (
        run_id text PRIMARY KEY,
        system text NOT NULL,
        object text NOT NULL,
        caught integer NOT NULL,
        finished_at timestamptz NOT NULL DEFAULT now()
      )`,
      `CREATE INDEX reconciliations_finished_at ON reconciliations (finished_at)`,
    ],
  },
  {
    version: 5,
    name: 'dead_letters',
    statements: [
      // Messages a broker ingress set aside as unreadable, for the failure report's "dead-lettered … messages: N".
      `CREATE TABLE dead_letters (
        id bigserial PRIMARY KEY,
        system text NOT NULL,
        queue text NOT NULL,
        message_id text,
        message_key text NOT NULL,
        reason text NOT NULL,
        dead_lettered_at timestamptz NOT NULL,
        UNIQUE (queue, message_key)
      )`,
      `CREATE INDEX dead_letters_at ON dead_letters (dead_lettered_at)`,
    ],
  },
  {
    version: 6,
    name: 'deals are entities too',
    statements: [
      `ALTER TABLE entities DROP CONSTRAINT entities_object_check`,
      `ALTER TABLE entities ADD CONSTRAINT entities_object_check CHECK (object IN ('contact', 'company', 'deal'))`,
    ],
  },
  {
    version: 7,
    name: 'own_writes',
    statements: [
      // Not part of the entity (no revision): a pass records its writes before sending them, whoever saves the entity.
      `CREATE TABLE own_writes (
        system text NOT NULL,
        object text NOT NULL,
        record_id text NOT NULL,
        field text NOT NULL,
        value text,
        written_at timestamptz NOT NULL,
        PRIMARY KEY (system, object, record_id, field)
      )`,
    ],
  },
  {
    version: 8,
    name: 'own_writes keep the value before the last',
    statements: [
      // A write its check refuses never landed: the value recorded before it is again the last one we wrote there.
      `ALTER TABLE own_writes ADD COLUMN previous_value text, ADD COLUMN previous_at timestamptz`,
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
