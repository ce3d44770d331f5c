// Rule sg-ingress-open-db: database and data-store ports reachable from the internet.
import * as z from 'zod';
import { defineRule } from '../core/rule.js';
import { REF } from './shared/references.js';
import {
  DEFAULT_DB_PORTS,
  exposedPorts,
  matchPorts,
  peerText,
  portListSchema,
  portName,
  RULE_OPEN_DB,
  ruleText,
  SG_TYPE,
  tierLink,
  type SgTierLink,
} from './shared/sg.js';
import { memoByParams } from './shared/memo.js';
import { checkSgRules, tierSkip, type SgRuleCheck } from './shared/sg-check.js';

export interface SgIngressOpenDbParams {
  readonly ports: readonly number[];
  /** Set by the engine from the other sg-ingress-open-* rules; not a leuko.yaml key. */
  readonly linked?: SgTierLink;
}

const checkOf = memoByParams((params: SgIngressOpenDbParams): SgRuleCheck => ({
  direction: 'ingress',
  skip: tierSkip('db', params.linked),
  match: (rule) => matchPorts(rule, params.ports),
  message: (rule, tri) => {
    const ports = exposedPorts(rule, params.ports);
    const shown =
      ports.slice(0, 6).map(portName).join(', ') + (ports.length > 6 ? ` and ${ports.length - 6} more` : '');
    return tri === 'yes'
      ? `${ruleText(rule)} opens database port${ports.length === 1 ? '' : 's'} ${shown} to ${peerText(rule.peer)}`
      : `${ruleText(rule)} may open a database port to the internet: part of it is unknown`;
  },
  details: (rule) => ({ ports: exposedPorts(rule, params.ports) }),
}));

export const sgIngressOpenDb = defineRule<SgIngressOpenDbParams>({
  id: RULE_OPEN_DB,
  title: 'Security group allows database ports from the internet',
  severity: 'high',
  resourceTypes: [SG_TYPE],
  rationale:
    'Databases and caches (MySQL 3306, PostgreSQL 5432, SQL Server 1433, Oracle 1521, MongoDB 27017, Redis 6379, ' +
    'Elasticsearch 9200, Redshift 5439, Memcached 11211, Cassandra 9042 and more) reachable from 0.0.0.0/0 or ::/0 ' +
    'are the most common source of mass data leaks and ransom wipes; many listen without authentication by default. ' +
    'Third in the chain open-all, open-admin, open-db, open-port: a rule already reported as all-traffic or as an ' +
    'admin exposure is not reported again here.',
  references: [`${REF.hubEc2}#ec2-19`, REF.sgRules, REF.rdsPublic],
  remediation: {
    action: 'revoke-security-group-rules',
    description: 'Revoke the rule; let only application security groups reach the database.',
  },
  enabledByDefault: true,
  paramsSchema: z.strictObject({
    ports: portListSchema.min(1, 'list at least one port (to turn the rule off, set enabled: false)'),
  }),
  defaultParams: { ports: DEFAULT_DB_PORTS },
  linkParams: (params, paramsOf) => ({ ...params, linked: tierLink(paramsOf) }),
  check(resource, params) {
    return checkSgRules(resource, checkOf(params));
  },
});
