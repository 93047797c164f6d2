import { ConfigError, loadConfig, type AppConfig } from '../../../src/config';
import { DEFAULT_SYNC_RULES } from '../../../src/domain/schema/sync-rules';
import { shop } from '../../../src/systems/shop/definition';
import type { SystemContext } from '../../../src/systems/types';
import { tempDirsOfThisFile } from '../../support/temp-dirs';

const dataDir = tempDirsOfThisFile('crm-sync-shop-');
// Sandbox mode's shop is on with a broker only; the definition never connects to it here.
const sandboxConfig = (env: Record<string, string> = {}): AppConfig => loadConfig({ DATA_DIR: dataDir(), AMQP_URL: 'amqp://guest:guest@127.0.0.1:5672', ...env });
const context = (config: AppConfig): SystemContext => ({
  config,
  rules: DEFAULT_SYNC_RULES,
  store: { getToken: () => Promise.resolve(null), withTokenLock: (_system, refresh) => refresh(null) },
});

describe('the shop system definition', () => {
  test('builds its connector and task-queue rate from the settings', () => {
    const config = sandboxConfig({ SHOP_ACTIVITIES_PER_SECOND: '7' });
    expect(shop.createConnector(context(config)).system).toBe('shop');
    expect(shop.activitiesPerSecond(config)).toBe(7);
    expect(shop.objects).toEqual({ contact: 'users', company: 'businesses', deal: 'purchases' });
  });

  test('refuses to run while the shop is not configured (it must not be registered then)', () => {
    const off: AppConfig = { ...sandboxConfig(), shop: undefined };
    expect(() => shop.createConnector(context(off))).toThrow(ConfigError);
    expect(() => shop.activitiesPerSecond(off)).toThrow(/SHOP_API_URL/);
  });

  test('links records to the back office only when its URL is configured', () => {
    expect(shop.recordUrl(sandboxConfig(), 'deal', '300001')).toBeNull();
    const config = sandboxConfig({ SHOP_BACK_OFFICE_URL: 'https://shop.example.com/admin/' });
    expect(shop.recordUrl(config, 'company', '200001')).toBe('https://shop.example.com/admin/businesses/200001');
    expect(shop.recordUrl(config, 'contact', '100001')).toBe('https://shop.example.com/admin/users/100001');
  });

  test('has no HTTP ingress: its changes come over RabbitMQ', () => {
    expect(shop.ingress().stack).toEqual([]);
  });
});
