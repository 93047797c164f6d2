import { readContacts, type CrmAdmins } from './crm-state';
import { judge, type CrmSnapshot, type Oracle, type Verdict } from './oracle';

export interface Convergence {
  /** ms from `since` until every record the oracle knows was where it must be with its last edits; null: never */
  convergedAfterMs: number | null;
  verdict: Verdict;
  snapshot: CrmSnapshot;
}

/**
 * Reads both CRMs about once a second until nothing is missing and no field lacks its last edit, or until the bound.
 * Duplicates never heal by themselves, so they do not hold the wait; they are in the verdict either way.
 */
export async function awaitConvergence(admins: CrmAdmins, oracle: Oracle, since: number, timeoutMs: number): Promise<Convergence> {
  const deadline = since + timeoutMs;
  for (;;) {
    const snapshot = await readContacts(admins);
    const verdict = judge(oracle.expectations(), snapshot);
    if (verdict.lostUpdates.length === 0 && verdict.missing.length === 0) return { convergedAfterMs: Date.now() - since, verdict, snapshot };
    if (Date.now() >= deadline) return { convergedAfterMs: null, verdict, snapshot };
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}
