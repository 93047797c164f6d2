import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { COLLECTIONS, type Collection, type RecordOf } from './records';
import type { ShopData } from './shop-data';

const TableDump = z.object({ nextId: z.number().int(), rows: z.array(z.looseObject({ id: z.string(), version: z.number().int() })) });
const Snapshot = z.object({ version: z.literal(1), tables: z.object({ users: TableDump, businesses: TableDump, purchases: TableDump }) });

/** Every record (deleted ones too) and each collection's next id, as the snapshot file holds them. */
export function snapshotBody(data: ShopData): string {
  const tables = Object.fromEntries(COLLECTIONS.map((collection) => [collection, data.tables[collection].dump()]));
  return JSON.stringify({ version: 1, tables });
}

/** Loads `file` if present (a missing file is a fresh start); publishes nothing, like seeding. */
export async function loadSnapshot(data: ShopData, file: string): Promise<void> {
  if (!existsSync(file)) return;
  const snapshot = Snapshot.parse(JSON.parse(await readFile(file, 'utf8')));
  for (const collection of COLLECTIONS) restore(data, collection, snapshot.tables[collection]);
}

function restore<C extends Collection>(data: ShopData, collection: C, dump: z.infer<typeof TableDump>): void {
  // Written by snapshotBody from this table's own rows; only their envelope is checked.
  data.tables[collection].restore({ nextId: dump.nextId, rows: dump.rows as unknown as RecordOf[C][] });
}
