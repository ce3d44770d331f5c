// Error classes that carry what a user needs to act on a failure (file and line, service, region, AWS code).

export type LeukoErrorCode =
  | 'CONFIG'
  | 'COLLECT'
  | 'RULE'
  | 'REMEDIATION'
  | 'STORE'
  | 'NOT_FOUND'
  | 'USAGE'
  | 'INPUT';

export class LeukoError extends Error {
  readonly code: LeukoErrorCode;

  constructor(code: LeukoErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** leuko.yaml (or another config input) is wrong; `line` is 1-based where known. */
export class ConfigError extends LeukoError {
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly key: string | undefined;

  constructor(message: string, where: { file?: string; line?: number; key?: string } = {}, cause?: unknown) {
    const place = [where.file, where.line].filter((part) => part !== undefined).join(':');
    super('CONFIG', place ? `${place}: ${message}` : message, { cause });
    this.file = where.file;
    this.line = where.line;
    this.key = where.key;
  }
}

/** An AWS call failed while reading resources. */
export class CollectError extends LeukoError {
  readonly service: string;
  readonly operation: string;
  readonly region: string;
  readonly account: string;
  readonly awsCode: string | undefined;

  constructor(
    where: { service: string; operation: string; region: string; account: string; awsCode?: string },
    message: string,
    cause?: unknown,
  ) {
    super('COLLECT', message, { cause });
    this.service = where.service;
    this.operation = where.operation;
    this.region = where.region;
    this.account = where.account;
    this.awsCode = where.awsCode;
  }
}

export class StoreError extends LeukoError {
  constructor(message: string, cause?: unknown) {
    super('STORE', message, { cause });
  }
}

export class NotFoundError extends LeukoError {
  constructor(message: string) {
    super('NOT_FOUND', message);
  }
}

export class UsageError extends LeukoError {
  constructor(message: string) {
    super('USAGE', message);
  }
}

/** Bad input data (a malformed file, a record of the wrong shape); names the file or record. */
export class InputError extends LeukoError {
  readonly source: string | undefined;

  constructor(message: string, source?: string, cause?: unknown) {
    super('INPUT', source ? `${source}: ${message}` : message, { cause });
    this.source = source;
  }
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
