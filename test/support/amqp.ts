/** The run's broker (test/support/global-setup.ts); a test that needs one fails here rather than skipping. */
export function amqpUrl(): string {
  const url = process.env.AMQP_URL;
  if (!url) throw new Error('No RabbitMQ for this test run: install rabbitmq-server (apt-get install rabbitmq-server) or set AMQP_URL');
  return url;
}
