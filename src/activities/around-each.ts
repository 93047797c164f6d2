/** An object of activity functions, as the worker registers them. */
export type ActivityFunctions = Record<string, (...args: never[]) => Promise<unknown>>;

/** The same activities, each call run through `around`, which runs `call` once and returns (or throws) its outcome. */
export function aroundEach<T extends ActivityFunctions>(activities: T, around: (call: () => Promise<unknown>) => Promise<unknown>): T {
  const wrapped: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(activities)) wrapped[name] = (...args: never[]) => around(() => fn(...args));
  return wrapped as T;
}
