// Alert logging for one-shot CLI commands: a failed channel is one line on stderr; retries and
// deliveries only with --debug. Messages come from the sink, already scrubbed of secrets.
import type { AlertLogger } from './create-alert-sink.js';

export function createConsoleAlertLogger(writeError: (line: string) => void, verbose = false): AlertLogger {
  const detail = (msg: string, fields?: Readonly<Record<string, unknown>>) => {
    if (!verbose) return;
    const channel = typeof fields?.channel === 'string' ? ` "${fields.channel}"` : '';
    const reason = typeof fields?.reason === 'string' ? `: ${fields.reason}` : '';
    writeError(`leuko: alerts${channel}: ${msg}${reason}`);
  };
  return {
    info: detail,
    warn: detail,
    error: (msg) => writeError(`leuko: ${msg}`),
  };
}
