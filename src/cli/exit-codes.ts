// Exit codes that mean something to a pipeline; documented in the README.
import { LeukoError } from '../core/errors.js';

export const EXIT = {
  ok: 0,
  /** Findings at or above --fail-on. */
  findings: 1,
  /** Bad flags, bad leuko.yaml, bad input file. */
  usage: 2,
  /** The work finished but some regions, calls or files could not be read (reported). */
  partial: 3,
  /** The thing asked for does not exist (history of an unknown id). */
  notFound: 4,
  /** Nothing could be done: no credentials, every account refused. */
  failed: 5,
  /** A bug in leuko. */
  internal: 70,
} as const;

export function exitCodeFor(error: unknown): number {
  if (error instanceof LeukoError) {
    switch (error.code) {
      case 'CONFIG':
      case 'USAGE':
      case 'INPUT':
        return EXIT.usage;
      case 'NOT_FOUND':
        return EXIT.notFound;
      case 'COLLECT':
        return EXIT.failed;
      default:
        return EXIT.internal;
    }
  }
  return EXIT.internal;
}
