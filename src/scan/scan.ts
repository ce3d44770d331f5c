// A scan: for each (account, region, type), list -> canonical models -> store diff. Failures of one
// region, call or account are reported and the rest goes on; a failed listing never marks anything deleted.
import type { AccountClients } from '../aws/clients/client-factory.js';
import { awsErrorCode, isAccessError, isThrottlingError } from '../aws/aws-errors.js';
import { createLimiter } from '../aws/clients/limiter.js';
import { discoverRegions, partitionOf } from '../aws/regions.js';
import type { CollectContext, CollectWarning } from '../aws/resources/resource-module.js';
import { resourceModule } from '../aws/resources/registry.js';
import { errorMessage } from '../core/errors.js';
import type { Resource } from '../core/resource.js';
import type { ResourceTypeId } from '../core/resource-types.js';
import type { Store } from '../store/store.js';

export interface ScanAccount {
  /** Label for reports: the configured name, or the id. */
  readonly label: string;
  readonly clients: AccountClients;
}

export interface ScanOptions {
  readonly accounts: readonly ScanAccount[];
  /** Explicit regions, or 'all' to discover the account's enabled regions. */
  readonly regions: readonly string[] | 'all';
  readonly types: readonly ResourceTypeId[];
  readonly store: Store;
  /** Region used for account-level calls (STS, DescribeRegions, S3 listing). */
  readonly baseRegion?: string;
  /** Listings running at once across all accounts and regions. */
  readonly concurrency?: number;
  readonly now?: () => Date;
  readonly onProgress?: (progress: ScanProgress) => void;
  /**
   * Stops the scan early (leuko watch on SIGTERM): listings already running finish and are stored whole;
   * listings not started are skipped and reported as failures of kind 'cancelled', so the scan is partial
   * and nothing is marked deleted for a scope that was not listed.
   */
  readonly signal?: AbortSignal;
}

export interface ScanProgress {
  readonly done: number;
  readonly total: number;
  readonly current: string;
}

export type FailureKind = 'access-denied' | 'throttled' | 'error' | 'cancelled';

export interface ScanFailure {
  readonly account: string;
  readonly region?: string;
  readonly type?: ResourceTypeId;
  readonly operation: string;
  readonly kind: FailureKind;
  readonly code?: string;
  readonly message: string;
}

export interface ListingCount {
  readonly account: string;
  readonly region: string;
  readonly type: ResourceTypeId;
  readonly count: number;
}

export interface ScanResult {
  readonly scanId: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly status: 'complete' | 'partial';
  readonly accounts: string[];
  readonly regions: Record<string, string[]>;
  readonly counts: ListingCount[];
  readonly changes: { created: string[]; modified: string[]; deleted: string[] };
  readonly failures: ScanFailure[];
  readonly warnings: CollectWarning[];
  readonly calls: { operations: number; attempts: number; throttled: number };
}

function classify(error: unknown): { kind: FailureKind; code?: string } {
  const code = awsErrorCode(error);
  const kind: FailureKind = isAccessError(error) ? 'access-denied' : isThrottlingError(error) ? 'throttled' : 'error';
  return code ? { kind, code } : { kind };
}

function failureFrom(
  error: unknown,
  where: { account: string; region?: string; type?: ResourceTypeId; operation: string },
): ScanFailure {
  const { kind, code } = classify(error);
  return {
    account: where.account,
    ...(where.region ? { region: where.region } : {}),
    ...(where.type ? { type: where.type } : {}),
    operation: (error as { $leukoOperation?: string } | null)?.$leukoOperation ?? where.operation,
    kind,
    ...(code ? { code } : {}),
    message: errorMessage(error).split('\n')[0] ?? 'unknown error',
  };
}

interface ListingTask {
  readonly account: string;
  readonly label: string;
  run(): Promise<void>;
}

