// Reads corpus files in place (never copied into the repo): Panther policy tests and Cloud Custodian placebo sessions.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpusPath } from '../harness/corpus.js';
import type { Json } from './aws-shapes.js';

export interface PantherPolicyTest {
  readonly rule_id: string;
  readonly test_name: string;
  /** true = the resource is COMPLIANT with the Panther policy. */
  readonly expected_result: boolean;
  readonly resource: Json;
}

export function pantherPolicyTests(): PantherPolicyTest[] | undefined {
  const file = corpusPath('api-responses', 'panther-policy-resource-tests', 'policy_resource_tests.jsonl');
  if (!file || !existsSync(file)) return undefined;
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as PantherPolicyTest);
}

export interface PlaceboResponse {
  /** "<session dir>/<service>.<Operation>_<n>.json" */
  readonly name: string;
  readonly status: number;
  readonly data: Json;
}

export function placeboDir(): string | undefined {
  const dir = corpusPath('api-responses', 'cloud-custodian-placebo');
  return dir && existsSync(dir) ? dir : undefined;
}

/** Every recorded response of one operation ("ec2.DescribeSecurityGroups") across all sessions. */
export function placeboResponses(operation: string): PlaceboResponse[] | undefined {
  const dir = placeboDir();
  if (!dir) return undefined;
  const out: PlaceboResponse[] = [];
  for (const session of readdirSync(dir).sort()) {
    let files: string[];
    try {
      files = readdirSync(join(dir, session));
    } catch {
      continue;
    }
    for (const file of files.sort()) {
      if (!file.startsWith(`${operation}_`) || !file.endsWith('.json')) continue;
      const parsed = JSON.parse(readFileSync(join(dir, session, file), 'utf8')) as {
        status_code: number;
        data: Json;
      };
      out.push({ name: `${session}/${file}`, status: parsed.status_code, data: parsed.data });
    }
  }
  return out;
}
