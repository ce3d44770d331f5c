// Resource type aws.cloudformation.stack: live CloudFormation stacks per region (deleted ones are gone).
import { DescribeStacksCommand, paginateDescribeStacks, type Stack } from '@aws-sdk/client-cloudformation';
import type { StackModel } from '../../core/models/stack.js';
import { tagsFromList, type Resource } from '../../core/resource.js';
import { awsErrorCode } from '../aws-errors.js';
import { allPages, callAws, compareStrings, isoDate, optional } from './collect-helpers.js';
import type { CollectContext, ResourceTypeModule } from './resource-module.js';

const TYPE = 'aws.cloudformation.stack';

/** DescribeStacks keeps deleted stacks visible (by stack id) for 90 days; they no longer exist. */
const DELETED_STATUS = 'DELETE_COMPLETE';

/** A DescribeStacks entry; dates may be strings when it comes from a recording or an event. */
export type AwsStack = Omit<Stack, 'CreationTime' | 'LastUpdatedTime' | 'DeletionTime'> & {
  StackName: string;
  StackId: string;
  StackStatus: string;
  CreationTime?: Date | string | undefined;
  LastUpdatedTime?: Date | string | undefined;
};

/** Builds the canonical model from one DescribeStacks entry (also used by CloudTrail event code). */
export function stackFromAws(stack: AwsStack): StackModel {
  return {
    stackName: stack.StackName,
    stackId: stack.StackId,
    status: stack.StackStatus,
    ...optional('statusReason', stack.StackStatusReason),
    ...optional('description', stack.Description),
    ...optional('creationTime', isoDate(stack.CreationTime)),
    ...optional('lastUpdatedTime', isoDate(stack.LastUpdatedTime)),
    ...optional('parentId', stack.ParentId),
    ...optional('rootId', stack.RootId),
    ...optional('terminationProtection', stack.EnableTerminationProtection),
    ...optional('roleArn', stack.RoleARN),
  };
}

/**
 * A stack's ARN carries a unique suffix only AWS knows; from a name alone this gives the IAM resource
 * pattern (`stack/NAME/*`), and a full stack id passes through unchanged.
 */
function stackArn(parts: { partition: string; region: string; account: string; id: string }): string {
  if (parts.id.startsWith('arn:')) return parts.id;
  return `arn:${parts.partition}:cloudformation:${parts.region}:${parts.account}:stack/${parts.id}/*`;
}

function toResource(context: CollectContext, stack: Stack): Resource<typeof TYPE> | null {
  const { StackName: name, StackId: stackId, StackStatus: status } = stack;
  if (name === undefined || stackId === undefined || status === undefined || status === DELETED_STATUS)
    return null;
  return {
    type: TYPE,
    account: context.account,
    region: context.region,
    id: name,
    arn: stackId,
    name,
    tags: tagsFromList(stack.Tags),
    config: stackFromAws({ ...stack, StackName: name, StackId: stackId, StackStatus: status }),
  };
}

/** CloudFormation reports a missing stack as a ValidationError; only that message means "gone". */
function isMissingStack(error: unknown): boolean {
  return (
    awsErrorCode(error) === 'ValidationError' &&
    error instanceof Error &&
    /does not exist/i.test(error.message)
  );
}

export const stackModule: ResourceTypeModule<typeof TYPE> = {
  type: TYPE,
  service: 'cloudformation',
  cloudFormationType: 'AWS::CloudFormation::Stack',
  listingScope: 'regional',
  // The only code AWS gives for a missing stack; it is also used for bad input, so get() checks the
  // message ("Stack with id X does not exist") as well before answering null.
  notFoundCodes: ['ValidationError'],
  permissions: { list: ['cloudformation:DescribeStacks'], get: ['cloudformation:DescribeStacks'] },

  async list(context) {
    const client = context.clients.client('cloudformation', context.region);
    // DescribeStacks takes no page size: AWS fixes it.
    const pages = await allPages(
      context,
      context.region,
      'cloudformation:DescribeStacks',
      paginateDescribeStacks({ client }, {}),
    );
    return pages
      .flatMap((page) => page.Stacks ?? [])
      .map((stack) => toResource(context, stack))
      .filter((resource): resource is Resource<typeof TYPE> => resource !== null)
      .sort((a, b) => compareStrings(a.id, b.id));
  },

  async get(context, id) {
    const client = context.clients.client('cloudformation', context.region);
    try {
      const response = await callAws(context, context.region, 'cloudformation:DescribeStacks', () =>
        client.send(new DescribeStacksCommand({ StackName: id })),
      );
      const stack = response.Stacks?.[0];
      return stack ? toResource(context, stack) : null;
    } catch (error) {
      if (isMissingStack(error)) return null;
      throw error;
    }
  },

  arn: stackArn,
};
