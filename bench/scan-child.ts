// Child process of bench/scan.ts: runs one scan and reports its own figures (so RSS is the scan's alone).
import { createAccountClients } from '../src/aws/clients/client-factory.js';
import { RESOURCE_TYPE_IDS } from '../src/core/resource-types.js';
import { runScan } from '../src/scan/scan.js';
import { openSqliteStore } from '../src/store/sqlite-store.js';

const [endpoint, account, dbPath, regionList] = process.argv.slice(2) as [string, string, string, string];
const clients = createAccountClients({
  env: { ...process.env, AWS_ENDPOINT_URL: endpoint },
  credentials: async () => ({ accessKeyId: 'bench', secretAccessKey: 'bench' }),
  assumeRole: { roleArn: `arn:aws:iam::${account}:role/bench` },
  accountId: account,
});
const store = await openSqliteStore(dbPath);
const started = performance.now();
const result = await runScan({
  accounts: [{ label: account, clients }],
  regions: regionList.split(','),
  types: [...RESOURCE_TYPE_IDS],
  store,
  onProgress: (progress) => {
    if (process.env.BENCH_PROGRESS) process.stderr.write(`[${progress.done}/${progress.total}] ${progress.current} ${((performance.now() - started) / 1000).toFixed(1)}s\n`);
  },
});
const seconds = (performance.now() - started) / 1000;
await store.close();
clients.destroy();
process.stdout.write(
  JSON.stringify({
    seconds,
    resources: result.counts.reduce((sum, count) => sum + count.count, 0),
    written: result.changes.created.length + result.changes.modified.length + result.changes.deleted.length,
    failures: result.failures,
    calls: result.calls,
    byOperation: Object.fromEntries(clients.stats.byOperation),
    counts: result.counts,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
  }),
);