export async function runScan(options: ScanOptions): Promise<ScanResult> {
  const now = options.now ?? (() => new Date());
  const baseRegion = options.baseRegion ?? 'us-east-1';
  const startedAt = now().toISOString();
  const failures: ScanFailure[] = [];
  const warnings: CollectWarning[] = [];
  const counts: ListingCount[] = [];
  const changes = { created: [] as string[], modified: [] as string[], deleted: [] as string[] };
  const regionsByAccount: Record<string, string[]> = {};
  const accountIds: string[] = [];

  const scanId = await options.store.beginScan({
    accounts: options.accounts.map((account) => account.label),
    regions: options.regions === 'all' ? ['all'] : [...options.regions],
    types: [...options.types],
    at: startedAt,
  });

  // Resolve accounts and regions first, so the progress total is known before listing starts.
  const tasks: ListingTask[] = [];
  for (const account of options.accounts) {
    let accountId: string;
    try {
      accountId = await account.clients.resolveAccountId();
    } catch (error) {
      failures.push(failureFrom(error, { account: account.label, operation: 'sts:GetCallerIdentity' }));
      continue;
    }
    accountIds.push(accountId);
    let regions: string[];
    if (options.regions === 'all') {
      try {
        regions = await discoverRegions(account.clients, baseRegion);
      } catch (error) {
        failures.push(failureFrom(error, { account: accountId, region: baseRegion, operation: 'ec2:DescribeRegions' }));
        continue;
      }
    } else {
      regions = [...options.regions];
    }
    regionsByAccount[accountId] = regions;
    tasks.push(...listingTasks(account, accountId, regions));
  }

  function contextFor(account: ScanAccount, accountId: string, region: string): CollectContext {
    return {
      account: accountId,
      region,
      partition: partitionOf(region),
      clients: account.clients,
      warn: (warning) => warnings.push(warning),
    };
  }

  async function store(type: ResourceTypeId, accountId: string, regions: string[], resources: Resource[]): Promise<void> {
    const region = regions.length === 1 && regions[0] !== undefined ? regions[0] : regions;
    const result = await options.store.applyListing({ account: accountId, region, type }, resources, {
      scanId,
      at: now().toISOString(),
    });
    changes.created.push(...result.created);
    changes.modified.push(...result.modified);
    changes.deleted.push(...result.deleted);
    for (const listed of regions) {
      counts.push({ account: accountId, region: listed, type, count: resources.filter((r) => r.region === listed).length });
    }
  }

  function listingTasks(account: ScanAccount, accountId: string, regions: string[]): ListingTask[] {
    const out: ListingTask[] = [];
    for (const type of options.types) {
      const module = resourceModule(type);
      if (module.listingScope === 'account') {
        // One listing covers every region (S3); it is stored as one scope over the scanned regions, so a
        // bucket in a region not scanned is neither recorded nor marked deleted.
        out.push({
          account: accountId,
          label: `${accountId} ${type}`,
          run: async () => {
            let resources: Resource[];
            try {
              resources = await module.list(contextFor(account, accountId, baseRegion));
            } catch (error) {
              failures.push(failureFrom(error, { account: accountId, type, operation: `${module.service}:list` }));
              return;
            }
            const scanned = new Set(regions);
            await store(type, accountId, regions, resources.filter((resource) => scanned.has(resource.region)));
          },
        });
        continue;
      }
      for (const region of regions) {
        out.push({
          account: accountId,
          label: `${accountId} ${region} ${type}`,
          run: async () => {
            let resources: Resource[];
            try {
              resources = await module.list(contextFor(account, accountId, region));
            } catch (error) {
              failures.push(failureFrom(error, { account: accountId, region, type, operation: `${module.service}:list` }));
              return;
            }
            await store(type, accountId, [region], resources);
          },
        });
      }
    }
    return out;
  }

  const limiter = createLimiter(options.concurrency ?? 8);
  let done = 0;
  await Promise.all(
    tasks.map((task) =>
      limiter.run(async () => {
        try {
          if (options.signal?.aborted) {
            failures.push({ account: task.account, operation: 'scan', kind: 'cancelled', message: `${task.label}: not listed, the scan was stopped` });
            return;
          }
          await task.run();
        } catch (error) {
          // A store failure (disk full, locked) is reported like an unreadable listing, never half-applied.
          failures.push(failureFrom(error, { account: task.account, operation: 'store:applyListing' }));
        } finally {
          done += 1;
          options.onProgress?.({ done, total: tasks.length, current: task.label });
        }
      }),
    ),
  );

  const calls = { operations: 0, attempts: 0, throttled: 0 };
  for (const account of options.accounts) {
    calls.operations += account.clients.stats.operations;
    calls.attempts += account.clients.stats.attempts;
    calls.throttled += account.clients.stats.throttled;
  }
  const finishedAt = now().toISOString();
  const status = failures.length === 0 ? 'complete' : 'partial';
  counts.sort((a, b) => a.account.localeCompare(b.account) || a.region.localeCompare(b.region) || a.type.localeCompare(b.type));
  const result: ScanResult = {
    scanId,
    startedAt,
    finishedAt,
    status,
    accounts: accountIds,
    regions: regionsByAccount,
    counts,
    changes,
    failures,
    warnings,
    calls,
  };
  await options.store.finishScan(scanId, {
    status: status === 'complete' ? 'succeeded' : accountIds.length === 0 ? 'failed' : 'partial',
    at: finishedAt,
    summary: { counts: counts.length, failures: failures.length, ...calls },
  });
  return result;
}
