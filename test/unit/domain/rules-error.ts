import { parseSyncRules, SyncRulesError } from '../../../src/domain/schema/sync-rules';

/** The error a rules document is refused with; fails the test when it is accepted. */
export function rulesErrorOf(input: unknown): SyncRulesError {
  try {
    parseSyncRules(input);
  } catch (error) {
    if (error instanceof SyncRulesError) return error;
    throw error;
  }
  throw new Error('expected parseSyncRules to throw');
}
