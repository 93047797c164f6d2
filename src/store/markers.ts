import { z } from 'zod';
import type { Queryable } from './db';

const MarkerRow = z.object({ value: z.string() });

export async function getMarker(db: Queryable, name: string): Promise<string | null> {
  const rows = await db.query('SELECT value FROM connector_markers WHERE name = $1', [name]);
  return rows[0] === undefined ? null : MarkerRow.parse(rows[0]).value;
}

export async function setMarker(db: Queryable, name: string, value: string): Promise<void> {
  await db.query(
    `INSERT INTO connector_markers (name, value, updated_at) VALUES ($1, $2, now())
     ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
    [name, value],
  );
}
