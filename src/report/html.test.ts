// Tests for the HTML report: escaping of hostile text, no external requests, grouping, colour contrast.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../core/finding.js';
import type { RuleMetadata } from '../core/rule.js';
import { escapeHtml, html } from './html-escape.js';
import { renderHtml, SCRIPT, STYLE } from './html.js';

function finding(overrides: Partial<Finding> = {}): Finding {
  return {
    id: 'f-1',
    ruleId: 'ec2-security-group-open-ingress',
    severity: 'high',
    certainty: 'definite',
    status: 'open',
    resource: {
      type: 'aws.ec2.security-group',
      account: '111122223333',
      region: 'eu-west-1',
      id: 'sg-0123456789abcdef0',
      arn: 'arn:aws:ec2:eu-west-1:111122223333:security-group/sg-0123456789abcdef0',
    },
    part: 'ingress:tcp:22:0.0.0.0/0',
    message: 'Port 22 is open to 0.0.0.0/0',
    firstSeen: '2025-01-01T00:00:00Z',
    lastSeen: '2025-01-02T00:00:00Z',
    ...overrides,
  };
}

const rule: RuleMetadata = {
  id: 'ec2-security-group-open-ingress',
  title: 'Security group allows ingress from anywhere',
  severity: 'high',
  resourceTypes: ['aws.ec2.security-group'],
  rationale: 'Open admin ports are scanned within minutes of exposure.',
  references: [
    'https://docs.aws.amazon.com/vpc/latest/userguide/vpc-security-groups.html',
    'javascript:alert(1)',
  ],
  remediation: { action: 'revoke-sg-rules', description: 'Revoke the rule or narrow its CIDR.' },
  enabledByDefault: true,
};

const generatedAt = '2025-06-01T12:00:00Z';
const HOSTILE = '<script>alert(1)</script>';

describe('html template', () => {
  it('escapes interpolated strings but not nested templates', () => {
    expect(html`<b>${'<i>&"\''}</b>${html`<br />`}`.value).toBe('<b>&lt;i&gt;&amp;&quot;&#39;</b><br />');
    expect(html`${[html`<a></a>`, '<b>']}${undefined}${false}${null}${0}`.value).toBe('<a></a>&lt;b&gt;0');
    expect(escapeHtml('"x" onmouseover=\'y\'')).toBe('&quot;x&quot; onmouseover=&#39;y&#39;');
  });
});

