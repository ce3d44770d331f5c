// What every command needs: the config, the store, and AWS clients per account.
import { createAccountClients, type AccountClients } from '../aws/clients/client-factory.js';
import { loadConfig, type LoadedConfig } from '../config/load-config.js';
import type { AccountConfig } from '../config/config-schema.js';
import { UsageError } from '../core/errors.js';
import { RESOURCE_TYPE_IDS, resolveResourceType, type ResourceTypeId } from '../core/resource-types.js';
import type { ScanAccount } from '../scan/scan.js';
import { defaultStorePath, openSqliteStore } from '../store/sqlite-store.js';
import type { Store } from '../store/store.js';

export interface GlobalOptions {
  config?: string;
  db?: string;
  profile?: string;
  json?: boolean;
  debug?: boolean;
}

export function loadCliConfig(options: GlobalOptions): LoadedConfig {
  return loadConfig(options.config);
}

export function storePath(options: GlobalOptions, loaded: LoadedConfig, env: NodeJS.ProcessEnv = process.env): string {
  return options.db ?? env.LEUKO_DB ?? loaded.config.store?.path ?? defaultStorePath();
}

export async function openStore(options: GlobalOptions, loaded: LoadedConfig): Promise<Store> {
  return openSqliteStore(storePath(options, loaded));
}

export function parseList(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const items = value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
  return items.length > 0 ? items : undefined;
}

export function parseTypes(value: string | undefined, fallback?: readonly string[]): ResourceTypeId[] {
  const names = parseList(value) ?? fallback;
  if (!names || names.length === 0) return [...RESOURCE_TYPE_IDS];
  return names.map((name) => {
    const type = resolveResourceType(name);
    if (!type) throw new UsageError(`unknown resource type "${name}"; known: ${RESOURCE_TYPE_IDS.join(', ')}`);
    return type;
  });
}

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
