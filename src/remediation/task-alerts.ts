// The alerts a task's outcomes raise: one 'remediation' alert per outcome, one 'blast-radius' alert per halt.
import type { Alert } from '../notify/alert.js';
import type { Finding } from '../core/finding.js';
import type { Severity } from '../core/rule.js';
import type { RemediationTask } from './task.js';

/** proposed | awaiting-approval | applied | already-done | failed | dead | refused | reverted | rejected */
export type TaskOutcome =
  | 'proposed'
  | 'awaiting-approval'
  | 'applied'
  | 'already-done'
  | 'failed'
  | 'dead'
  | 'refused'
  | 'reverted'
  | 'rejected';

const SEVERITY: Record<TaskOutcome, Severity> = {
  proposed: 'info',
  'awaiting-approval': 'medium',
  applied: 'medium',
  'already-done': 'info',
  failed: 'high',
  dead: 'high',
  refused: 'low',
  reverted: 'medium',
  rejected: 'info',
};

const VERB: Record<TaskOutcome, string> = {
  proposed: 'would run',
  'awaiting-approval': 'awaits approval for',
  applied: 'applied',
  'already-done': 'found already done',
  failed: 'failed to apply',
  dead: 'gave up on',
  refused: 'refused',
  reverted: 'reverted',
  rejected: 'was told not to run',
};

function resourceName(task: RemediationTask): string {
  return `${task.resource.type} ${task.resource.id} (${task.resource.account} ${task.resource.region})`;
}

export function taskAlert(
  task: RemediationTask,
  outcome: TaskOutcome,
  at: string,
  options: { message?: string; finding?: Finding; attempt?: number } = {},
): Alert {
  const changes = task.plan?.changes ?? [];
  const who = task.actor?.arn ? ` after a change by ${task.actor.arn}` : '';
  const detail = options.message ?? task.refusal?.message ?? task.lastError ?? task.note;
  return {
    kind: 'remediation',
    // One alert per (task, outcome, attempt): a re-sent alert keeps its id, a new failure gets a new one.
    id: `remediation:${task.id}:${outcome}${options.attempt !== undefined ? `:${options.attempt}` : ''}`,
    severity: SEVERITY[outcome],
    ruleId: task.ruleId,
    title: `leuko ${VERB[outcome]} ${task.actionId} on ${task.resource.id}`,
    message:
      `Rule ${task.ruleId} on ${resourceName(task)}${who}: ${task.actionId} ${outcome} (mode ${task.mode}).` +
      (changes.length > 0 ? ` Changes: ${changes.join('; ')}.` : '') +
      (detail ? ` ${detail}` : ''),
    resource: task.resource,
    ...(options.finding ? { finding: options.finding } : {}),
    ...(task.actor ? { actor: task.actor } : {}),
    ...(task.eventId !== undefined ? { eventId: task.eventId } : {}),
    remediation: {
      taskId: task.id,
      actionId: task.actionId,
      mode: task.mode,
      outcome,
      changes,
      ...(detail ? { message: detail } : {}),
    },
    at,
  };
}

export function blastRadiusAlert(
  limit: { kind: 'run' | 'hour'; max: number },
  waiting: number,
  at: string,
  runId: string,
): Alert {
  const window = limit.kind === 'run' ? 'this run' : 'the last hour';
  return {
    kind: 'blast-radius',
    id: `blast-radius:${runId}`,
    severity: 'high',
    ruleId: 'blast-radius',
    title: `leuko halted automatic destructive remediation: ${limit.max} in ${window}`,
    message:
      `The limit of ${limit.max} destructive actions in ${window} is reached; automatic destructive remediation ` +
      `has stopped and ${waiting} task(s) wait. Review them with \`leuko remediation list --state queued\`.`,
    at,
  };
}
