// The SNS channel against moto: a topic with an SQS queue subscribed; the alert is read back from the queue.
import { CreateTopicCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../src/notify/alert.js';
import { createAlertSink } from '../../src/notify/index.js';
import { accountClients, motoEndpoint, motoEnv, TEST_CREDENTIALS, testRoleArn, uniqueAccountId } from '../harness/aws.js';
import { ACTOR_ARN, openedAlerts } from './fixtures.js';

const REGION = 'eu-west-1';

interface SnsEnvelope {
  Type: string;
  Subject?: string;
  Message: string;
  MessageAttributes?: Record<string, { Type: string; Value: string }>;
}

describe('SNS alerts, published to moto and read back through a subscribed SQS queue', () => {
  const account = uniqueAccountId();
  const clients = accountClients(account);
  // The queue lives in the same account as the topic, reached by the same assumed role.
  const sqs = new SQSClient({
    region: REGION,
    endpoint: motoEndpoint(),
    credentials: fromTemporaryCredentials({
      masterCredentials: async () => ({ ...TEST_CREDENTIALS }),
      params: { RoleArn: testRoleArn(account), RoleSessionName: 'leuko-test' },
      clientConfig: { region: REGION, endpoint: motoEndpoint() },
    }),
  });
  let topicArn: string;
  let queueUrl: string;

  beforeAll(async () => {
    const sns = clients.client('sns', REGION);
    topicArn = (await sns.send(new CreateTopicCommand({ Name: 'leuko-alerts' }))).TopicArn ?? '';
    queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'leuko-alerts-inbox' }))).QueueUrl ?? '';
    const queueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))).Attributes?.QueueArn;
    await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queueArn }));
  });
  afterAll(() => {
    clients.destroy();
    sqs.destroy();
  });

  const receive = async (count: number): Promise<Message[]> => {
    const messages: Message[] = [];
    for (let round = 0; round < 10 && messages.length < count; round += 1) {
      const reply = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      messages.push(...(reply.Messages ?? []));
    }
    return messages;
  };

  it('publishes through the client factory (endpoint override, assumed role): SQS gets the alert as JSON', async () => {
    expect(topicArn).toMatch(new RegExp(`^arn:aws:sns:${REGION}:${account}:leuko-alerts$`));
    const [alert] = openedAlerts(1, { start: 900 });
    const sink = createAlertSink(
      { channels: [{ name: 'topic', type: 'sns', topicArn, roleArn: testRoleArn(account) }] },
      { aws: { env: motoEnv(), credentials: async () => ({ ...TEST_CREDENTIALS }) } },
    );
    await sink.send([alert!]);
    await sink.close();
    expect(sink.deliveries()).toEqual([expect.objectContaining({ channel: 'topic', type: 'sns', ok: true, attempts: 1 })]);

    const [message] = await receive(1);
    const envelope = JSON.parse(message?.Body ?? '{}') as SnsEnvelope;
    expect(envelope.Type).toBe('Notification');
    expect(envelope.Subject).toBe(`[HIGH] New finding: sg-ingress-open-admin on ${alert!.resource!.id}`);
    expect(envelope.MessageAttributes?.['leuko.alert-id']?.Value).toBe(alert!.id);
    expect(envelope.MessageAttributes?.['leuko.severity']?.Value).toBe('high');
    const body = JSON.parse(envelope.Message) as { type: string; alert: Alert };
    expect(body.type).toBe('alert');
    expect(body.alert.id).toBe(alert!.id);
    expect(body.alert.actor?.arn).toBe(ACTOR_ARN);
    expect(body.alert.resource?.arn).toBe(alert!.resource!.arn);
  });

  it('a topic that does not exist is a reported failure, not a crash', async () => {
    const sink = createAlertSink(
      { channels: [{ name: 'missing', type: 'sns', topicArn: `arn:aws:sns:${REGION}:${account}:no-such-topic`, roleArn: testRoleArn(account) }], retries: { maxAttempts: 2, baseDelayMs: 10 } },
      { aws: { env: motoEnv(), credentials: async () => ({ ...TEST_CREDENTIALS }) } },
    );
    await sink.send(openedAlerts(1, { start: 901 }));
    await sink.close();
    expect(sink.deliveries()).toEqual([expect.objectContaining({ ok: false, attempts: 1 })]);
    expect(sink.deliveries()[0]?.error).toMatch(/^SNS Publish failed: NotFound/);
  });
});
