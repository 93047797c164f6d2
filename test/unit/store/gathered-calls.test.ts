import { gatherCalls } from '../../../src/store/gathered-calls';
import { waitFor } from '../../support/wait-for';

/** A set-based call answering each key with its double, whose batches the test lets finish one at a time. */
function heldCall() {
  const batches: number[][] = [];
  const held: (() => void)[] = [];
  const many = async (keys: readonly number[]): Promise<(number | Error)[]> => {
    batches.push([...keys]);
    await new Promise<void>((resolve) => held.push(resolve));
    return keys.map((key) => (key < 0 ? new Error(`refused ${key}`) : key * 2));
  };
  return { many, batches, release: () => held.shift()?.() };
}

describe('gathered store calls', () => {
  it('sends calls of one turn together, and gathers the calls made while a batch is in flight into the next one', async () => {
    const { many, batches, release } = heldCall();
    const call = gatherCalls(many);
    const first = Promise.all([call([1]), call([2, 3])]);
    await waitFor(() => batches.length === 1, 'the first batch sent');
    const later = Promise.all([call([4]), call([5]), call([6, 7])]);
    // nothing more is sent while the first batch is in flight
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([[1, 2, 3]]);
    release();
    await expect(first).resolves.toEqual([[2], [4, 6]]);
    await waitFor(() => batches.length === 2, 'the second batch sent');
    release();
    await expect(later).resolves.toEqual([[8], [10], [12, 14]]);
    expect(batches).toEqual([[1, 2, 3], [4, 5, 6, 7]]);
  });

  it("fails only the caller of a key answered with an error; a throw fails every caller of the batch", async () => {
    const { many, batches, release } = heldCall();
    const call = gatherCalls(many);
    const answers = Promise.allSettled([call([1]), call([-1, 2]), call([3])]);
    await waitFor(() => batches.length === 1, 'the batch sent');
    release();
    expect((await answers).map((answer) => (answer.status === 'fulfilled' ? answer.value : String(answer.reason)))).toEqual([[2], 'Error: refused -1', [6]]);

    const down = gatherCalls(async (_keys: readonly number[]): Promise<number[]> => {
      throw new Error('database down');
    });
    const failed = await Promise.allSettled([down([1]), down([2])]);
    expect(failed.map((answer) => answer.status === 'rejected' && String(answer.reason))).toEqual(['Error: database down', 'Error: database down']);
    // a later call is sent again: nothing is cached, not even a failure
    const again = heldCall();
    const retried = gatherCalls(again.many);
    const once = retried([1]);
    await waitFor(() => again.batches.length === 1, 'the batch sent');
    again.release();
    await once;
    const twice = retried([1]);
    await waitFor(() => again.batches.length === 2, 'the same key sent again');
    again.release();
    await expect(twice).resolves.toEqual([2]);
  });

  it('runs a call of a page or more on its own, in one statement, and splits what is gathered beyond a page', async () => {
    const { many, batches, release } = heldCall();
    const call = gatherCalls(many);
    const page = Array.from({ length: 250 }, (_, i) => i);
    const gathered = Array.from({ length: 150 }, (_, i) => [i, i + 1000]);
    const answers = Promise.all([call(page), ...gathered.map((keys) => call(keys))]);
    await waitFor(() => batches.length === 2, 'the page and the first gathered batch sent');
    release();
    release();
    await waitFor(() => batches.length === 3, 'the rest of the gathered calls sent');
    release();
    const [pageAnswer, ...rest] = await answers;
    expect(pageAnswer).toEqual(page.map((key) => key * 2));
    expect(rest).toEqual(gathered.map((keys) => keys.map((key) => key * 2)));
    expect(batches.map((batch) => batch.length)).toEqual([250, 200, 100]);
  });
});
