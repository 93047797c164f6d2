import { randomBytes } from 'node:crypto';
import { loadConfig } from '../../src/config';
import { runHostileProbes } from '../support/hostile-probes';
import { between, type ChaosScenario } from '../support/scenario';

/**
 * Hostile bodies and headers at every HTTP route of the API while a person's edits go on: bad and missing signatures,
 * replayed timestamps, malformed JSON, wrong content types and encodings, huge bodies and batches, deep nesting,
 * unicode and control characters, ids too long for a workflow id, keys of Object's prototype, header injection and
 * request smuggling on a raw socket, wrong methods, the codec and metrics routes without and with wrong tokens. Every
 * answer must be a 4xx (or a 2xx for what is merely odd); a 5xx is a product bug. The oracle then shows sync still works.
 */
export const hostileScenario: ChaosScenario = {
  name: 'hostile',
  summary: 'hostile bodies and headers at every ingress and admin route; no 5xx, and sync unharmed',
  needs: [],
  async fault(context) {
    // The secrets a legitimate sender holds are the sandbox's defaults, as the topology runs them.
    const config = loadConfig({ PATH: process.env.PATH, ADMIN_TOKEN: context.adminToken, CODEC_KEYS: `chaos:${randomBytes(32).toString('base64')}`, CRM_SANDBOX: 'true' });
    const apiUrl = context.topology.urls.api[0];
    if (!apiUrl) throw new Error('the topology runs no API');
    let rounds = 0;
    const outcomes: Awaited<ReturnType<typeof runHostileProbes>> = [];
    let clearedAt = Date.now();
    // Rounds until the load ends, so hostile traffic and a person's edits meet throughout.
    while (await context.pause(between(3_000, 8_000))) {
      // the API signs nothing itself: HubSpot signs the public URL, which is the API's own here
      outcomes.push(...(await runHostileProbes({ apiUrl, publicUrl: apiUrl, hubspotSecret: config.hubspot.clientSecret, zohoChannelToken: config.zoho.channelToken, zohoChannelId: config.zoho.channelId, adminToken: context.adminToken })));
      rounds++;
      clearedAt = Date.now();
      context.log(`hostile round ${rounds}: ${outcomes.length} probes so far, ${outcomes.filter((o) => o.status >= 500).length} answered 5xx`);
    }
    const serverErrors = outcomes.filter((o) => o.status >= 500);
    const unanswered = outcomes.filter((o) => o.status === 0);
    for (const error of new Set(serverErrors.map((o) => `${o.status} ${o.name}`))) context.log(`5xx: ${error}`);
    return {
      clearedAt,
      figures: { hostile5xx: serverErrors.length },
      details: {
        rounds,
        probes: outcomes.length,
        answered2xx: outcomes.filter((o) => o.status >= 200 && o.status < 300).length,
        answered4xx: outcomes.filter((o) => o.status >= 400 && o.status < 500).length,
        // a socket closed on a body the server refused to read is not an answer, and not a 5xx either
        unanswered: unanswered.length,
        unansweredProbes: [...new Set(unanswered.map((o) => o.name))].join('; '),
        serverErrorProbes: [...new Set(serverErrors.map((o) => `${o.status} ${o.name}`))].join('; '),
      },
    };
  },
};
