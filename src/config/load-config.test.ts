import { describe, expect, it } from 'vitest';
import type { ConfigError } from '../core/errors.js';
import { configErrorOf } from '../../test/support/config-error.js';
import { parseConfigText } from './load-config.js';

function errorOf(text: string): ConfigError {
  return configErrorOf(() => parseConfigText(text, 'leuko.yaml'));
}

describe('leuko.yaml loading', () => {
  it('accepts a full valid config', () => {
    const { config } = parseConfigText(
      [
        'accounts:',
        '  - id: "111122223333"',
        '    roleArn: arn:aws:iam::111122223333:role/leuko-audit',
        '    externalId: x-1',
        'regions: [eu-west-1, us-east-1]',
        'store: { path: /tmp/leuko.db }',
      ].join('\n'),
      'leuko.yaml',
    );
    expect(config.accounts?.[0]?.id).toBe('111122223333');
    expect(config.regions).toEqual(['eu-west-1', 'us-east-1']);
  });

  it('names key and line of a wrong value', () => {
    const error = errorOf(['regions:', '  - eu-west-1', '  - mars-1', 'accounts: []'].join('\n'));
    expect(error.line).toBe(3);
    expect(error.message).toBe('leuko.yaml:3: regions[1]: is not an AWS region name (e.g. eu-west-1)');
  });

  it('names an unknown key and its line', () => {
    const error = errorOf(['regions: all', 'acounts:', '  - id: "111122223333"'].join('\n'));
    expect(error.line).toBe(2);
    expect(error.message).toContain('unknown key "acounts"');
  });

  it('names a nested account error', () => {
    const error = errorOf(['accounts:', '  - id: "111122223333"', '  - id: "12"'].join('\n'));
    expect(error.message).toBe('leuko.yaml:3: accounts[1].id: must be a 12-digit AWS account id');
  });

  it('reports malformed YAML with its line', () => {
    const error = errorOf(['regions: [eu-west-1', 'accounts: x'].join('\n'));
    expect(error.message).toMatch(/^leuko\.yaml:\d+: YAML: /);
    expect(error.message.split('\n')).toHaveLength(1);
  });

  it('refuses a YAML alias bomb without expanding it', () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 12; i += 1) {
      const prev = String.fromCharCode(96 + i);
      const next = String.fromCharCode(97 + i);
      lines.push(`${next}: &${next} [*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev}]`);
    }
    const started = Date.now();
    const error = errorOf(lines.join('\n'));
    expect(error.message).toMatch(/YAML/);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('rejects a top-level list', () => {
    expect(errorOf('- a\n- b').message).toContain('must be a mapping');
  });

  it('treats an empty file as defaults', () => {
    expect(parseConfigText('', 'leuko.yaml').config).toEqual({});
  });
});
