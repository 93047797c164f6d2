import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { alive, startAppOnFreePorts, type AppPort, type AppProcess } from '../support/app-process';
import { waitFor } from '../support/wait-for';

jest.setTimeout(120_000);

/**
 * Issue 14 point 5: `npm start` runs the simulators in a child process of its own (src/sandbox-main.ts). Neither may
 * outlive the other half-working: a crash of the simulators stops npm start with a message saying so, and a SIGKILL
 * of npm start's node process (no chance to stop anything) takes the simulators with it, freeing their ports.
 * No rabbitmq-server here (an empty RABBITMQ_BIN_DIR): the CRMs' simulators are what this is about.
 */
describe("npm start and its simulators' process", () => {
  const dirs: string[] = [];
  let app: AppProcess | undefined;
  afterAll(() => {
    killGroup(app);
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  async function start(): Promise<{ running: AppProcess; ports: Record<AppPort, number>; appPid: number; simsPid: number }> {
    const dataDir = mkdtempSync(join(tmpdir(), 'crm-sync-start-sims-'));
    dirs.push(dataDir);
    const started = await startAppOnFreePorts(dataDir, { SANDBOX_SEED_CONTACTS: '2', SANDBOX_SEED_COMPANIES: '1', RABBITMQ_BIN_DIR: dataDir });
    app = started.app;
    const [appPid, simsPid] = await Promise.all([app.listener(started.ports.API_PORT), app.listener(started.ports.SANDBOX_HUBSPOT_PORT)]);
    if (appPid === undefined || simsPid === undefined || appPid === simsPid) throw new Error(`the API (pid ${appPid}) and the simulators (pid ${simsPid}) in one process or none:\n${app.output()}`);
    return { running: app, ports: started.ports, appPid, simsPid };
  }

  test('a crash of the simulators stops npm start, saying so, and leaves no process of the tree', async () => {
    const { running, simsPid } = await start();
    const tree = await running.processTree();
    process.kill(simsPid, 'SIGKILL');
    const ended = await running.exited;
    expect(ended).toEqual({ code: 1, signal: null });
    expect(running.output()).toContain(`crm-sync: the simulators' process (pid ${simsPid}) ended unexpectedly (signal SIGKILL), shutting down\n`);
    expect(running.output()).toContain('crm-sync: stopped\n');
    await waitFor(() => alive(tree).length === 0, 'every process of the tree to end', 20_000, 100);
    app = undefined;
  });

  test("npm start's node process killed with SIGKILL: the simulators' process ends too and frees its ports", async () => {
    const { running, ports, appPid, simsPid } = await start();
    process.kill(appPid, 'SIGKILL');
    await waitFor(() => alive([simsPid]).length === 0, "the simulators' process to end", 20_000, 100);
    const hubspot = await fetch(`http://127.0.0.1:${ports.SANDBOX_HUBSPOT_PORT}/_sim/stats`).then(
      (response) => response.status,
      () => 'refused',
    );
    expect(hubspot).toBe('refused');
    // The embedded Temporal dev server has no such watch: it outlives a SIGKILL of its parent alone (not of the group).
    killGroup(running);
    app = undefined;
  });
});

/** SIGKILL to the whole group, whatever is left of it (npm itself may be gone already). */
function killGroup(running: AppProcess | undefined): void {
  try {
    if (running?.child.pid) process.kill(-running.child.pid, 'SIGKILL');
  } catch {
    // nothing left
  }
}
