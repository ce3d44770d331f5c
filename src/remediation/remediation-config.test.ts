// The remediation: key and per-rule settings: defaults, resolution, and errors that name file and line.
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../config/load-config.js';
import type { ConfigError } from '../core/errors.js';
import { configErrorOf } from '../../test/support/config-error.js';
import { loadRemediationSettings } from './load-remediation.js';
import { modeFor } from './remediation-config.js';

function settingsOf(yaml: string) {
  return loadRemediationSettings(parseConfigText(yaml, 'leuko.yaml'));
}

function errorOf(yaml: string): ConfigError {
  return configErrorOf(() => settingsOf(yaml));
}

describe('remediation settings', () => {
  it('without configuration every rule is dry-run, with small limits', () => {
    const settings = settingsOf('');
    expect(modeFor(settings, 'sg-ingress-open-admin')).toBe('dry-run');
    expect(settings.blastRadius).toEqual({ perRun: 3, perHour: 10 });
    expect(settings.queue).toEqual({ backend: 'embedded' });
    expect(settings.allowlist).toEqual([]);
  });

  it('a rule mode wins over the default; allowDestructive, allowlist, limits and SQS resolve', () => {
    const settings = settingsOf(
      [
        'remediation:',
        '  default: approve',
        '  allowlist: ["arn:aws:s3:::www-*"]',
        '  blastRadius: { perRun: 1 }',
        '  maxAttempts: 2',
        '  backoff: { baseSeconds: 5 }',
        '  leaseSeconds: 60',
        '  queue: { backend: sqs, url: "https://sqs.eu-west-1.amazonaws.com/111122223333/leuko-tasks" }',
        'rules:',
        '  region-not-allowed: { allowedRegions: [eu-west-1], remediation: auto, allowDestructive: true }',
        '',
      ].join('\n'),
    );
    expect(modeFor(settings, 'region-not-allowed')).toBe('auto');
    expect(modeFor(settings, 'rds-public')).toBe('approve');
    expect(settings.rules['region-not-allowed']?.allowDestructive).toBe(true);
    expect(settings.blastRadius).toEqual({ perRun: 1, perHour: 10 });
    expect(settings.backoff).toEqual({ baseMs: 5000, maxMs: 3_600_000 });
    expect(settings.leaseMs).toBe(60_000);
    expect(settings.maxAttempts).toBe(2);
    expect(settings.queue).toMatchObject({ backend: 'sqs' });
  });

  it.each([
    ['remediation:\n  default: sometimes\n', 2, 'remediation.default'],
    ['remediation:\n  blastRadius:\n    perRun: -1\n', 3, 'remediation.blastRadius.perRun'],
    ['remediation:\n  queue: { backend: sqs }\n', 2, 'remediation.queue.url'],
    ['remediation:\n  retries: 3\n', 2, 'remediation.retries'],
    ['rules:\n  rds-public:\n    allowDestructive: maybe\n', 3, 'rules.rds-public.allowDestructive'],
  ])('%j is an error at line %i naming %s', (yaml, line, key) => {
    const error = errorOf(yaml);
    expect(error.message).toContain(key);
    expect(String(error)).toContain(`leuko.yaml:${line}`);
  });
});
