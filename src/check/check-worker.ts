// Worker-thread entry of the parallel `leuko check`: rebuilds the policy from leuko.yaml's data and checks the files it is handed.
import { parentPort, workerData } from 'node:worker_threads';
import { BUILT_IN_RULES, buildPolicy, policyConfigSchema } from '../core/engine/index.js';
import { checkFile, type CheckOptions } from './check-templates.js';
import type { FromWorker, ToWorker, WorkerInit } from './parallel-check.js';

const port = parentPort;
if (port === null) throw new Error('check-worker.js runs only as a worker thread of `leuko check --jobs`');
const init = workerData as WorkerInit;
// A Policy holds functions and cannot be posted: it is rebuilt from the same data, as the main thread built it.
// The main thread validated that data already, so parse cannot fail here short of a bug (the worker then dies and
// the main thread checks its files).
const options: CheckOptions = { ...init.options, policy: buildPolicy(policyConfigSchema.parse(init.policyConfig), BUILT_IN_RULES) };

const send = (message: FromWorker): void => port.postMessage(message);

// Batches are checked in the order they came, one file at a time; the main thread keeps one more batch
// queued here, so the worker does not wait for it. A throw rejects the chain and kills the worker (unhandled
// rejection), and the main thread checks the files it did not report.
let chain: Promise<void> = Promise.resolve();
port.on('message', (message: ToWorker) => {
  chain = chain.then(async () => {
    for (const file of message.files) {
      const report = await checkFile(file.path, options, file.explicit);
      send({ kind: 'report', index: file.index, report });
    }
  });
});
send({ kind: 'ready' });
