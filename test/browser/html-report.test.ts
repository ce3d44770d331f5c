// Opens a realistic HTML report in headless Chromium: what a person sees, that hostile names stay text, that nothing is fetched.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findingId, type Finding, type FindingResourceRef } from '../../src/core/finding.js';
import type { RuleMetadata, Severity } from '../../src/core/rule.js';
import { renderHtml } from '../../src/report/html.js';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT = join(dirname(fileURLToPath(import.meta.url)), '../../.cache/screenshots/html-report.png');
// Debian's Chromium only: a browser download would make the suite depend on a third-party CDN.
const LAUNCH_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const HOSTILE = '<script>alert(1)</script>';
const GENERATED_AT = '2025-06-02T09:30:00Z';

const haveChromium = existsSync(CHROMIUM);
const inCi = process.env.CI === 'true';
if (!haveChromium && !inCi)
  console.warn(`html-report browser test skipped: ${CHROMIUM} not found (apt-get install chromium)`);

const RULES: RuleMetadata[] = [
  rule(
    'ec2-security-group-open-admin-port',
    'critical',
    'Security group opens an admin port to the internet',
    'SSH and RDP exposed to 0.0.0.0/0 are brute-forced within minutes.',
    'revoke-sg-rules',
  ),
  rule(
    's3-bucket-public-read',
    'critical',
    'S3 bucket is publicly readable',
    'Public buckets are the most common source of cloud data leaks.',
    'block-s3-public-access',
  ),
  rule(
    'rds-db-instance-public',
    'high',
    'RDS instance is publicly accessible',
    'A public endpoint exposes the database to password spraying.',
  ),
  rule(
    'ec2-volume-unencrypted',
    'medium',
    'EBS volume is not encrypted',
    'Unencrypted snapshots of the volume can be shared or copied in clear.',
  ),
  rule(
    'rds-db-snapshot-public',
    'high',
    'RDS snapshot is shared publicly',
    'Anyone with an AWS account can restore a public snapshot.',
  ),
  rule(
    'dynamodb-table-no-pitr',
    'low',
    'DynamoDB table without point-in-time recovery',
    'Without PITR a bad write cannot be rolled back.',
  ),
  rule(
    'ec2-instance-imdsv1',
    'medium',
    'EC2 instance allows IMDSv1',
    'IMDSv1 lets SSRF bugs read instance credentials.',
  ),
  rule(
    'cloudformation-stack-no-termination-protection',
    'info',
    'Stack has no termination protection',
    'A single delete-stack call removes every resource.',
  ),
];

function rule(
  id: string,
  severity: Severity,
  title: string,
  rationale: string,
  action?: string,
): RuleMetadata {
  return {
    id,
    title,
    severity,
    resourceTypes: [],
    rationale,
    references: [`https://docs.aws.amazon.com/securityhub/latest/userguide/${id}.html`],
    ...(action !== undefined && { remediation: { action, description: `Run ${action} (dry-run first).` } }),
    enabledByDefault: true,
  };
}

const ACCOUNTS = ['111122223333', '444455556666', '777788889999'] as const;
const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'] as const;

