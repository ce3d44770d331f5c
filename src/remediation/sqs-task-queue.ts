// Task deliveries over SQS, for several workers: a message names a task; its visibility timeout is the lease,
// so a message whose worker died comes back when the lease lapses (at-least-once). The store's claim keeps
// two deliveries of one task from both running it, and a task in the store without a message (the process
// died between the two writes) is still found by the store scan after the queue runs dry.
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { ClaimOptions, TaskStore } from './task-store.js';
import type { TaskQueue } from './task-queue.js';
import type { RemediationTask } from './task.js';

/** SQS caps DelaySeconds at 15 minutes and a visibility timeout at 12 hours. */
const MAX_DELAY_S = 900;
const MAX_VISIBILITY_S = 43_200;

export interface SqsTaskQueueOptions {
  readonly client: SQSClient;
  readonly queueUrl: string;
  /** The lease: how long a received message stays hidden from other workers. */
  readonly leaseMs: number;
  /** Long-poll wait per receive (0 to 20 s); 0 in tests and one-shot runs. */
  readonly waitSeconds?: number;
  /** How long a task held back by the blast radius stays hidden. */
  readonly releaseSeconds?: number;
}

interface Message {
  readonly taskId: string;
}

function seconds(ms: number, max: number): number {
  return Math.max(0, Math.min(max, Math.ceil(ms / 1000)));
}

export function createSqsTaskQueue(options: SqsTaskQueueOptions): TaskQueue {
  const { client, queueUrl } = options;
  const leaseSeconds = seconds(options.leaseMs, MAX_VISIBILITY_S);
  /** Receipt handles of the messages this worker holds, by task id. */
  const receipts = new Map<string, string>();

  async function drop(receipt: string): Promise<void> {
    await client.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: receipt }));
  }

  async function hide(receipt: string, visibleInSeconds: number): Promise<void> {
    await client.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: queueUrl,
        ReceiptHandle: receipt,
        VisibilityTimeout: Math.min(MAX_VISIBILITY_S, Math.max(0, visibleInSeconds)),
      }),
    );
  }

  async function receive(): Promise<Array<{ taskId: string; receipt: string }>> {
    const output = await client.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 1,
        VisibilityTimeout: leaseSeconds,
        WaitTimeSeconds: options.waitSeconds ?? 0,
      }),
    );
    const out: Array<{ taskId: string; receipt: string }> = [];
    for (const message of output.Messages ?? []) {
      if (message.ReceiptHandle === undefined) continue;
      let taskId: string | undefined;
      try {
        const parsed = JSON.parse(message.Body ?? '') as Partial<Message>;
        if (typeof parsed.taskId === 'string') taskId = parsed.taskId;
      } catch {
        taskId = undefined;
      }
      // Not ours (or garbled): deleting it keeps it from blocking the queue; the store still holds every task.
      if (taskId === undefined) await drop(message.ReceiptHandle);
      else out.push({ taskId, receipt: message.ReceiptHandle });
    }
    return out;
  }

  async function notify(task: RemediationTask, now: Date): Promise<void> {
    const delay = seconds(Date.parse(task.notBefore) - now.getTime(), MAX_DELAY_S);
    const body: Message = { taskId: task.id };
    await client.send(
      new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(body), DelaySeconds: delay }),
    );
  }

  return {
    notify,

    async claimNext(tasks: TaskStore, claimOptions: ClaimOptions) {
      for (;;) {
        const messages = await receive();
        if (messages.length === 0) break;
        for (const { taskId, receipt } of messages) {
          const claimed = await tasks.claim({ ...claimOptions, id: taskId });
          if (claimed) {
            receipts.set(taskId, receipt);
            return claimed;
          }
          const task = await tasks.get(taskId);
          if (task === null || !['queued', 'running'].includes(task.state)) {
            // Finished, rejected or waiting for a person: this delivery has nothing left to do.
            await drop(receipt);
          } else if (task.state === 'queued') {
            // Not due yet (backoff), or destructive while the blast radius holds: come back later.
            const due = Date.parse(task.notBefore) - Date.parse(claimOptions.now);
            await hide(receipt, due > 0 ? seconds(due, MAX_VISIBILITY_S) : (options.releaseSeconds ?? 60));
          }
          // running under a live lease: leave the message hidden; it returns if that worker dies.
        }
      }
      // The queue is dry: a task enqueued in the store whose message never went out is still runnable.
      const orphan = await tasks.claim(claimOptions);
      return orphan;
    },

    async settle(task) {
      const receipt = receipts.get(task.id);
      if (receipt === undefined) {
        // Claimed by the store scan: a retry still needs a delivery.
        if (task.state === 'queued') await notify(task, new Date());
        return;
      }
      receipts.delete(task.id);
      if (task.state === 'queued') await hide(receipt, seconds(Date.parse(task.notBefore) - Date.now(), MAX_VISIBILITY_S));
      else await drop(receipt);
    },

    async release(task) {
      const receipt = receipts.get(task.id);
      receipts.delete(task.id);
      if (receipt !== undefined) await hide(receipt, options.releaseSeconds ?? 60);
    },
  };
}
