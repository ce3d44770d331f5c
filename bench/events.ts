// Benchmark: >= 1,000,000 CloudTrail records through intake, all rules and all detections, vs JSON.parse alone.
//
// Run: npx tsx bench/events.ts [--records 1000000] [--seed 1] [--keep] [--record]
//
// Generates a deterministic mix modelled on the corpus (mostly reads and role assumptions, with the writes
// leuko maps, detections' events, root calls and refused calls) as JSON Lines and as CloudTrail log files
// ({"Records": [...]}, 1,000 records each, plain and gzipped as S3 delivers them), then measures each phase in its own child
// process on one core, so rates and peak RSS are attributable: JSON.parse alone on the same bytes (read,
// split, parse), and intake + every rule + every detection (readers, validation, event-to-change,
// evaluation). Targets: >= 100,000 records/s and >= 0.5x the parse-only rate.
import { execFileSync } from 'node:child_process';
import { createReadStream, createWriteStream, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { parseArgs } from 'node:util';
import { compilePolicy } from '../src/core/engine/index.js';
import { BUILT_IN_DETECTIONS } from '../src/detections/index.js';
import { createEventEvaluator } from '../src/sources/cloudtrail/evaluate-events.js';
import { createInterestFilter } from '../src/sources/cloudtrail/interest.js';
import { createReadStats, readCloudTrailPaths } from '../src/sources/cloudtrail/readers.js';
import { mulberry32 } from '../test/support/prng.js';
import { recordResult } from './record-result.js';

const TARGET_RATE = 100_000;
const TARGET_RATIO = 0.5;
const PER_FILE = 1000;
/** The core phases are pinned to; another (LEUKO_BENCH_CPU=1) lets two benchmarks run side by side. */
const BENCH_CPU = process.env.LEUKO_BENCH_CPU ?? '0';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    records: { type: 'string', default: '1000000' },
    seed: { type: 'string', default: '1' },
    keep: { type: 'boolean', default: false },
    record: { type: 'boolean', default: false },
    child: { type: 'string' },
  },
});

// ---- the mix ---------------------------------------------------------------------------------------

// A deterministic PRNG (mulberry32), so every run generates the same records.
const prng = mulberry32;

const ACCOUNTS = ['111122223333', '444455556666', '777788889999'];
const REGIONS = ['eu-west-1', 'eu-central-1', 'us-east-1', 'ap-southeast-2'];
function hex(random: () => number, length: number): string {
  let out = '';
  while (out.length < length) out += Math.floor(random() * 0x100000000).toString(16).padStart(8, '0');
  return out.slice(0, length);
}

type Make = (random: () => number, base: Record<string, unknown>) => Record<string, unknown>;

const READS: Array<[string, string]> = [
  ['ec2.amazonaws.com', 'DescribeInstances'],
  ['ec2.amazonaws.com', 'DescribeSecurityGroups'],
  ['s3.amazonaws.com', 'GetBucketAcl'],
  ['s3.amazonaws.com', 'ListBuckets'],
  ['iam.amazonaws.com', 'ListRoles'],
  ['kms.amazonaws.com', 'Decrypt'],
  ['ssm.amazonaws.com', 'DescribeInstanceInformation'],
  ['logs.amazonaws.com', 'CreateLogStream'],
  ['secretsmanager.amazonaws.com', 'GetSecretValue'],
  ['dynamodb.amazonaws.com', 'DescribeTable'],
];