function resource(
  kind: string,
  account: string,
  region: string,
  index: number,
  name?: string,
): FindingResourceRef {
  const n = String(index).padStart(4, '0');
  switch (kind) {
    case 'sg':
      return {
        type: 'aws.ec2.security-group',
        account,
        region,
        id: `sg-0a1b2c3d4e5f6${n}`,
        arn: `arn:aws:ec2:${region}:${account}:security-group/sg-0a1b2c3d4e5f6${n}`,
        ...(name !== undefined && { name }),
      };
    case 'bucket': {
      const bucket = name ?? `acme-${account.slice(0, 4)}-data-${n}`;
      return {
        type: 'aws.s3.bucket',
        account,
        region,
        id: bucket,
        arn: `arn:aws:s3:::${bucket}`,
        name: bucket,
      };
    }
    case 'db':
      return {
        type: 'aws.rds.db-instance',
        account,
        region,
        id: `orders-db-${n}`,
        arn: `arn:aws:rds:${region}:${account}:db:orders-db-${n}`,
      };
    case 'volume':
      return {
        type: 'aws.ec2.volume',
        account,
        region,
        id: `vol-0feedbeef${n}`,
        arn: `arn:aws:ec2:${region}:${account}:volume/vol-0feedbeef${n}`,
      };
    case 'snapshot':
      return {
        type: 'aws.rds.db-snapshot',
        account,
        region,
        id: `nightly-${n}`,
        arn: `arn:aws:rds:${region}:${account}:snapshot:nightly-${n}`,
      };
    case 'table':
      return {
        type: 'aws.dynamodb.table',
        account,
        region,
        id: `sessions-${n}`,
        arn: `arn:aws:dynamodb:${region}:${account}:table/sessions-${n}`,
      };
    case 'instance':
      return {
        type: 'aws.ec2.instance',
        account,
        region,
        id: `i-0c0ffee${n}`,
        arn: `arn:aws:ec2:${region}:${account}:instance/i-0c0ffee${n}`,
        name: `web-${n}`,
      };
    default:
      return {
        type: 'aws.cloudformation.stack',
        account,
        region,
        id: `platform-${n}`,
        arn: `arn:aws:cloudformation:${region}:${account}:stack/platform-${n}/6b0c8a30-0000-11ef-0000-0a1b2c3d${n}`,
      };
  }
}

const KIND_OF_RULE: Record<string, string> = {
  'ec2-security-group-open-admin-port': 'sg',
  's3-bucket-public-read': 'bucket',
  'rds-db-instance-public': 'db',
  'ec2-volume-unencrypted': 'volume',
  'rds-db-snapshot-public': 'snapshot',
  'dynamodb-table-no-pitr': 'table',
  'ec2-instance-imdsv1': 'instance',
  'cloudformation-stack-no-termination-protection': 'stack',
};

/** 36 findings: every rule in several accounts and regions, plus the special cases the test looks for. */
function sampleFindings(): Finding[] {
  const findings: Finding[] = [];
  let index = 0;
  for (const meta of RULES) {
    const perRule = meta.severity === 'info' ? 3 : 4;
    for (let i = 0; i < perRule; i++) {
      index += 1;
      const account = ACCOUNTS[(index + i) % ACCOUNTS.length] ?? ACCOUNTS[0];
      const region = REGIONS[index % REGIONS.length] ?? REGIONS[0];
      const res = resource(KIND_OF_RULE[meta.id] ?? 'stack', account, region, index);
      const status = index % 7 === 0 ? 'resolved' : 'open';
      findings.push({
        id: findingId(meta.id, res, 'main'),
        ruleId: meta.id,
        severity: meta.severity,
        certainty: index % 9 === 0 ? 'possible' : 'definite',
        status,
        resource: res,
        part: 'main',
        message: `${meta.title} (${res.id}).`,
        firstSeen: `2025-05-${String(1 + (index % 28)).padStart(2, '0')}T08:00:00Z`,
        lastSeen: '2025-06-02T09:00:00Z',
        ...(status === 'resolved' && { resolvedAt: '2025-06-01T17:45:00Z' }),
      });
    }
  }
  const sg = resource('sg', '111122223333', 'eu-west-1', 900, 'bastion-sg');
  findings.push({
    id: findingId('ec2-security-group-open-admin-port', sg, 'ingress:tcp:22:0.0.0.0/0'),
    ruleId: 'ec2-security-group-open-admin-port',
    severity: 'critical',
    certainty: 'definite',
    status: 'justified',
    resource: sg,
    part: 'ingress:tcp:22:0.0.0.0/0',
    message: 'Port 22 (SSH) is open to 0.0.0.0/0.',
    firstSeen: '2025-03-10T12:00:00Z',
    lastSeen: '2025-06-02T09:00:00Z',
    justification: {
      reason: 'Bastion host behind MFA-only SSH certificates (SEC-1423)',
      expires: '2025-09-30T00:00:00Z',
      source: 'leuko.yaml: exceptions[0]',
    },
  });
  const opened = resource('sg', '444455556666', 'us-east-1', 901, 'payments-api');
  findings.push({
    id: findingId('ec2-security-group-open-admin-port', opened, 'ingress:tcp:3389:0.0.0.0/0'),
    ruleId: 'ec2-security-group-open-admin-port',
    severity: 'critical',
    certainty: 'definite',
    status: 'open',
    resource: opened,
    part: 'ingress:tcp:3389:0.0.0.0/0',
    message: 'Port 3389 (RDP) was opened to 0.0.0.0/0.',
    firstSeen: '2025-06-02T08:58:00Z',
    lastSeen: '2025-06-02T09:00:00Z',
    eventId: '5d4c3b2a-1111-4222-8333-944455556666',
    actor: {
      arn: 'arn:aws:sts::444455556666:assumed-role/DevOps/alice@example.com',
      type: 'AssumedRole',
      accountId: '444455556666',
      principalId: 'AROAEXAMPLE:alice@example.com',
      sourceIp: '198.51.100.23',
      userAgent: 'aws-cli/2.15.0',
      eventName: 'AuthorizeSecurityGroupIngress',
      eventTime: '2025-06-02T08:57:41Z',
    },
  });
  const hostile = resource('bucket', '777788889999', 'us-east-1', 902, HOSTILE);
  findings.push({
    id: findingId('s3-bucket-public-read', hostile, 'acl:AllUsers:READ'),
    ruleId: 's3-bucket-public-read',
    severity: 'critical',
    certainty: 'definite',
    status: 'open',
    resource: { ...hostile, id: '"><img src=x onerror=alert(2)>' },
    part: 'acl:AllUsers:READ',
    message: 'Bucket grants READ to AllUsers <img src=x onerror=alert(3)>',
    firstSeen: '2025-05-20T00:00:00Z',
    lastSeen: '2025-06-02T09:00:00Z',
  });
  return findings;
}

