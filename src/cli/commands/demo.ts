// `leuko demo`: no AWS account needed — starts a local moto server, plants an estate with problems,
// and runs leuko against it, so a newcomer sees the whole loop in one command.
import { mkdtempSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { AuthorizeSecurityGroupIngressCommand } from '@aws-sdk/client-ec2';
import { createAccountClients } from '../../aws/clients/client-factory.js';
import { startMotoServer } from '../../demo/moto-server.js';
import { plantDemoEstate } from '../../demo/plant-estate.js';
import { runAudit } from '../../audit/run-audit.js';
import { BUILT_IN_RULES, compilePolicy } from '../../core/engine/index.js';
import { renderFindings } from '../../report/index.js';
import { runScan } from '../../scan/scan.js';
import { RESOURCE_TYPE_IDS } from '../../core/resource-types.js';
import { openSqliteStore } from '../../store/sqlite-store.js';
import type { GlobalOptions } from '../context.js';
import { createOutput } from '../output.js';
import { printScanSummary } from './scan.js';
import { summaryOf } from './catalog.js';

export const DEMO_ACCOUNT = '123456789012';
export const DEMO_REGIONS = ['eu-west-1', 'eu-central-1', 'us-east-1'];

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description(summaryOf('demo'))
    .option('--json', 'print the scan results as JSON')
    .option('--keep', 'keep the demo store file and print its path')
    .addHelpText('after', '\nExample:\n  leuko demo')
    .action(async (flags: { json?: boolean; keep?: boolean }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const output = createOutput();
      const log = (line: string) => (flags.json ? output.error(line) : output.line(line));
      log('Starting a local moto server (the AWS API, offline)...');
      const moto = await startMotoServer({
        venvDir: process.env.LEUKO_MOTO_VENV ?? join(homedir(), '.leuko', 'moto-venv'),
        log,
      });
      const dbPath = globals.db ?? join(mkdtempSync(join(tmpdir(), 'leuko-demo-')), 'leuko.db');
      const store = await openSqliteStore(dbPath);
      try {
        const env = {
          ...process.env,
          AWS_ENDPOINT_URL: moto.endpoint,
          AWS_ACCESS_KEY_ID: 'demo',
          AWS_SECRET_ACCESS_KEY: 'demo',
          AWS_EC2_METADATA_DISABLED: 'true',
        };
        const clients = createAccountClients({
          env,
          credentials: async () => ({ accessKeyId: 'demo', secretAccessKey: 'demo' }),
          accountId: DEMO_ACCOUNT,
        });
        log(`Planting a demo estate in account ${DEMO_ACCOUNT} (${DEMO_REGIONS.join(', ')})...`);
        const estate = await plantDemoEstate(clients, DEMO_ACCOUNT);
        const scanOptions = {
          accounts: [{ label: 'demo', clients }],
          regions: DEMO_REGIONS,
          types: [...RESOURCE_TYPE_IDS],
          store,
          onProgress: (progress: { done: number; total: number; current: string }) =>
            output.progress(`[${progress.done}/${progress.total}] ${progress.current}`),
        };
        // The demo's policy: an EU-only estate (Monocyte's rule) on top of the built-in defaults.
        const policy = compilePolicy({ rules: { 'region-not-allowed': { allowedRegions: ['eu'] } } });
        log('\n== First scan ==');
        const first = await runScan(scanOptions);
        if (!flags.json) printScanSummary(output, first);
        log('\n== Audit (built-in rules, EU regions only) ==');
        const firstAudit = await runAudit(store, policy, { now: new Date() });
        if (!flags.json) {
          const width = (process.stdout as { columns?: number }).columns ?? 120;
          output.line(
            renderFindings('table', { findings: firstAudit.current, rules: [...BUILT_IN_RULES], generatedAt: firstAudit.evaluatedAt }, { width }),
          );
        }

        log('\n== Someone opens the internal group to the world on port 3389... ==');
        await clients.client('ec2', 'eu-west-1').send(
          new AuthorizeSecurityGroupIngressCommand({
            GroupId: estate.securityGroups.internal,
            IpPermissions: [{ IpProtocol: 'tcp', FromPort: 3389, ToPort: 3389, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
          }),
        );
        log('\n== Second scan ==');
        const second = await runScan(scanOptions);
        if (!flags.json) printScanSummary(output, second);
        const secondAudit = await runAudit(store, policy, { now: new Date() });
        if (!flags.json) {
          log('\n== What the change caused ==');
          for (const finding of secondAudit.opened) output.line(`  new ${finding.severity} finding: ${finding.ruleId} on ${finding.resource.id}: ${finding.message}`);
          output.line('\nleuko only read the (local) AWS account: it never changes anything unless told to.');
        }
        if (flags.json) output.json({ firstScan: first, firstAudit, secondScan: second, secondAudit });
        clients.destroy();
        if (!flags.json) {
          output.line(`\nTry: leuko --db ${dbPath} history ${estate.securityGroups.internal ?? ''}`);
          output.line(`     leuko --db ${dbPath} diff ${estate.securityGroups.internal ?? ''}`);
          output.line(`     leuko --db ${dbPath} findings --format html -o leuko-report.html`);
        }
      } finally {
        await store.close();
        await moto.stop();
        if (flags.keep || globals.db) log(`Store kept at ${dbPath}`);
      }
    });
}
