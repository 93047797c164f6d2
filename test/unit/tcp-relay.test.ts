import { connect, createServer, type Server } from 'node:net';
import { freePort } from '../support/free-port';
import { startRelay } from '../support/tcp-relay';

/** A server that answers every connection with its name, then closes it. */
async function namedServer(name: string): Promise<{ port: number; server: Server }> {
  const server = createServer((socket) => socket.end(name));
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { port, server };
}

function answerOf(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const socket = connect(port, '127.0.0.1');
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    socket.once('close', () => resolve(text));
    socket.once('error', reject);
  });
}

/** The relay in front of the cluster's API replicas: one connection to each in turn, skipping one that is down. */
describe('round-robin TCP relay', () => {
  test('takes the targets in turn, and skips a target that refuses the connection', async () => {
    const a = await namedServer('a');
    const b = await namedServer('b');
    const port = await freePort();
    const relay = await startRelay(port, [`127.0.0.1:${a.port}`, `127.0.0.1:${b.port}`]);
    try {
      const answers: string[] = [];
      for (let i = 0; i < 4; i++) answers.push(await answerOf(port));
      expect(answers).toEqual(['a', 'b', 'a', 'b']);

      await new Promise((resolve) => b.server.close(resolve));
      const afterClose: string[] = [];
      for (let i = 0; i < 3; i++) afterClose.push(await answerOf(port));
      expect(afterClose).toEqual(['a', 'a', 'a']);
    } finally {
      await relay.close();
      await new Promise((resolve) => a.server.close(resolve));
    }
  });
});
