import { createCallGatherer, type BatchableCall } from '../../../src/connectors/call-gatherer';
import { currentRequestContext, type GrantedSlot } from '../../../src/connectors/http/request-context';

/** A call answered by echoing its argument, recording each request as the ids it carried and the slot it was sent on. */
function echoCall() {
  const requests: { ids: string[]; granted: GrantedSlot | undefined }[] = [];
  const sent = (ids: string[]) => requests.push({ ids, granted: currentRequestContext()?.granted });
  const call: BatchableCall<string, string> = {
    keyOf: (id) => id,
    sameKey: 'share',
    one: async (_object, id) => (sent([id]), `read ${id}`),
    many: async (_object, ids) => (sent(ids), ids.map((id) => ({ ok: true, value: `read ${id}` }))),
    singleCallsUpTo: () => 1,
  };
  return { call, requests };
}

/** A budget whose slots the test grants one at a time. */
function grantedByHand() {
  const asked: ((slot: GrantedSlot) => void)[] = [];
  const budget = {
    awaitSlot: () => new Promise<GrantedSlot>((resolve) => asked.push(resolve)),
    asked: () => asked.length,
    grant(): GrantedSlot {
      const slot = { by: budget, spent: false };
      asked.shift()?.(slot);
      return slot;
    },
  };
  return budget;
}

const settled = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('Call gatherer under a request budget', () => {
  it('asks the budget for one slot at a time and forms the batch when it is granted: calls made meanwhile join it', async () => {
    const { call, requests } = echoCall();
    const budget = grantedByHand();
    const read = createCallGatherer(call, { awaitSlot: budget.awaitSlot });

    const first = read('contact', 'a');
    await settled();
    expect(budget.asked()).toBe(1);
    // while that slot is awaited: three more calls, one of them for a record already asked
    const later = ['b', 'c', 'a'].map((id) => read('contact', id));
    await settled();
    expect(budget.asked()).toBe(1);
    expect(requests).toHaveLength(0);

    const slot = budget.grant();
    expect(await Promise.all([first, ...later])).toEqual(['read a', 'read b', 'read c', 'read a']);
    expect(requests).toEqual([{ ids: ['a', 'b', 'c'], granted: slot }]);
    expect(budget.asked()).toBe(0);
  });

  it('gives the slot to the first call of a batch sent call by call, and asks again for what is left', async () => {
    const { call, requests } = echoCall();
    const budget = grantedByHand();
    const read = createCallGatherer({ ...call, singleCallsUpTo: () => 2 }, { awaitSlot: budget.awaitSlot });

    const answers = Promise.all(['a', 'b'].map((id) => read('contact', id)));
    await settled();
    const slot = budget.grant();
    expect(await answers).toEqual(['read a', 'read b']);
    // the second call's request waits in the connector for a slot of its own: it carries none
    expect(requests).toEqual([
      { ids: ['a'], granted: slot },
      { ids: ['b'], granted: undefined },
    ]);

    const next = read('contact', 'c');
    await settled();
    expect(budget.asked()).toBe(1);
    budget.grant();
    expect(await next).toBe('read c');
  });

  it('sends at once, without a slot, the calls on an object the budget does not hold', async () => {
    const { call, requests } = echoCall();
    const budget = grantedByHand();
    const read = createCallGatherer(call, { awaitSlot: (object) => (object === 'deal' ? null : budget.awaitSlot()) });

    const deals = Promise.all(['d1', 'd2'].map((id) => read('deal', id)));
    const contact = read('contact', 'a');
    expect(await deals).toEqual(['read d1', 'read d2']);
    expect(requests).toEqual([{ ids: ['d1', 'd2'], granted: undefined }]);
    await settled();
    expect(budget.asked()).toBe(1);
    const slot = budget.grant();
    expect(await contact).toBe('read a');
    expect(requests[1]).toEqual({ ids: ['a'], granted: slot });
  });
});
