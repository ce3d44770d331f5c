// The live queue intake (EventBridge rule -> SQS, or S3 notifications of new log files): long polling, a message
// deleted only once it is fully processed, its visibility extended while it is, and a graceful stop that loses nothing.
import type { S3Client } from '@aws-sdk/client-s3';
import {
  ChangeMessageVisibilityBatchCommand,
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { awsErrorCode } from '../../aws/aws-errors.js';
import { abortableSleep as sleep } from '../../util/abortable-sleep.js';
import { InputError, LeukoError, errorMessage } from '../../core/errors.js';
import { recordsFromText, type TextOptions } from '../../events/records-from-text.js';
import type { SourcedRecord } from './readers.js';
import { readS3Object, s3Url } from './s3-source.js';

/** One queue message, read: its records (and those of any log object it points at). */
export interface IntakeMessage {
  readonly messageId: string;
  /** How many times SQS has handed it out, this time included. */
  readonly receiveCount: number;
  /** When it was sent to the queue (epoch ms), for latency. */
  readonly sentAt?: number;
  readonly receivedAt: number;
  readonly records: SourcedRecord[];
  /** Bad records inside an otherwise readable body: reported, the others processed. */
  readonly errors: InputError[];
  /** Items that were not CloudTrail records (other EventBridge events, S3 test events). */
  readonly skipped: number;
}

/** What happened, for logs and metrics; never carries secrets, only ids. */
export type SqsIntakeEvent =
  | { readonly kind: 'received'; readonly count: number }
  | { readonly kind: 'processed'; readonly messageId: string; readonly records: number; readonly ms: number }
  | { readonly kind: 'failed'; readonly messageId: string; readonly receiveCount: number; readonly error: string }
  | { readonly kind: 'extended'; readonly messageIds: readonly string[]; readonly seconds: number }
  | { readonly kind: 'delete-failed' | 'extend-failed' | 'receive-failed'; readonly error: string; readonly messageId?: string }
  | { readonly kind: 'stopping'; readonly inFlight: number };

export interface SqsIntakeOptions extends TextOptions {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  /**
   * Processes one message. Resolving means done: the message is deleted. Throwing leaves it in the queue, to
   * be delivered again and, after the queue's RedrivePolicy maxReceiveCount, moved to its dead-letter queue.
   */
  readonly handle: (message: IntakeMessage) => Promise<void>;
  /** Aborting stops the intake: the batch in hand is finished and deleted, no new one is received. */
  readonly signal: AbortSignal;
  /** S3 client for a bucket's region, to fetch log objects that notifications point at. */
  readonly s3For?: (region: string | undefined) => S3Client;
  /** Long-poll wait, 0-20 s. Default 20. */
  readonly waitTimeSeconds?: number;
  /** Messages per receive, 1-10. Default 10. */
  readonly maxMessages?: number;
  /** Visibility asked for on receive and renewed while a batch is in hand. Default 60 s. */
  readonly visibilityTimeoutSeconds?: number;
  /**
   * After a failure, make the message visible again in this many seconds (0: at once). Default: leave it, so it
   * comes back when its visibility timeout ends.
   */
  readonly retryAfterSeconds?: number;
  readonly onEvent?: (event: SqsIntakeEvent) => void;
}

export interface SqsIntakeStats {
  received: number;
  processed: number;
  failed: number;
  deleted: number;
  records: number;
}

/** Errors no retry cures: the queue is wrong or leuko may not read it. */
const FATAL_CODES = new Set([
  'QueueDoesNotExist',
  'AWS.SimpleQueueService.NonExistentQueue',
  'AccessDenied',
  'AccessDeniedException',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'InvalidAddress',
]);

export class SqsIntakeError extends LeukoError {
  constructor(message: string, cause?: unknown) {
    super('COLLECT', message, { cause });
  }
}

function isAbort(error: unknown, signal: AbortSignal): boolean {
  return signal.aborted && (error as { name?: string } | null)?.name === 'AbortError';
}

/** A message body to its records; log objects it names are read from S3 (a failure there fails the message). */
async function readMessage(message: Message, options: SqsIntakeOptions): Promise<IntakeMessage> {
  const messageId = message.MessageId ?? 'unknown';
  const attributes = message.Attributes ?? {};
  const sent = Number(attributes.SentTimestamp);
  const parsed = recordsFromText(message.Body ?? '', `sqs message ${messageId}`, options.select ? { select: options.select } : {});
  const records = [...parsed.records];
  const errors = [...parsed.errors];
  let skipped = parsed.skipped;
  for (const object of parsed.objects) {
    if (!options.s3For) throw new InputError(`names log object ${s3Url(object.bucket, object.key)}, but no S3 access was given`, `sqs message ${messageId}`);
    const url = s3Url(object.bucket, object.key);
    const objectErrors: InputError[] = [];
    const stats = { files: 0, records: 0, skipped: 0, filtered: 0, errors: 0 };
    const read = await readS3Object(options.s3For(object.region), object.bucket, object.key, {
      stats,
      onError: (error) => objectErrors.push(error),
      ...(options.select ? { select: options.select } : {}),
    });
    // The object as a whole could not be read (denied, not yet consistent, corrupt): retry the message later.
    const whole = objectErrors.find((error) => error.source === url);
    if (whole) throw whole;
    records.push(...read);
    errors.push(...objectErrors);
    skipped += stats.skipped;
  }
  return {
    messageId,
    receiveCount: Number(attributes.ApproximateReceiveCount ?? '1') || 1,
    ...(Number.isFinite(sent) ? { sentAt: sent } : {}),
    receivedAt: Date.now(),
    records,
    errors,
    skipped,
  };
}

/**
 * Runs until `signal` aborts, then resolves with its counts once the batch in hand is done. Messages are
 * processed one after another (the pipeline serialises batches anyway, and order within a batch is kept).
 * Rejects only for errors no retry cures (no such queue, access denied); a failed receive is retried with
 * backoff.
 */
export async function runSqsIntake(options: SqsIntakeOptions): Promise<SqsIntakeStats> {
  const { sqs, queueUrl, signal } = options;
  const emit = options.onEvent ?? (() => undefined);
  const visibility = options.visibilityTimeoutSeconds ?? 60;
  const stats: SqsIntakeStats = { received: 0, processed: 0, failed: 0, deleted: 0, records: 0 };
  let backoff = 0;

  while (!signal.aborted) {
    let messages: Message[];
    try {
      const answer = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: options.maxMessages ?? 10,
          WaitTimeSeconds: options.waitTimeSeconds ?? 20,
          VisibilityTimeout: visibility,
          MessageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp'],
        }),
        { abortSignal: signal },
      );
      messages = answer.Messages ?? [];
      backoff = 0;
    } catch (error) {
      // A long poll cut short by the stop: whatever SQS was about to hand out stays in the queue.
      if (isAbort(error, signal) || signal.aborted) break;
      const code = awsErrorCode(error);
      if (code && FATAL_CODES.has(code)) throw new SqsIntakeError(`cannot receive from ${queueUrl}: ${code}: ${errorMessage(error)}`, error);
      emit({ kind: 'receive-failed', error: `${code ? `${code}: ` : ''}${errorMessage(error)}` });
      backoff = Math.min(30_000, backoff === 0 ? 1000 : backoff * 2);
      await sleep(backoff, signal);
      continue;
    }
    if (messages.length === 0) continue;
    stats.received += messages.length;
    emit({ kind: 'received', count: messages.length });
    await processBatch(messages, options, visibility, stats, emit);
  }
  return stats;
}

