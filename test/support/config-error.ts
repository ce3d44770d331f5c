// The ConfigError a piece of leuko.yaml text gives, for the tests that check error lines and messages.
import { ConfigError } from '../../src/core/errors.js';

/** Runs `load` and returns the ConfigError it throws; fails when it throws something else or nothing. */
export function configErrorOf(load: () => unknown): ConfigError {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}
