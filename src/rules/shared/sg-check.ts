// The loop shared by the sg-* rules: walk one direction's rules, match, let precedence skip, report.
import { certaintyOf, type Tri } from '../../core/engine/tri.js';
import type { SgRule } from '../../core/models/security-group.js';
import type { Resource } from '../../core/resource.js';
import type { Violation } from '../../core/rule.js';
import { isType, NO_VIOLATIONS } from './narrow.js';
import {
  claimedByHigherTier,
  DEFAULT_TIER_LINK,
  SG_TYPE,
  sgRulePart,
  type SgTier,
  type SgTierLink,
} from './sg.js';

export interface SgRuleCheck {
  readonly direction: 'ingress' | 'egress';
  readonly match: (rule: SgRule) => Tri;
  /** Precedence: true when another rule reports this one. */
  readonly skip?: (rule: SgRule, tri: Tri) => boolean;
  readonly message: (rule: SgRule, tri: Tri) => string;
  readonly details?: (rule: SgRule) => Record<string, unknown>;
}

export function checkSgRules(resource: Resource, check: SgRuleCheck): Violation[] {
  if (!isType(resource, SG_TYPE)) return NO_VIOLATIONS;
  const rules = resource.config.rules;
  let out: Violation[] | undefined;
  for (let index = 0; index < rules.length; index++) {
    const rule = rules[index]!;
    if (rule.direction !== check.direction) continue;
    const tri = check.match(rule);
    if (tri === 'no' || check.skip?.(rule, tri)) continue;
    (out ??= []).push({
      part: sgRulePart(rule),
      certainty: certaintyOf(tri),
      message: check.message(rule, tri),
      path: ['rules', index],
      details: detailsOf(rule, check),
    });
  }
  return out ?? NO_VIOLATIONS;
}

function detailsOf(rule: SgRule, check: SgRuleCheck): Record<string, unknown> {
  const details: Record<string, unknown> = rule.ruleId
    ? { direction: rule.direction, ruleId: rule.ruleId }
    : { direction: rule.direction };
  return check.details ? Object.assign(details, check.details(rule)) : details;
}

/** The precedence predicate of one world-ingress tier. */
export function tierSkip(tier: SgTier, link: SgTierLink | undefined): (rule: SgRule, tri: Tri) => boolean {
  const resolved = link ?? DEFAULT_TIER_LINK;
  return (rule, tri) => claimedByHigherTier(rule, tier, tri, resolved);
}
