// AWS::CloudFormation::Stack (nested stacks) as aws.cloudformation.stack models.
import type { StackModel } from '../../../core/models/index.js';
import type { Resource } from '../../../core/resource.js';
import type { Scenario } from '../cfn-resolve.js';
import type { MappedResource } from '../mapped-resource.js';
import { PathRecorder, type CfnMapContext } from './context.js';

const STACK = 'AWS::CloudFormation::Stack';

/**
 * Status of a stack that exists only in a template. Not a CloudFormation status, so no rule about
 * failed or drifted stacks can match it.
 */
export const TEMPLATE_STACK_STATUS = 'TEMPLATE';

export function mapStacks(ctx: CfnMapContext): MappedResource[] {
  const out: MappedResource[] = [];
  for (const stack of ctx.ofType(STACK)) {
    const id = stack.logicalId;
    const mapped = ctx.variants({
      sourceId: id,
      sourceType: STACK,
      type: 'aws.cloudformation.stack',
      sourcePath: ['Resources', id],
      synthetic: false,
      primary: id,
      members: [id],
      build: (scenario) => buildStack(ctx, id, scenario),
    });
    if (mapped) out.push(mapped);
  }
  return out;
}

function buildStack(ctx: CfnMapContext, logicalId: string, scenario: Scenario) {
  const props = ctx.props(logicalId, scenario);
  const paths = new PathRecorder();
  paths.add([], ['Resources', logicalId]);
  const config: StackModel = {
    // A nested stack's real name is generated (<parent>-<LogicalId>-<suffix>); the logical id names it here.
    stackName: logicalId,
    stackId: ctx.arn(logicalId),
    status: TEMPLATE_STACK_STATUS,
  };
  const resource: Resource<'aws.cloudformation.stack'> = {
    type: 'aws.cloudformation.stack',
    account: ctx.account,
    region: ctx.region,
    id: logicalId,
    arn: ctx.arn(logicalId),
    tags: ctx.tags(props.Tags, ['Resources', logicalId, 'Properties', 'Tags']),
    config,
  };
  return { resource, paths: paths.entries };
}
