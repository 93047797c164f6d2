import { Connection } from '@temporalio/client';

test('the dev server from globalSetup answers', async () => {
  const connection = await Connection.connect({ address: process.env.TEMPORAL_TEST_ADDRESS });
  try {
    const info = await connection.workflowService.getSystemInfo({});
    expect(info.serverVersion).toMatch(/\d+\.\d+/);
  } finally {
    await connection.close();
  }
});
