// Registers every command on the program.
import type { Command } from 'commander';
import { registerAlerts } from './alerts.js';
import { registerAudit } from './audit.js';
import { registerCheck } from './check.js';
import { registerFindings } from './findings.js';
import { registerRules } from './rules.js';
import { registerDeleted } from './deleted.js';
import { registerDemo } from './demo.js';
import { registerDiff } from './diff.js';
import { registerHistory } from './history.js';
import { registerIamPolicy } from './iam-policy.js';
import { registerInventory } from './inventory.js';
import { registerReplay } from './replay.js';
import { registerRemediation } from './remediation.js';
import { registerResolve } from './resolve.js';
import { registerScan } from './scan.js';
import { registerSearch } from './search.js';
import { registerWatch } from './watch.js';
import { registerUndo } from './undo.js';

export function registerCommands(program: Command): void {
  registerScan(program);
  registerInventory(program);
  registerHistory(program);
  registerDiff(program);
  registerDeleted(program);
  registerResolve(program);
  registerSearch(program);
  registerAudit(program);
  registerAlerts(program);
  registerCheck(program);
  registerFindings(program);
  registerRules(program);
  registerIamPolicy(program);
  registerRemediation(program);
  registerUndo(program);
  registerReplay(program);
  registerWatch(program);
  registerDemo(program);
}
