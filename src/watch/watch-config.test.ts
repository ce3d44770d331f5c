import { describe, expect, it } from 'vitest';
import type { ConfigError } from '../core/errors.js';
import { configErrorOf } from '../../test/support/config-error.js';
import { parseConfigText } from '../config/load-config.js';

function errorOf(text: string): ConfigError {
  return configErrorOf(() => parseConfigText(text, 'leuko.yaml'));
}

describe('watch: in leuko.yaml', () => {
  it('accepts schedule, queues, HTTP intake and coordinator timing', () => {
    const { config } = parseConfigText(
      [
        'watch:',
        '  schedule: "0 */6 * * *"',
        '  runOnStart: true',
        '  sqs:',
        '    - queueUrl: https://sqs.eu-west-1.amazonaws.com/111122223333/leuko-events',
        '  http: { port: 8787, tokenEnv: LEUKO_HTTP_TOKEN }',
        '  remediationEverySeconds: 15',
      ].join('\n'),
      'leuko.yaml',
    );
    expect(config.watch?.schedule).toBe('0 */6 * * *');
    expect(config.watch?.sqs?.[0]?.queueUrl).toContain('leuko-events');
    expect(config.watch?.http?.port).toBe(8787);
  });

  it('names the line of a schedule that is not cron', () => {
    const error = errorOf(['regions: all', 'watch:', '  schedule: "every hour"'].join('\n'));
    expect(error.line).toBe(3);
    expect(error.message).toMatch(/^leuko\.yaml:3: watch\.schedule: schedule "every hour": expected 5 fields/);
  });

  it('names a queue URL that is not one', () => {
    const error = errorOf(['watch:', '  sqs:', '    - queueUrl: leuko-events'].join('\n'));
    expect(error.line).toBe(3);
    expect(error.message).toContain('must be an SQS queue URL');
  });

  it('refuses an unknown key under watch', () => {
    expect(errorOf(['watch:', '  shedule: "@hourly"'].join('\n')).message).toMatch(/leuko\.yaml:2: .*shedule/);
  });
});