describe('renderHtml', () => {
  it('renders hostile names, messages and actors as text', () => {
    const out = renderHtml({
      generatedAt,
      title: `${HOSTILE} report`,
      findings: [
        finding({
          resource: { ...finding().resource, name: HOSTILE, id: '"><img src=x onerror=alert(2)>' },
          message: "';alert(3)//<svg onload=alert(4)>",
          part: '</td></tr></table><script>alert(5)</script>',
          actor: {
            arn: '<iframe src="javascript:alert(6)">',
            sourceIp: '<b>1.2.3.4</b>',
            eventName: 'Put<x>',
          },
          justification: { reason: '<marquee>', source: '<style>', expires: '<now>' },
        }),
      ],
    });
    const body = out.slice(out.indexOf('<body>'), out.lastIndexOf('<script>'));
    expect(body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(body).not.toMatch(/<(script|img|svg|iframe|marquee|style|x)\b/i);
    expect(out.match(/<script>/g)).toHaveLength(1);
    expect(out).toContain('<title>&lt;script&gt;alert(1)&lt;/script&gt; report</title>');
    expect(body).toContain('&quot;&gt;&lt;img src=x onerror=alert(2)&gt;');
  });

  it('makes no external requests: no src, no stylesheet links, no url()', () => {
    const out = renderHtml({ generatedAt, findings: [finding()], rules: [rule] });
    expect(out).not.toMatch(/\ssrc=/i);
    expect(out).not.toMatch(/<link\b/i);
    expect(out).not.toMatch(/url\(|@import/i);
    expect(out).toContain("default-src 'none'");
  });

  it('pins the inline style and script by hash in the CSP', () => {
    const out = renderHtml({ generatedAt, findings: [finding()] });
    const hash = (text: string): string => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
    expect(out).toContain(`style-src ${hash(STYLE)}`);
    expect(out).toContain(`script-src ${hash(SCRIPT)}`);
    expect(out).toContain(`<style>${STYLE}</style>`);
    expect(out).toContain(`<script>${SCRIPT}</script>`);
  });

  it('groups by severity, then account, then rule, worst severity first', () => {
    const out = renderHtml({
      generatedAt,
      rules: [rule],
      findings: [
        finding({ id: 'a', severity: 'low', ruleId: 'ec2-volume-unencrypted' }),
        finding({
          id: 'b',
          severity: 'critical',
          resource: { ...finding().resource, account: '999999999999' },
        }),
        finding({ id: 'c', severity: 'critical' }),
      ],
    });
    const critical = out.indexOf('class="group severity-group sev-critical"');
    const low = out.indexOf('class="group severity-group sev-low"');
    expect(critical).toBeGreaterThan(0);
    expect(low).toBeGreaterThan(critical);
    expect(out).not.toContain('severity-group sev-high');
    const first = out.indexOf('<code>111122223333</code>', critical);
    const second = out.indexOf('<code>999999999999</code>', critical);
    expect(first).toBeGreaterThan(critical);
    expect(second).toBeGreaterThan(first);
    expect(out).toContain('<span class="rule-title">Security group allows ingress from anywhere</span>');
    expect(out).toContain('Open admin ports are scanned within minutes of exposure.');
    expect(out).toContain('Revoke the rule or narrow its CIDR.');
  });

  it('links only http(s) references', () => {
    const out = renderHtml({ generatedAt, findings: [finding()], rules: [rule] });
    expect(out).toContain('href="https://docs.aws.amazon.com/vpc/latest/userguide/vpc-security-groups.html"');
    expect(out).not.toContain('javascript:alert(1)');
  });

  it('shows every status, a justification with its expiry, and the actor', () => {
    const out = renderHtml({
      generatedAt,
      findings: [
        finding({ id: 'o' }),
        finding({
          id: 'j',
          status: 'justified',
          justification: { reason: 'Bastion host', expires: '2025-12-31T00:00:00Z', source: 'leuko.yaml' },
        }),
        finding({
          id: 'x',
          status: 'open',
          justification: { reason: 'Old exception', expires: '2025-01-31T00:00:00Z', source: 'tag' },
        }),
        finding({ id: 'r', status: 'resolved', resolvedAt: '2025-01-03T00:00:00Z' }),
        finding({
          id: 'a',
          actor: {
            arn: 'arn:aws:iam::111122223333:user/alice',
            type: 'IAMUser',
            eventName: 'AuthorizeSecurityGroupIngress',
            sourceIp: '203.0.113.7',
            eventTime: '2025-01-02T10:00:00Z',
          },
          eventId: 'ev-123',
        }),
      ],
    });
    for (const label of ['Open', 'Justified', 'Resolved']) expect(out).toContain(`>${label}</span>`);
    expect(out).toContain('Bastion host');
    expect(out).toMatch(/Expires <time datetime="2025-12-31T00:00:00Z">2025-12-31 00:00 UTC<\/time>/);
    expect(out).toMatch(/<span class="expired">Expired<\/span> <time datetime="2025-01-31T00:00:00Z">/);
    expect(out).toContain('arn:aws:iam::111122223333:user/alice');
    expect(out).toContain('<code>AuthorizeSecurityGroupIngress</code>');
    expect(out).toContain('203.0.113.7');
    expect(out).toContain('ev-123');
  });

  it('renders totals and a friendly page for no findings', () => {
    const out = renderHtml({ generatedAt, findings: [] });
    expect(out).toContain('No findings. Nothing to report.');
    expect(out).toContain('<span class="card-count">0</span> <span class="card-label">Total</span>');
    expect(out).not.toContain('<table');
  });

  it('uses semantic tables with column headers and a caption', () => {
    const out = renderHtml({ generatedAt, findings: [finding()] });
    expect(out).toContain('<th scope="col" class="col-resource">Resource</th>');
    expect(out).toMatch(
      /<caption class="visually-hidden">\s*High findings of rule ec2-security-group-open-ingress in account 111122223333\s*<\/caption>/,
    );
    expect(out).toContain('<html lang="en">');
  });

  it('has WCAG AA contrast (4.5:1) for every badge and the muted text', () => {
    const pairs = [
      ...STYLE.matchAll(/\.badge\.[\w-]+ \{ background: (#[0-9a-f]{6}); color: (#[0-9a-f]{6});/g),
    ].map((m) => [m[1] ?? '', m[2] ?? ''] as const);
    expect(pairs.length).toBeGreaterThanOrEqual(8);
    pairs.push(
      ['#ffffff', '#57606a'],
      ['#f6f8fa', '#57606a'],
      ['#111827', '#d1d5db'],
      ['#111827', '#9ca3af'],
    );
    for (const [bg, fg] of pairs) expect(contrast(bg, fg), `${fg} on ${bg}`).toBeGreaterThanOrEqual(4.5);
  });
});

function contrast(a: string, b: string): number {
  const luminance = (hex: string): number => {
    const [r, g, bl] = [1, 3, 5].map((i) => {
      const c = parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (bl ?? 0);
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return ((hi ?? 0) + 0.05) / ((lo ?? 0) + 0.05);
}