async function processBatch(
  messages: readonly Message[],
  options: SqsIntakeOptions,
  visibility: number,
  stats: SqsIntakeStats,
  emit: (event: SqsIntakeEvent) => void,
): Promise<void> {
  const { sqs, queueUrl } = options;
  // Every message of the batch not yet settled is kept invisible while the batch is in hand, so a slow one
  // (or one waiting behind it) is not handed to another consumer and processed twice.
  const pending = new Map(messages.filter((message) => message.ReceiptHandle).map((message) => [message.ReceiptHandle!, message]));
  let extending: Promise<void> = Promise.resolve();
  const heartbeat = setInterval(
    () => {
      const entries = [...pending.values()].map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle!, VisibilityTimeout: visibility }));
      if (entries.length === 0) return;
      extending = sqs
        .send(new ChangeMessageVisibilityBatchCommand({ QueueUrl: queueUrl, Entries: entries }))
        .then((answer) => {
          emit({ kind: 'extended', messageIds: [...pending.values()].map((message) => message.MessageId ?? ''), seconds: visibility });
          for (const failed of answer.Failed ?? []) emit({ kind: 'extend-failed', error: `${failed.Code ?? ''}: ${failed.Message ?? ''}` });
        })
        .catch((error: unknown) => emit({ kind: 'extend-failed', error: errorMessage(error) }));
    },
    Math.max(1, Math.floor(visibility / 3)) * 1000,
  );
  let stopping = false;
  try {
    for (const message of messages) {
      if (options.signal.aborted && !stopping) {
        stopping = true;
        emit({ kind: 'stopping', inFlight: pending.size });
      }
      const messageId = message.MessageId ?? 'unknown';
      const started = Date.now();
      let intake: IntakeMessage | undefined;
      try {
        intake = await readMessage(message, options);
        await options.handle(intake);
      } catch (error) {
        stats.failed++;
        const receiveCount = Number(message.Attributes?.ApproximateReceiveCount ?? '1') || 1;
        emit({ kind: 'failed', messageId, receiveCount, error: errorMessage(error) });
        if (message.ReceiptHandle) pending.delete(message.ReceiptHandle);
        if (options.retryAfterSeconds !== undefined && message.ReceiptHandle) {
          await sqs
            .send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle, VisibilityTimeout: options.retryAfterSeconds }))
            .catch((changeError: unknown) => emit({ kind: 'extend-failed', messageId, error: errorMessage(changeError) }));
        }
        continue;
      }
      stats.processed++;
      stats.records += intake.records.length;
      emit({ kind: 'processed', messageId, records: intake.records.length, ms: Date.now() - started });
      if (!message.ReceiptHandle) continue;
      try {
        await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
        stats.deleted++;
      } catch (error) {
        // Processed but not deleted: it comes back and is processed again, which the pipeline makes harmless.
        emit({ kind: 'delete-failed', messageId, error: errorMessage(error) });
      }
      pending.delete(message.ReceiptHandle);
    }
  } finally {
    clearInterval(heartbeat);
    await extending;
  }
}

export interface SqsIntakeHandle {
  /** Resolves with the counts when the intake has stopped (also when stop() was never called and it failed). */
  readonly done: Promise<SqsIntakeStats>;
  /** Stops receiving, finishes and deletes the batch in hand; resolves when that is done. */
  stop(): Promise<SqsIntakeStats>;
}

/** runSqsIntake with its own stop switch, for a long-running process (`leuko watch`). */
export function startSqsIntake(options: Omit<SqsIntakeOptions, 'signal'> & { readonly signal?: AbortSignal }): SqsIntakeHandle {
  const controller = new AbortController();
  options.signal?.addEventListener('abort', () => controller.abort(), { once: true });
  const done = runSqsIntake({ ...options, signal: controller.signal });
  return {
    done,
    stop: () => {
      controller.abort();
      return done;
    },
  };
}
