import { runEntryPoint } from '../support/child-process';
import { freePort } from '../support/free-port';

/**
 * One bound covers every call the ingress makes for a delivery (tens of signals at once). Each call listens to the
 * bound's abort signal, and Node warned of a listener leak from the 11th on: "MaxListenersExceededWarning" in the
 * operators' log at every large delivery, where nothing leaks (the bound is dropped with its calls). A call the bound
 * cut off may still have a gRPC retry waiting on a timer: closed under it, the channel made that retry throw (CI saw
 * "Channel has been shut down" once, after shop-broker's Temporal-unreachable test).
 */
describe('calls under one Temporal deadline', () => {
  test('fifty calls in flight answer without a listener-leak warning', async () => {
    const address = process.env.TEMPORAL_TEST_ADDRESS ?? '';
    expect(address).not.toBe('');
    const result = await runEntryPoint('test/fixtures/calls-under-one-deadline.ts', [address, '50'], { PATH: process.env.PATH });
    expect(result.stdout).toContain('answered 50');
    expect(result.stderr).not.toContain('MaxListenersExceededWarning');
    expect(result.code).toBe(0);
  });

  test('a connection closed just after a call was given up on waits for its retry, then ends cleanly', async () => {
    // nothing listens there: a call's first attempt is refused at once and its retry waits 0.14-0.2 s, past the 100 ms bound
    const unreachable = `127.0.0.1:${await freePort()}`;
    const result = await runEntryPoint('test/fixtures/close-after-deadline.ts', [unreachable], { PATH: process.env.PATH });
    expect(result.stdout).toContain('given up\nclosed\n');
    expect(result.stderr).not.toContain('Channel has been shut down');
    expect(result.code).toBe(0);
  });
});
