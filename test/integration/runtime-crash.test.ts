import { runEntryPoint } from '../support/child-process';

/**
 * A process of ours (npm start, the simulators' child) that meets an exception nothing caught stops what it started
 * before it exits: the simulators' private RabbitMQ node once outlived such a crash, holding its port.
 */
describe('an exception nothing caught', () => {
  test.each(['main', 'child'])('in the %s entry point stops the parts, then exits 1 naming the error', async (kind) => {
    const result = await runEntryPoint('test/fixtures/crashing-entry-point.ts', [kind], { PATH: process.env.PATH });
    expect(result.stderr).toContain(`crashing ${kind}: uncaught exception: Error: boom in a callback`);
    expect(result.stdout).toContain('parts stopped');
    expect(result.code).toBe(1);
  });
});
