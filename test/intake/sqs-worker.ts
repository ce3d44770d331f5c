// A queue consumer in its own process, for the SIGTERM test: it processes slowly, prints each message it has
// finished with, and on SIGTERM stops the intake the way `leuko watch` does, then exits.
import { createAccountClients } from '../../src/aws/clients/client-factory.js';
import { startSqsIntake } from '../../src/sources/cloudtrail/sqs-intake.js';

const env = process.env;
const queueUrl = env.QUEUE_URL ?? '';
const delayMs = Number(env.DELAY_MS ?? '200');
const clients = createAccountClients({
  env,
  credentials: async () => ({ accessKeyId: 'testing', secretAccessKey: 'testing' }),
  assumeRole: { roleArn: env.ROLE_ARN ?? '', sessionName: 'leuko-test' },
  maxAttempts: 3,
});

const intake = startSqsIntake({
  sqs: clients.client('sqs', 'us-east-1'),
  queueUrl,
  waitTimeSeconds: 1,
  visibilityTimeoutSeconds: 30,
  handle: async (message) => {
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    // Printed when processing is done, before the delete: a line here means "processed".
    for (const { record } of message.records) process.stdout.write(`processed ${record.eventID ?? ''}\n`);
  },
  onEvent: (event) => {
    if (event.kind === 'received') process.stdout.write(`received ${event.count}\n`);
    if (event.kind === 'stopping') process.stdout.write(`stopping ${event.inFlight}\n`);
  },
});

process.on('SIGTERM', () => {
  void intake.stop().then((stats) => {
    process.stdout.write(`stopped ${JSON.stringify(stats)}\n`);
    clients.destroy();
  });
});

const stats = await intake.done;
process.stdout.write(`done ${stats.deleted}\n`);