describe.runIf(!haveChromium && inCi)('HTML report in Chromium', () => {
  it('needs Chromium in CI', () => {
    throw new Error(`${CHROMIUM} is missing; CI must install Debian's chromium package`);
  });
});

describe.skipIf(!haveChromium)(
  `HTML report in Chromium${haveChromium ? '' : ` (skipped: no ${CHROMIUM})`}`,
  () => {
    const findings = sampleFindings();
    // Created in beforeAll, not here: describe bodies run even when skipped, and would leak the directory.
    let work = '';
    let url = '';
    const requests: string[] = [];
    const dialogs: string[] = [];
    const consoleErrors: string[] = [];
    let context: BrowserContext | undefined;
    let page: Page;

    beforeAll(async () => {
      work = mkdtempSync(join(tmpdir(), 'leuko-html-report-'));
      const file = join(work, 'report.html');
      url = pathToFileURL(file).href;
      writeFileSync(
        file,
        renderHtml({ findings, rules: RULES, generatedAt: GENERATED_AT, title: 'Acme production estate' }),
      );
      context = await chromium.launchPersistentContext(join(work, 'profile'), {
        executablePath: CHROMIUM,
        headless: true,
        args: LAUNCH_ARGS,
        viewport: { width: 1366, height: 900 },
      });
      context.on('request', (request) => requests.push(request.url()));
      page = context.pages()[0] ?? (await context.newPage());
      page.on('dialog', (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
      page.on('console', (message) => {
        if (message.type() === 'error') consoleErrors.push(message.text());
      });
      page.on('pageerror', (error) => consoleErrors.push(error.message));
      await page.goto(url, { waitUntil: 'load' });
    });

    afterAll(async () => {
      await context?.close();
      if (work) rmSync(work, { recursive: true, force: true });
    });

    it('shows the totals by severity and status', async () => {
      const count = (selector: string): Promise<string> => page.locator(selector).innerText();
      expect(await count('#totals .card-total .card-count')).toBe(String(findings.length));
      for (const severity of ['critical', 'high', 'medium', 'low', 'info'] as const) {
        expect(await count(`#totals .card.sev-${severity} .card-count`)).toBe(
          String(findings.filter((f) => f.severity === severity).length),
        );
      }
      const statuses = await page.locator('#totals .status-totals li').allInnerTexts();
      expect(statuses.map((s) => s.replace(/\s+/g, ' ').trim())).toEqual(
        (['open', 'justified', 'resolved'] as const).map(
          (s) => `${s[0]?.toUpperCase()}${s.slice(1)} ${findings.filter((f) => f.status === s).length}`,
        ),
      );
    });

    it('groups by severity, then account, then rule', async () => {
      const severityHeadings = await page
        .locator('details.severity-group > summary h2 .badge')
        .allInnerTexts();
      expect(severityHeadings).toEqual(['Critical', 'High', 'Medium', 'Low', 'Info']);
      const criticalAccounts = await page
        .locator('details.sev-critical > details.account-group > summary code')
        .allInnerTexts();
      expect(criticalAccounts).toEqual([...ACCOUNTS]);
      const ruleTitles = await page
        .locator('details.sev-critical details.rule-group > summary .rule-title')
        .allInnerTexts();
      expect(ruleTitles).toContain('Security group opens an admin port to the internet');
      expect(await page.locator('tr.finding').count()).toBe(findings.length);
      await expect(page.getByText('SSH and RDP exposed to 0.0.0.0/0').first().isVisible()).resolves.toBe(
        true,
      );
    });

    it('shows the justification with its expiry and the actor', async () => {
      const justified = page.locator('tr.finding.status-justified');
      expect(await justified.count()).toBe(1);
      const text = await justified.innerText();
      expect(text).toContain('Bastion host behind MFA-only SSH certificates (SEC-1423)');
      expect(text).toContain('Expires 2025-09-30 00:00 UTC');
      const actorRow = page.locator('tr.finding', { hasText: 'payments-api' });
      const actorText = await actorRow.innerText();
      expect(actorText).toContain('arn:aws:sts::444455556666:assumed-role/DevOps/alice@example.com');
      expect(actorText).toContain('AuthorizeSecurityGroupIngress');
      expect(actorText).toContain('198.51.100.23');
    });

    it('renders the hostile bucket name as text and runs none of it', async () => {
      await expect(page.getByText(HOSTILE, { exact: true }).isVisible()).resolves.toBe(true);
      expect(await page.getByText('"><img src=x onerror=alert(2)>', { exact: true }).count()).toBe(1);
      expect(await page.locator('script').count()).toBe(1);
      expect(await page.locator('img, iframe, object, embed').count()).toBe(0);
      expect(dialogs).toEqual([]);
    });

    it('applies its inline style and script without a CSP violation or error', async () => {
      expect(consoleErrors).toEqual([]);
      // A string expression: the project's TypeScript lib has no DOM types, and this runs in the page.
      const background = await page.evaluate(
        "getComputedStyle(document.querySelector('#totals .badge.status-open')).backgroundColor",
      );
      // Only true if the CSP hash of the inline <style> matched; a mismatch leaves the badge unstyled.
      expect(background).toBe('rgb(255, 228, 230)');
      expect(await page.locator('#filter-bar').isVisible()).toBe(true);
    });

    it('takes a full-page screenshot', async () => {
      mkdirSync(dirname(SCREENSHOT), { recursive: true });
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
      expect(existsSync(SCREENSHOT)).toBe(true);
    });

    it('hides rows that do not match the filter, then shows them all again', async () => {
      const visibleRows = (): Promise<number> => page.locator('tr.finding:visible').count();
      const filter = page.locator('#filter');
      await filter.pressSequentially('payments');
      expect(await visibleRows()).toBe(1);
      await expect(page.locator('#filter-status').innerText()).resolves.toBe(
        `Showing 1 of ${findings.length} findings`,
      );
      expect(await page.locator('details.severity-group:visible').count()).toBe(1);

      // Group headings count too: an account id matches every row of that account.
      await filter.fill('777788889999');
      await filter.dispatchEvent('input');
      expect(await visibleRows()).toBe(findings.filter((f) => f.resource.account === '777788889999').length);

      await filter.fill('no-such-thing');
      await filter.dispatchEvent('input');
      expect(await visibleRows()).toBe(0);
      await expect(page.locator('#filter-status').innerText()).resolves.toBe('No findings match.');

      await filter.press('Escape');
      expect(await visibleRows()).toBe(findings.length);
    });

    it('made no network request besides the report file itself', () => {
      expect(requests.length).toBeGreaterThan(0);
      expect(requests.filter((r) => r !== url)).toEqual([]);
    });
  },
);
