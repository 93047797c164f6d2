import { setTimeout as delay } from 'node:timers/promises';
import { InterceptingCall, ListenerBuilder, RequesterBuilder, type Interceptor } from '@grpc/grpc-js';
import { Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';

/**
 * The client's gRPC retries of UNAVAILABLE end within about 1.1 s (backoff 0.17, 0.29, 0.49 s, ±20 %), inside the
 * ingresses' bound on a hand-over: with the default 10 attempts they went on in the background long after the 503.
 */
const GRPC_ATTEMPTS = 4;

/**
 * grpc backs off reconnecting to an unreachable server up to 2 minutes by default; the broker listeners hold their
 * messages while Temporal is away and should resume within seconds of its return, not minutes.
 */
const CHANNEL_ARGS = { 'grpc.initial_reconnect_backoff_ms': 250, 'grpc.max_reconnect_backoff_ms': 5_000 };

/** How long close() waits for calls still running (their retries end within about 1.1 s, above). */
const CLOSE_WAIT_MS = 5_000;

export interface IngressConnection {
  connection: Connection;
  /** Closes the connection once no call on it is still running (or after CLOSE_WAIT_MS). */
  close(): Promise<void>;
}

/**
 * The connection the ingresses (webhooks, broker listeners) hand changes over on. Its close waits for the calls still
 * running: a call given up on at its bound (withinDeadline) may have a retry waiting on a timer, and that retry, on a
 * channel closed meanwhile, throws from its timer (seen as "Channel has been shut down" after a stop).
 */
export function connectIngress(address: string): IngressConnection {
  const running = new RunningCalls();
  const connection = Connection.lazy({
    address,
    channelArgs: CHANNEL_ARGS,
    // the counter outermost: a call ends for it only once the retry interceptor has given its final status
    interceptors: [running.interceptor, makeGrpcRetryInterceptor(defaultGrpcRetryOptions({ maxAttempts: GRPC_ATTEMPTS }))],
  });
  return {
    connection,
    close: async () => {
      await running.settled(CLOSE_WAIT_MS);
      await connection.close();
    },
  };
}

class RunningCalls {
  private count = 0;
  private waiting: (() => void)[] = [];

  readonly interceptor: Interceptor = (options, nextCall) =>
    new InterceptingCall(
      nextCall(options),
      new RequesterBuilder()
        .withStart((metadata, _listener, next) => {
          this.count += 1;
          const counted = new ListenerBuilder()
            .withOnReceiveStatus((status, nextStatus) => {
              this.count -= 1;
              if (this.count === 0) for (const resolve of this.waiting.splice(0)) resolve();
              nextStatus(status);
            })
            .build();
          next(metadata, counted);
        })
        .build(),
    );

  async settled(maxWaitMs: number): Promise<void> {
    if (this.count === 0) return;
    await Promise.race([new Promise<void>((resolve) => this.waiting.push(resolve)), delay(maxWaitMs, undefined, { ref: false })]);
  }
}