/** [weight, make]: weights in records per 1,000. */
const MIX: Array<[number, Make]> = [
  [700, (random, base) => {
    const [source, name] = READS[Math.floor(random() * READS.length)]!;
    return { ...base, eventSource: source, eventName: name, readOnly: true, requestParameters: { maxResults: 100, filterSet: {} }, responseElements: null };
  }],
  [150, (random, base) => ({
    ...base,
    eventSource: 'sts.amazonaws.com',
    eventName: 'AssumeRole',
    userIdentity: { type: 'AWSService', invokedBy: 'ec2.amazonaws.com' },
    requestParameters: { roleArn: `arn:aws:iam::${base.recipientAccountId as string}:role/app`, roleSessionName: `i-${hex(random, 17)}` },
    responseElements: { credentials: { accessKeyId: `ASIA${hex(random, 16)}`, expiration: 'Aug 1, 2024, 1:00:00 PM', sessionToken: hex(random, 64) } },
  })],
  [40, (random, base) => ({ ...base, eventSource: 'ec2.amazonaws.com', eventName: 'DescribeInstances', errorCode: 'Client.UnauthorizedOperation', errorMessage: 'You are not authorized to perform this operation.' })],
  [30, (random, base) => {
    const groupId = `sg-${hex(random, 17)}`;
    const cidr = random() < 0.1 ? '0.0.0.0/0' : `10.${Math.floor(random() * 255)}.0.0/16`;
    const port = random() < 0.5 ? 22 : 443;
    return {
      ...base,
      eventSource: 'ec2.amazonaws.com',
      eventName: 'AuthorizeSecurityGroupIngress',
      requestParameters: { groupId, ipPermissions: { items: [{ ipProtocol: 'tcp', fromPort: port, toPort: port, groups: {}, ipRanges: { items: [{ cidrIp: cidr }] }, ipv6Ranges: {}, prefixListIds: {} }] } },
      responseElements: { requestId: hex(random, 32), _return: true, securityGroupRuleSet: { items: [{ groupOwnerId: base.recipientAccountId, groupId, securityGroupRuleId: `sgr-${hex(random, 17)}`, isEgress: false, ipProtocol: 'tcp', fromPort: port, toPort: port, cidrIpv4: cidr }] } },
    };
  }],
  [15, (random, base) => ({ ...base, eventSource: 'ec2.amazonaws.com', eventName: 'CreateSecurityGroup', requestParameters: { groupName: `app-${hex(random, 6)}`, groupDescription: 'app', vpcId: `vpc-${hex(random, 8)}` }, responseElements: { _return: true, groupId: `sg-${hex(random, 17)}` } })],
  [15, (random, base) => ({
    ...base,
    eventSource: 'ec2.amazonaws.com',
    eventName: 'RunInstances',
    requestParameters: { instancesSet: { items: [{ imageId: 'ami-0abcdef', minCount: 1, maxCount: 1 }] }, instanceType: 't3.micro' },
    responseElements: { instancesSet: { items: [{ instanceId: `i-${hex(random, 17)}`, imageId: 'ami-0abcdef', instanceState: { code: 0, name: 'pending' }, instanceType: 't3.micro', launchTime: 1722513600000, placement: { availabilityZone: `${base.awsRegion as string}a` }, subnetId: 'subnet-1', vpcId: 'vpc-1', groupSet: { items: [{ groupId: 'sg-1', groupName: 'web' }] } }] } },
  })],
  [10, (random, base) => ({ ...base, eventSource: 'ec2.amazonaws.com', eventName: 'CreateVolume', requestParameters: { size: 8, zone: `${base.awsRegion as string}a`, volumeType: 'gp3' }, responseElements: { volumeId: `vol-${hex(random, 17)}`, size: 8, zone: `${base.awsRegion as string}a`, status: 'creating', volumeType: 'gp3', encrypted: random() < 0.7 } })],
  [10, (random, base) => ({ ...base, eventSource: 's3.amazonaws.com', eventName: 'PutBucketAcl', requestParameters: { bucketName: `data-${hex(random, 6)}`, acl: [''], AccessControlPolicy: { AccessControlList: { Grant: [{ Grantee: { 'xsi:type': 'CanonicalUser', ID: hex(random, 64) }, Permission: 'FULL_CONTROL' }, ...(random() < 0.2 ? [{ Grantee: { 'xsi:type': 'Group', URI: 'http://acs.amazonaws.com/groups/global/AllUsers' }, Permission: 'READ' }] : [])] } } } })],
  [10, (random, base) => ({ ...base, eventSource: 's3.amazonaws.com', eventName: 'PutBucketPolicy', requestParameters: { bucketName: `data-${hex(random, 6)}`, policy: [''], bucketPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: random() < 0.2 ? '*' : { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }] } } })],
  [5, (random, base) => ({ ...base, eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin', eventType: 'AwsConsoleSignIn', requestParameters: null, responseElements: { ConsoleLogin: 'Success' }, additionalEventData: { LoginTo: 'https://console.aws.amazon.com/', MobileVersion: 'No', MFAUsed: random() < 0.3 ? 'No' : 'Yes' } })],
  [5, (random, base) => ({ ...base, userIdentity: { type: 'Root', principalId: base.recipientAccountId, arn: `arn:aws:iam::${base.recipientAccountId as string}:root`, accountId: base.recipientAccountId }, eventSource: 's3.amazonaws.com', eventName: 'PutBucketVersioning', requestParameters: { bucketName: 'b', VersioningConfiguration: { Status: 'Enabled' } } })],
  [5, (random, base) => ({ ...base, eventSource: 'rds.amazonaws.com', eventName: 'ModifyDBSnapshotAttribute', requestParameters: { dBSnapshotIdentifier: `snap-${hex(random, 6)}`, attributeName: 'restore', valuesToAdd: [random() < 0.5 ? 'all' : '999999999999'] }, responseElements: null })],
  [3, (random, base) => ({ ...base, eventSource: 'ec2.amazonaws.com', eventName: 'ModifySnapshotAttribute', requestParameters: { snapshotId: `snap-${hex(random, 17)}`, attributeType: 'CREATE_VOLUME_PERMISSION', createVolumePermission: { add: { items: [{ userId: '999999999999' }] } } }, responseElements: { _return: true } })],
  [1, (random, base) => ({ ...base, eventSource: 'cloudtrail.amazonaws.com', eventName: 'StopLogging', requestParameters: { name: 'main' }, responseElements: null })],
  [1, (random, base) => ({ ...base, eventSource: 'ec2.amazonaws.com', eventName: 'DeleteFlowLogs', requestParameters: { DeleteFlowLogsRequest: { FlowLogId: { content: `fl-${hex(random, 17)}`, tag: 1 } } }, responseElements: null })],
];
const WEIGHT = MIX.reduce((sum, [weight]) => sum + weight, 0);

function makeRecord(random: () => number, index: number): Record<string, unknown> {
  const account = ACCOUNTS[index % ACCOUNTS.length]!;
  const region = REGIONS[Math.floor(random() * REGIONS.length)]!;
  const user = `user${Math.floor(random() * 50)}`;
  const base: Record<string, unknown> = {
    eventVersion: '1.09',
    userIdentity: {
      type: 'AssumedRole',
      principalId: `AROA${hex(random, 16)}:${user}`,
      arn: `arn:aws:sts::${account}:assumed-role/Developer/${user}`,
      accountId: account,
      accessKeyId: `ASIA${hex(random, 16)}`,
      sessionContext: { sessionIssuer: { type: 'Role', principalId: 'AROAEXAMPLE', arn: `arn:aws:iam::${account}:role/Developer`, accountId: account, userName: 'Developer' }, attributes: { creationDate: '2024-08-01T11:00:00Z', mfaAuthenticated: 'false' } },
    },
    eventTime: new Date(Date.UTC(2024, 7, 1) + index * 50).toISOString().replace('.000Z', 'Z').replace(/\.\d{3}Z$/, 'Z'),
    awsRegion: region,
    sourceIPAddress: `203.0.113.${Math.floor(random() * 255)}`,
    userAgent: 'aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64.amzn.2',
    requestID: hex(random, 32),
    eventID: `${hex(random, 8)}-${hex(random, 4)}-${hex(random, 4)}-${hex(random, 4)}-${hex(random, 12)}`,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: account,
    eventCategory: 'Management',
    tlsDetails: { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: `ec2.${region}.amazonaws.com` },
  };
  let pick = random() * WEIGHT;
  for (const [weight, make] of MIX) {
    pick -= weight;
    if (pick < 0) return make(random, base);
  }
  return MIX[0]![1](random, base);
}

interface Generated {
  readonly jsonl: string;
  readonly records: string;
  readonly gzipped: string;
  readonly bytes: { readonly jsonl: number; readonly records: number; readonly gzipped: number };
}

async function generate(dir: string, total: number, seed: number): Promise<Generated> {
  const random = prng(seed);
  const jsonlPath = join(dir, 'events.jsonl');
  const recordsDir = join(dir, 'records');
  const gzippedDir = join(dir, 'records-gz');
  mkdirSync(recordsDir);
  mkdirSync(gzippedDir);
  const jsonl = createWriteStream(jsonlPath);
  let batch: string[] = [];
  let fileIndex = 0;
  const { writeFileSync } = await import('node:fs');
  for (let index = 0; index < total; index++) {
    const text = JSON.stringify(makeRecord(random, index));
    if (!jsonl.write(`${text}\n`)) await once(jsonl, 'drain');
    batch.push(text);
    if (batch.length === PER_FILE || index === total - 1) {
      const name = String(fileIndex++).padStart(6, '0');
      const file = `{"Records":[${batch.join(',')}]}`;
      writeFileSync(join(recordsDir, `${name}.json`), file);
      // As S3 delivers them: the same files, gzipped.
      writeFileSync(join(gzippedDir, `${name}.json.gz`), gzipSync(file));
      batch = [];
    }
  }
  jsonl.end();
  await once(jsonl, 'close');
  const size = (path: string) => readdirSync(path).reduce((sum, name) => sum + statSync(join(path, name)).size, 0);
  return { jsonl: jsonlPath, records: recordsDir, gzipped: gzippedDir, bytes: { jsonl: statSync(jsonlPath).size, records: size(recordsDir), gzipped: size(gzippedDir) } };
}

// ---- phases (each in a child) ----------------------------------------------------------------------

interface PhaseResult {
  readonly records: number;
  readonly parsedAndJudged?: number;
  readonly wallSeconds: number;
  readonly cpuSeconds: number;
  readonly peakRssMiB: number;
  readonly findings?: number;
  readonly detectionHits?: number;
  readonly failedCalls?: number;
  readonly errors?: number;
}

function filesOf(path: string): string[] {
  return statSync(path).isDirectory() ? readdirSync(path).sort().map((name) => join(path, name)) : [path];
}

/**
 * JSON.parse alone on the same bytes: read each file (JSON Lines streamed: 1 GB is more than a string
 * holds; gzipped log files gunzipped, as any reader of them must), split lines, parse.
 */
async function parseOnly(path: string): Promise<number> {
  let records = 0;
  for (const file of filesOf(path)) {
    if (file.endsWith('.jsonl')) {
      const stream = createReadStream(file, { highWaterMark: 1 << 20 });
      stream.setEncoding('utf8');
      let carry = '';
      for await (const chunk of stream) {
        const text = carry + (chunk as string);
        let from = 0;
        for (;;) {
          const end = text.indexOf('\n', from);
          if (end === -1) break;
          if (end > from) {
            JSON.parse(text.slice(from, end));
            records++;
          }
          from = end + 1;
        }
        carry = text.slice(from);
      }
      if (carry.trim() !== '') {
        JSON.parse(carry);
        records++;
      }
    } else {
      const text = file.endsWith('.gz') ? gunzipSync(readFileSync(file)).toString('utf8') : readFileSync(file, 'utf8');
      records += (JSON.parse(text) as { Records: unknown[] }).Records.length;
    }
  }
  return records;
}

async function full(path: string, filtered: boolean) {
  const policy = compilePolicy({ rules: { 'region-not-allowed': { allowedRegions: ['eu'] } } });
  const evaluator = createEventEvaluator(policy, BUILT_IN_DETECTIONS, { now: '2024-08-02T00:00:00Z' });
  const stats = createReadStats();
  const filter = createInterestFilter(BUILT_IN_DETECTIONS);
  const options = filtered ? { stats, prefilter: filter.text, select: filter.value } : { stats };
  for await (const { record, source } of readCloudTrailPaths([path], options)) evaluator.push(record, source);
  const result = evaluator.result();
  return { records: stats.records + stats.filtered, parsedAndJudged: result.records, findings: result.findings.length, detectionHits: result.detectionHits.length, failedCalls: result.failedCalls.length, errors: stats.errors };
}

async function runChild(phase: string, path: string): Promise<void> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const counts = phase === 'parse' ? { records: await parseOnly(path) } : await full(path, phase === 'filtered');
  const wallSeconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const result: PhaseResult = {
    ...counts,
    wallSeconds,
    cpuSeconds: (used.user + used.system) / 1e6,
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  };
  process.stdout.write(JSON.stringify(result));
}

function measure(phase: string, path: string): PhaseResult {
  // One core: the benchmark is about a single evaluator, and taskset keeps the OS from helping.
  const script = fileURLToPath(import.meta.url);
  const args = ['--import', 'tsx', script, '--child', phase, path];
  let output: string;
  try {
    output = execFileSync('taskset', ['-c', BENCH_CPU, process.execPath, ...args], { encoding: 'utf8', maxBuffer: 1 << 20 });
  } catch {
    output = execFileSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 20 });
  }
  return JSON.parse(output) as PhaseResult;
}

