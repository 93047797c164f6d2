import { paced } from '../../bench/support/pacer';
import { shopClient } from '../../test/support/shop-admin';
import type { ChaosScenario, FaultContext } from '../support/scenario';
import { crashTwice } from './store-restart';

/** A back-office person's pace in the shop, beside the CRM load. */
const SHOP_CHANGES_PER_SECOND = 1;
/** one shop change in this many signs a new user up; the others edit a user's last name */
const SIGN_UP_EVERY = 4;

/**
 * A person's changes in the shop, recorded in the oracle: every user signed up must reach Zoho (which holds every
 * contact; HubSpot only the hot ones) with the shop's last edit of their name. Returns how many changes were made and
 * refused. Edits of one user are made one after the other, so the oracle's order is the shop's.
 */
async function shopLoad(context: FaultContext, shopUrl: string): Promise<{ made: number; refused: number }> {
  const shop = shopClient(shopUrl);
  const users: { id: string; email: string }[] = [];
  const busy = new Set<string>();
  const run = Date.now().toString(36);
  let made = 0;
  let refused = 0;
  await paced({ ratePerSecond: SHOP_CHANGES_PER_SECOND, stop: () => !context.loadRunning() }, async (seq) => {
    try {
      const user = users[seq % Math.max(users.length, 1)];
      if (seq % SIGN_UP_EVERY === 0 || !user) {
        const email = `shop-${run}-${seq}@chaos.example`;
        const fields = { firstName: `Shopper ${seq}`, lastName: `Signed up ${seq}` };
        const created = await shop.create('users', { email, first_name: fields.firstName, last_name: fields.lastName });
        context.oracle.created(email, ['zoho'], fields);
        users.push({ id: created.id, email });
        made++;
        return;
      }
      if (busy.has(user.id)) return;
      busy.add(user.id);
      try {
        const lastName = `Edited in the shop ${seq}`;
        await shop.update('users', user.id, { last_name: lastName });
        context.oracle.edited(user.email, 'lastName', lastName);
        made++;
      } finally {
        busy.delete(user.id);
      }
    } catch {
      refused++;
    }
  });
  return { made, refused };
}

/**
 * The shop's RabbitMQ node killed with SIGKILL (no clean shutdown) twice during the load, down 10-20 s each time, and
 * started again on its data, while a person keeps changing users in the shop and editing contacts in both CRMs. The
 * shop's events published meanwhile wait in its publisher; ours (commands) in our activities' retries; nothing may be
 * lost or duplicated. Needs the shop: the split topology runs it with a broker when a scenario asks.
 */
export const brokerRestartScenario: ChaosScenario = {
  name: 'broker-restart',
  summary: "the shop's RabbitMQ node killed (SIGKILL) twice, down 10-20 s each time, while shop users sign up and change",
  needs: ['broker'],
  topology: { shop: true },
  async fault(context) {
    const shopUrl = context.topology.urls.shop;
    if (!shopUrl) throw new Error('the topology runs no shop');
    const shopChanges = shopLoad(context, shopUrl);
    const outcome = await crashTwice(context, 'broker');
    const shop = await shopChanges;
    return { ...outcome, details: { ...outcome.details, shopChanges: shop.made, shopChangesRefused: shop.refused } };
  },
};
