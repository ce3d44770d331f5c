// The accounts a command acts on, with their AWS clients. Apart from context.ts so that commands that never
// call AWS (check, rules, explain) do not load the SDK, which costs most of a cold start.
import { createAccountClients, type AccountClients } from '../aws/clients/client-factory.js';
import type { LoadedConfig } from '../config/load-config.js';
import type { AccountConfig } from '../config/config-schema.js';
import { UsageError } from '../core/errors.js';
import type { ScanAccount } from '../scan/scan.js';
import { parseList, type GlobalOptions } from './context.js';

export interface AccountSelection {
  accounts?: string;
  roleName?: string;
  externalId?: string;
}

/**
 * Accounts to act on: configured accounts (filtered by --accounts id or name), or ids given on the
 * command line with --role-name to assume, or else the caller's own account.
 */
export function buildAccounts(
  options: GlobalOptions & AccountSelection,
  loaded: LoadedConfig,
  env: NodeJS.ProcessEnv = process.env,
): ScanAccount[] {
  const config = loaded.config;
  const wanted = parseList(options.accounts);
  let accounts: AccountConfig[] = config.accounts ?? [];
  if (wanted) {
    const configured = accounts.filter((account) => wanted.includes(account.id) || (account.name && wanted.includes(account.name)));
    const extra = wanted.filter((id) => !configured.some((account) => account.id === id || account.name === id));
    for (const id of extra) {
      if (!/^\d{12}$/.test(id)) throw new UsageError(`--accounts: "${id}" is neither a configured account nor a 12-digit id`);
      if (!options.roleName) throw new UsageError(`--accounts ${id}: not in leuko.yaml; give --role-name to assume a role in it`);
    }
    accounts = [
      ...configured,
      ...extra.map((id) => ({
        id,
        roleArn: `arn:aws:iam::${id}:role/${options.roleName}`,
        ...(options.externalId ? { externalId: options.externalId } : {}),
      })),
    ];
  }
  const maxAttempts = config.retries?.maxAttempts;
  const concurrencyPerRegion = config.concurrency?.perRegion;
  const make = (account: AccountConfig | undefined): AccountClients =>
    createAccountClients({
      env,
      ...(account?.profile ?? options.profile ? { profile: account?.profile ?? options.profile } : {}),
      ...(account?.roleArn
        ? {
            assumeRole: {
              roleArn: account.roleArn,
              ...(account.externalId ? { externalId: account.externalId } : {}),
              ...(account.sessionName ? { sessionName: account.sessionName } : {}),
            },
          }
        : {}),
      ...(account?.id && account.roleArn ? { accountId: account.id } : {}),
      ...(maxAttempts ? { maxAttempts } : {}),
      ...(concurrencyPerRegion ? { concurrencyPerRegion } : {}),
    });
  if (accounts.length === 0) return [{ label: 'default', clients: make(undefined) }];
  return accounts.map((account) => ({ label: account.name ?? account.id, clients: make(account) }));
}

/**
 * Which credentials act in which account: each account's id, resolved in parallel (one sts call each). An
 * account whose credentials fail is left out and handed to `onError`, so the others still work.
 */
export async function clientsByAccountId(
  accounts: readonly ScanAccount[],
  onError: (account: ScanAccount, error: unknown) => void,
): Promise<Map<string, AccountClients>> {
  const byId = new Map<string, AccountClients>();
  await Promise.all(
    accounts.map(async (account) => {
      try {
        byId.set(await account.clients.resolveAccountId(), account.clients);
      } catch (error) {
        onError(account, error);
      }
    }),
  );
  return byId;
}
