import { TransientCrmError } from '../errors';
import type { ZohoHttp } from './http';
import { ZohoRecordsResponse, type ZohoRecord } from './schemas';

/** COQL answers at most this many rows per call at the lowest credit cost (1 credit up to LIMIT 200). */
export const COQL_PAGE = 200;
/** COQL allows 25 WHERE conditions and 50 values per IN (https://zoho.com/crm/developer/docs/api/v8/COQL-Limitations.html). */
export const COQL_MAX_CONDITIONS = 25;
export const COQL_IN_VALUES = 50;

/**
 * A quoted COQL string literal. Zoho documents no escape rule for quotes inside literals (UNCONFIRMED); a backslash,
 * as Zoho's search criteria use, is what the simulator accepts too.
 */
export function coqlText(value: string): string {
  return `'${value.replace(/[\\']/g, (c) => `\\${c}`)}'`;
}

/** ISO-8601 without milliseconds and with an explicit offset, as Zoho writes date-times. */
export function zohoTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

/** Record ids are 19-digit numbers: compared unquoted, as numbers. */
export function coqlId(id: string): string {
  if (!/^\d+$/.test(id)) throw new TypeError(`not a Zoho record id: ${id}`);
  return id;
}

/** Runs one COQL query; 204 (no rows) is an empty answer. */
export async function runCoql(http: ZohoHttp, operation: string, query: string): Promise<{ records: ZohoRecord[]; more: boolean }> {
  const { status, body } = await http.request(operation, { method: 'POST', path: '/crm/v8/coql', body: { select_query: query } });
  if (status === 204 || body === null) return { records: [], more: false };
  const parsed = ZohoRecordsResponse.safeParse(body);
  if (!parsed.success) throw new TransientCrmError(`Zoho ${operation} answered an unexpected body`, status);
  return { records: parsed.data.data, more: parsed.data.info?.more_records === true };
}

/** Every row of a query (paged with OFFSET while Zoho says there are more). */
export async function allCoqlRows(http: ZohoHttp, operation: string, query: string): Promise<ZohoRecord[]> {
  const rows: ZohoRecord[] = [];
  for (let offset = 0; ; offset += COQL_PAGE) {
    const page = await runCoql(http, operation, `${query} limit ${offset}, ${COQL_PAGE}`);
    rows.push(...page.records);
    if (!page.more) return rows;
  }
}
