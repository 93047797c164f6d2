import { Client } from '@hubspot/api-client';
import { createTimeoutAgent } from './src/connectors/http/timeout-agent';
import { createHubspotSimulator } from './src/sandbox/hubspot';
async function main() {
  const sim = await createHubspotSimulator({ port: 0, clientId: 'c', clientSecret: 's', refreshToken: 'r' });
  const t = await new Client({ basePath: sim.url }).oauth.tokensApi.create('refresh_token', undefined, undefined, 'c', 's', 'r');
  const client = new Client({ basePath: sim.url, accessToken: t.accessToken, numberOfApiCallRetries: 0, httpAgent: createTimeoutAgent(sim.url, 300) });
  await fetch(`${sim.url}/_sim/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ timeoutRate: 1 }) });
  const started = Date.now();
  try { await client.crm.objects.basicApi.getById('contacts', '1'); } catch (e) { console.log('error after', Date.now() - started, (e as Error).name, (e as Error).message.slice(0, 100)); }
  await sim.close();
}
void main();
