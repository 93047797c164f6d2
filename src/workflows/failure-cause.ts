import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';

/** What went wrong behind an activity failure: its cause, or the error itself when thrown in workflow code. */
export function causeOf(error: unknown): unknown {
  return error instanceof ActivityFailure ? error.cause : error;
}

/** The ApplicationFailure type behind an activity failure (or thrown in workflow code). */
export function failureTypeOf(error: unknown): string | undefined {
  const cause = causeOf(error);
  return cause instanceof ApplicationFailure ? (cause.type ?? undefined) : undefined;
}
