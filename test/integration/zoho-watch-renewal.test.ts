import { hubspotAdmin, zohoAdmin } from '../support/sim-client';
import { startTestStackWithAdmins, type TestStack } from '../support/stack';
import { waitFor } from '../support/wait-for';

jest.setTimeout(120_000);

/** What the Zoho simulator grants every channel here: far less than the week we ask for, and less than a minute. */
const CHANNEL_LIFETIME_MS = 20_000;

/**
 * Issue 15 point 7: the Zoho channel is renewed before it expires, whatever lifetime Zoho grants. A channel that
 * lapsed would stop Zoho's notifications, and a Zoho edit would then never reach HubSpot.
 */
describe('the Zoho notification channel', () => {
  let stack: TestStack;
  let hubspot: ReturnType<typeof hubspotAdmin>;
  let zoho: ReturnType<typeof zohoAdmin>;
  let registeredAt = 0;

  beforeAll(async () => {
    ({ stack, hubspot, zoho } = await startTestStackWithAdmins({
      testFile: __filename,
      zoho: { channelDefaultExpiryMs: CHANNEL_LIFETIME_MS, channelMaxExpiryMs: CHANNEL_LIFETIME_MS },
    }));
    registeredAt = Date.now();
  });
  afterAll(async () => {
    await stack?.close();
  });

  const inHubspot = (email: string) => async () => (await hubspot.records('contacts')).find((r) => r.properties.email === email);

  test('keeps notifying past the first and second expiry of a short-lived channel', async () => {
    await zoho.create('Contacts', { Email: 'first@example.com', Last_Name: 'First', Lead_Status: 'Hot' });
    await waitFor(inHubspot('first@example.com'), 'a contact made while the first channel lives, in HubSpot', 15_000);

    for (const [lapse, email] of [[1, 'second@example.com'], [2, 'third@example.com']] as const) {
      const expiry = registeredAt + lapse * CHANNEL_LIFETIME_MS + 2_000;
      await waitFor(() => Date.now() > expiry, `the channel's expiry number ${lapse} to pass`, CHANNEL_LIFETIME_MS * 2, 250);
      await zoho.create('Contacts', { Email: email, Last_Name: 'Later', Lead_Status: 'Hot' });
      await waitFor(inHubspot(email), `a contact made after expiry number ${lapse}, in HubSpot`, 15_000);
    }
  });
});
