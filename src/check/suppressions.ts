// Suppressions written in a template: Metadata.leuko.suppress on a resource, each with a rule id and a required reason.
import { locate, type LoadedTemplate } from '../sources/template/index.js';

export interface TemplateSuppression {
  readonly ruleId: string;
  readonly reason: string;
}

/** A suppression that is ignored because it is malformed; reported as one line naming file, resource and place. */
export interface SuppressionProblem {
  readonly logicalId: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

export interface TemplateSuppressions {
  /** Valid suppressions by logical id, then by rule id. */
  readonly byResource: ReadonlyMap<string, ReadonlyMap<string, TemplateSuppression>>;
  readonly problems: readonly SuppressionProblem[];
}

const EMPTY: TemplateSuppressions = { byResource: new Map(), problems: [] };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads every resource's `Metadata: { leuko: { suppress: [ { id, reason } ] } }`. A suppression without
 * a reason, or naming a rule leuko does not have, is not applied (a typo must not hide a finding
 * silently) and becomes a problem instead. Cheap: positions are computed only for malformed entries.
 */
export function readSuppressions(loaded: LoadedTemplate, knownRuleIds: ReadonlySet<string>): TemplateSuppressions {
  const resources = loaded.body.Resources;
  if (!isRecord(resources)) return EMPTY;
  let byResource: Map<string, Map<string, TemplateSuppression>> | undefined;
  let problems: SuppressionProblem[] | undefined;
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (!isRecord(resource) || !isRecord(resource.Metadata)) continue;
    const leuko = resource.Metadata.leuko;
    if (leuko === undefined) continue;
    const base = ['Resources', logicalId, 'Metadata', 'leuko'];
    const problem = (path: ReadonlyArray<string | number>, message: string) => {
      const at = locate(loaded, path);
      (problems ??= []).push({ logicalId, line: at.line, column: at.column, message: `resource ${logicalId}: ${message}` });
    };
    if (!isRecord(leuko) || !Array.isArray(leuko.suppress)) {
      problem(base, 'Metadata.leuko must be { suppress: [ { id: <rule id>, reason: <why> } ] }; ignored');
      continue;
    }
    leuko.suppress.forEach((entry: unknown, index) => {
      const path = [...base, 'suppress', index];
      if (!isRecord(entry) || typeof entry.id !== 'string' || entry.id === '') {
        problem(path, 'a suppression needs an id (the rule id) and a reason; ignored');
        return;
      }
      if (typeof entry.reason !== 'string' || entry.reason.trim() === '') {
        problem(path, `the suppression of ${entry.id} has no reason; a reason is required, so it is ignored`);
        return;
      }
      if (!knownRuleIds.has(entry.id)) {
        problem([...path, 'id'], `suppresses unknown rule "${entry.id}"; ignored`);
        return;
      }
      byResource ??= new Map();
      const rules = byResource.get(logicalId) ?? new Map<string, TemplateSuppression>();
      rules.set(entry.id, { ruleId: entry.id, reason: entry.reason.trim() });
      byResource.set(logicalId, rules);
    });
  }
  if (byResource === undefined && problems === undefined) return EMPTY;
  return { byResource: byResource ?? new Map(), problems: problems ?? [] };
}
