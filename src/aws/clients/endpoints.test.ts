import { describe, expect, it } from 'vitest';
import { endpointFor } from './endpoints.js';

describe('endpoint override from the environment', () => {
  it('prefers the per-service variable, then the global one', () => {
    const env = { AWS_ENDPOINT_URL: 'http://global:1', AWS_ENDPOINT_URL_S3: 'http://s3:2' };
    expect(endpointFor('S3', env)).toBe('http://s3:2');
    expect(endpointFor('EC2', env)).toBe('http://global:1');
    expect(endpointFor('S3_CONTROL', { AWS_ENDPOINT_URL_S3_CONTROL: 'http://ctl:3' })).toBe('http://ctl:3');
  });

  it('uses AWS itself when nothing is set or overrides are switched off', () => {
    expect(endpointFor('EC2', {})).toBeUndefined();
    expect(endpointFor('EC2', { AWS_ENDPOINT_URL: 'http://x:1', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' })).toBeUndefined();
  });
});
