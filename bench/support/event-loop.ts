import { monitorEventLoopDelay } from 'node:perf_hooks';
import { reportSummary } from './stats';

/**
 * Delay of this process's event loop while `run` runs. The bench process hosts the simulators, the API and the
 * worker's activities together (as `npm start` does), so a long synchronous stretch anywhere delays every live edit.
 */
export async function withEventLoopDelay<T>(run: () => Promise<T>): Promise<{ result: T; eventLoopDelayMs: ReturnType<typeof reportSummary> }> {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  let result: T;
  try {
    result = await run();
  } finally {
    histogram.disable();
  }
  const ms = (ns: number) => ns / 1e6;
  return {
    result,
    eventLoopDelayMs: reportSummary({
      count: histogram.count,
      min: ms(histogram.min),
      p50: ms(histogram.percentile(50)),
      p95: ms(histogram.percentile(95)),
      p99: ms(histogram.percentile(99)),
      max: ms(histogram.max),
      mean: ms(histogram.mean),
    }),
  };
}
