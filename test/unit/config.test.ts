import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig, temporalAddress, withSandboxBroker } from '../../src/config';
import { tempDirsOfThisFile } from '../support/temp-dirs';

const dataDir = tempDirsOfThisFile('crm-sync-config-');

describe('configuration', () => {
  test('no configuration at all is sandbox mode with the documented defaults', () => {
    const config = loadConfig({ DATA_DIR: dataDir() });
    expect(config.sandbox).toBe(true);
    expect(config.api).toMatchObject({ host: '127.0.0.1', port: 3000 });
    expect(config.temporal).toMatchObject({ address: undefined, port: 7233, uiPort: 8233 });
    expect(config.hubspot.basePath).toBe('http://127.0.0.1:3101');
    expect(config.zoho.apiBaseUrl).toBe('http://127.0.0.1:3102');
    expect(config.rules.priority).toEqual(['zoho', 'hubspot', 'shop']);
  });

  test('every entry point connects to TEMPORAL_ADDRESS, else to the embedded server on TEMPORAL_PORT', () => {
    expect(temporalAddress(loadConfig({ DATA_DIR: dataDir() }))).toBe('127.0.0.1:7233');
    expect(temporalAddress(loadConfig({ DATA_DIR: dataDir(), TEMPORAL_PORT: '17433' }))).toBe('127.0.0.1:17433');
    expect(temporalAddress(loadConfig({ DATA_DIR: dataDir(), TEMPORAL_PORT: '17433', TEMPORAL_ADDRESS: 'temporal:7233' }))).toBe('temporal:7233');
  });

  test('a bad value stops start-up with a message naming the variable and what is expected', () => {
    const attempt = () => loadConfig({ DATA_DIR: dataDir(), API_PORT: 'eighty', LOG_LEVEL: 'loud' });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toMatch(/API_PORT: /);
      expect(message).toMatch(/LOG_LEVEL: .*(fatal|info)/);
    }
  });

  test('reconciliation runs every 5 minutes with a 2 minute overlap by default; durations take units and 0 turns it off', () => {
    expect(loadConfig({ DATA_DIR: dataDir() }).reconcile).toEqual({ intervalMs: 300_000, overlapMs: 120_000, settleMs: 30_000 });
    expect(loadConfig({ DATA_DIR: dataDir(), RECONCILE_INTERVAL: '30s', RECONCILE_OVERLAP: '1500', RECONCILE_SETTLE: '0' }).reconcile).toEqual({ intervalMs: 30_000, overlapMs: 1500, settleMs: 0 });
    expect(loadConfig({ DATA_DIR: dataDir(), RECONCILE_INTERVAL: '0' }).reconcile.intervalMs).toBe(0);
    expect(() => loadConfig({ DATA_DIR: dataDir(), RECONCILE_INTERVAL: 'often' })).toThrow(/RECONCILE_INTERVAL: "often" is not a duration/);
    expect(() => loadConfig({ DATA_DIR: dataDir(), RECONCILE_INTERVAL: '200ms' })).toThrow(/RECONCILE_INTERVAL: must be 0 \(off\) or at least 1s/);
  });

  test('live mode requires real credentials and refuses the public sandbox secrets', () => {
    const attempt = () => loadConfig({ DATA_DIR: dataDir(), HUBSPOT_REFRESH_TOKEN: 'r1', ZOHO_REFRESH_TOKEN: 'r2' });
    expect(attempt).toThrow(/HUBSPOT_CLIENT_SECRET: set your own value/);
    expect(attempt).toThrow(/CODEC_KEYS: required outside sandbox mode/);
    expect(attempt).toThrow(/ADMIN_TOKEN: required outside sandbox mode/);
  });

  test('the sync rules file is validated, and its errors name the file and the path', () => {
    const dir = dataDir();
    const file = join(dir, 'rules.json');
    writeFileSync(file, JSON.stringify({ priority: 'salesforce' }));
    expect(() => loadConfig({ DATA_DIR: dir, SYNC_CONFIG_FILE: file })).toThrow(/SYNC_CONFIG_FILE \(.*rules\.json\): invalid sync rules:\s+- priority: .*array/);
    writeFileSync(file, JSON.stringify({ deletes: { hubspot: 'delete-counterpart' } }));
    expect(loadConfig({ DATA_DIR: dir, SYNC_CONFIG_FILE: file }).rules.deletes).toEqual({ zoho: 'archive-counterpart', hubspot: 'delete-counterpart', shop: 'unlink' });
  });

  test('a rules file of the two-system format keeps working, or says how to convert it', () => {
    const dir = dataDir();
    const file = join(dir, 'rules.json');
    writeFileSync(file, JSON.stringify({ master: 'hubspot', crossReference: { zohoField: 'HS_Id' } }));
    const { rules } = loadConfig({ DATA_DIR: dir, SYNC_CONFIG_FILE: file });
    expect(rules.priority).toEqual(['hubspot', 'zoho', 'shop']);
    expect(rules.crossReference.zoho).toEqual({ hubspot: 'HS_Id' });
    writeFileSync(file, JSON.stringify({ master: 'salesforce' }));
    expect(() => loadConfig({ DATA_DIR: dir, SYNC_CONFIG_FILE: file })).toThrow(/SYNC_CONFIG_FILE \(.*rules\.json\): invalid sync rules:\s+- master: .*"zoho"/);
    writeFileSync(file, JSON.stringify({ hot: { contact: { field: 'Rating', op: 'notEmpty' } } }));
    expect(() => loadConfig({ DATA_DIR: dir, SYNC_CONFIG_FILE: file })).toThrow(/hot\.contact\.field: .*writing holds\.hubspot\.contact as a condition on canonical fields/);
  });

  test('sandbox secrets are generated once and kept, so a restart can still decrypt old history', () => {
    const dir = dataDir();
    const first = loadConfig({ DATA_DIR: dir });
    const second = loadConfig({ DATA_DIR: dir });
    expect(second.codecKeys).toEqual(first.codecKeys);
    expect(second.adminToken).toBe(first.adminToken);
    expect(first.adminToken.length).toBeGreaterThanOrEqual(24);
  });

  test('the shop: in sandbox mode the simulator, on once there is a broker; live, off until SHOP_API_URL is set, and then with its own key and broker', () => {
    const sandbox = loadConfig({ DATA_DIR: dataDir(), PATH: '/usr/bin' });
    expect(sandbox.shop).toBeUndefined();
    expect(sandbox.sandboxServers).toMatchObject({ shopPort: 3103, amqpPort: 5682, path: '/usr/bin', rabbitmqBinDir: undefined });
    expect(withSandboxBroker(sandbox, 'amqp://guest:guest@127.0.0.1:5682').shop).toEqual({
      apiUrl: 'http://127.0.0.1:3103',
      apiKey: 'sandbox-shop-key',
      amqpUrl: 'amqp://guest:guest@127.0.0.1:5682',
      namePrefix: '',
      activitiesPerSecond: 20,
      backOfficeUrl: undefined,
    });
    expect(loadConfig({ DATA_DIR: dataDir(), SANDBOX_AMQP_PORT: '5999', RABBITMQ_BIN_DIR: '/opt/rabbitmq/sbin' }).sandboxServers).toMatchObject({ amqpPort: 5999, rabbitmqBinDir: '/opt/rabbitmq/sbin' });
    expect(loadConfig({ DATA_DIR: dataDir(), SANDBOX_SHOP_PORT: '4103', AMQP_URL: 'amqp://guest:guest@127.0.0.1:5999' }).shop).toMatchObject({ apiUrl: 'http://127.0.0.1:4103', amqpUrl: 'amqp://guest:guest@127.0.0.1:5999' });

    const live = { DATA_DIR: dataDir(), HUBSPOT_REFRESH_TOKEN: 'r1', ZOHO_REFRESH_TOKEN: 'r2', HUBSPOT_CLIENT_SECRET: 'h', ZOHO_CLIENT_SECRET: 'z', ZOHO_CHANNEL_TOKEN: 'channel-token', CODEC_KEYS: `k1:${Buffer.alloc(32, 1).toString('base64')}`, ADMIN_TOKEN: 'admin' };
    expect(loadConfig(live).shop).toBeUndefined();
    const attempt = () => loadConfig({ ...live, SHOP_API_URL: 'https://shop.example.com' });
    expect(attempt).toThrow(/SHOP_API_KEY: required with SHOP_API_URL/);
    expect(attempt).toThrow(/AMQP_URL: required with SHOP_API_URL/);
    expect(() => loadConfig({ ...live, SHOP_API_URL: 'https://shop.example.com', SHOP_API_KEY: 'sandbox-shop-key', AMQP_URL: 'amqps://b' })).toThrow(/SHOP_API_KEY: set your own value/);
    expect(loadConfig({ ...live, SHOP_API_URL: 'https://shop.example.com', SHOP_API_KEY: 'k', AMQP_URL: 'amqps://b', SHOP_NAME_PREFIX: 'eu.', SHOP_ACTIVITIES_PER_SECOND: '5' }).shop).toEqual({
      apiUrl: 'https://shop.example.com',
      apiKey: 'k',
      amqpUrl: 'amqps://b',
      namePrefix: 'eu.',
      activitiesPerSecond: 5,
      backOfficeUrl: undefined,
    });
  });
});