async function main(): Promise<void> {
  if (values.child) {
    await runChild(values.child, positionals[0] ?? '');
    return;
  }
  const total = Number(values.records);
  const dir = mkdtempSync(join(tmpdir(), 'leuko-bench-events-'));
  try {
    const generateStarted = performance.now();
    const files = await generate(dir, total, Number(values.seed));
    const generateSeconds = (performance.now() - generateStarted) / 1000;
    console.log(`generated ${total} records in ${generateSeconds.toFixed(1)} s: JSON Lines ${(files.bytes.jsonl / 2 ** 20).toFixed(0)} MiB, log files ${(files.bytes.records / 2 ** 20).toFixed(0)} MiB (${(files.bytes.gzipped / 2 ** 20).toFixed(0)} MiB gzipped)`);
    const forms: Record<string, unknown> = {};
    let worst = { rate: Infinity, ratio: Infinity };
    const formsToRun = [
      ['json-lines', files.jsonl, files.bytes.jsonl],
      ['log-files', files.records, files.bytes.records],
      ['log-files-gzipped', files.gzipped, files.bytes.records],
    ] as const;
    for (const [form, path, bytes] of formsToRun) {
      const parse = measure('parse', path);
      const everyRecord = measure('full', path);
      const filtered = measure('filtered', path);
      const parseRate = Math.round(parse.records / parse.cpuSeconds);
      const fullRate = Math.round(everyRecord.records / everyRecord.cpuSeconds);
      const filteredRate = Math.round(filtered.records / filtered.cpuSeconds);
      const ratio = Number((filteredRate / parseRate).toFixed(2));
      worst = { rate: Math.min(worst.rate, filteredRate), ratio: Math.min(worst.ratio, ratio) };
      forms[form] = {
        bytesMiB: Math.round(bytes / 2 ** 20),
        parseOnly: { ...parse, recordsPerCpuSecond: parseRate, mibPerCpuSecond: Math.round(bytes / 2 ** 20 / parse.cpuSeconds) },
        // What `leuko replay` does: records no mapper or detection looks at are recognised by their event
        // name (and identity type) in the raw text and are never parsed: per line for JSON Lines, by a
        // structural skim of each whole log file for log files.
        intakeRulesDetections: { ...filtered, recordsPerCpuSecond: filteredRate },
        // --all-records: every record parsed and validated, whether or not anything looks at it.
        everyRecordValidated: { ...everyRecord, recordsPerCpuSecond: fullRate, ratioToParseOnly: Number((fullRate / parseRate).toFixed(2)) },
        ratioToParseOnly: ratio,
      };
      console.log(`${form}: parse-only ${parseRate.toLocaleString()} rec/s (${parse.peakRssMiB} MiB RSS); intake+rules+detections ${filteredRate.toLocaleString()} rec/s (${filtered.peakRssMiB} MiB RSS), ${ratio}x; every record validated ${fullRate.toLocaleString()} rec/s (${everyRecord.peakRssMiB} MiB), ${(fullRate / parseRate).toFixed(2)}x; ${filtered.findings} findings, ${filtered.detectionHits} detection hits, ${filtered.failedCalls} failed calls`);
    }
    const figures = {
      records: total,
      mix: 'per 1,000: 700 reads, 150 AssumeRole by a service, 40 refused calls, 30 AuthorizeSecurityGroupIngress, 15 CreateSecurityGroup, 15 RunInstances, 10 CreateVolume, 10 PutBucketAcl, 10 PutBucketPolicy, 5 ConsoleLogin, 5 root calls, 5 ModifyDBSnapshotAttribute, 3 ModifySnapshotAttribute, 1 StopLogging, 1 DeleteFlowLogs',
      rules: 'every built-in rule (region-not-allowed on, allowed: eu) and every built-in detection',
      oneCore: `each phase in its own child process pinned to one CPU (taskset -c ${BENCH_CPU}); rates are records per CPU-second`,
      forms,
      targets: {
        recordsPerSecond: TARGET_RATE,
        ratioToParseOnly: TARGET_RATIO,
        worstRate: worst.rate,
        worstRatio: worst.ratio,
        met: worst.rate >= TARGET_RATE && worst.ratio >= TARGET_RATIO,
      },
    };
    console.log(JSON.stringify(figures.targets));
    if (values.record) recordResult('events', `npx tsx bench/events.ts --records ${total}`, figures);
  } finally {
    if (!values.keep) rmSync(dir, { recursive: true, force: true });
    else console.log(`kept ${dir}`);
  }
}

await main();
