import { describeEachBackend, uniqueId, useStore } from './backends';

describeEachBackend('dead-lettered messages', (backend) => {
  const store = useStore(backend);

  it('keeps each message once however often it is recorded (a redelivery), with its reason, newest after since', async () => {
    const queue = uniqueId('queue');
    const before = new Date(Date.now() - 1000).toISOString();
    const letter = { system: 'shop', queue, messageId: 'm-1', key: 'digest-1', reason: 'invalid JSON' };
    await store().recordDeadLetter(letter);
    await store().recordDeadLetter(letter);
    await store().recordDeadLetter({ ...letter, messageId: null, key: 'digest-2', reason: 'breaks the contract: type: Invalid option' });
    const mine = (await store().deadLettersSince(before)).filter((row) => row.queue === queue);
    expect(mine.map(({ messageId, reason }) => ({ messageId, reason }))).toEqual([
      { messageId: 'm-1', reason: 'invalid JSON' },
      { messageId: null, reason: 'breaks the contract: type: Invalid option' },
    ]);
    expect(mine[0]?.deadLetteredAt).toEqual(expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/));
    expect((await store().deadLettersSince(new Date(Date.now() + 60_000).toISOString())).filter((row) => row.queue === queue)).toEqual([]);
  });
});
