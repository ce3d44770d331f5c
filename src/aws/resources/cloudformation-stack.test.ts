// Unit tests of the CloudFormation stack mapping: a hand-made DescribeStacks entry and Panther's stack snapshots.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpusPath } from '../../../test/harness/corpus.js';
import { stackSchema, type StackModel } from '../../core/models/stack.js';
import { stackFromAws, stackModule, type AwsStack } from './cloudformation-stack.js';

function valid(model: StackModel): StackModel {
  // parse() drops keys the schema does not know, so equality also proves there are none.
  expect(stackSchema.parse(model)).toEqual(model);
  return model;
}

const STACK_ID =
  'arn:aws:cloudformation:eu-west-1:111122223333:stack/network/8c1d2e30-1a2b-11ef-9c3d-0a1b2c3d4e5f';

describe('stackFromAws', () => {
  it('maps a nested stack with termination protection and a service role', () => {
    expect(
      valid(
        stackFromAws({
          StackName: 'network',
          StackId: STACK_ID,
          StackStatus: 'UPDATE_ROLLBACK_COMPLETE',
          StackStatusReason: 'Resource creation cancelled',
          Description: 'VPC and subnets',
          CreationTime: new Date('2024-01-02T03:04:05Z'),
          LastUpdatedTime: '2024-02-03T04:05:06.789Z',
          ParentId:
            'arn:aws:cloudformation:eu-west-1:111122223333:stack/root/00000000-0000-0000-0000-000000000000',
          RootId:
            'arn:aws:cloudformation:eu-west-1:111122223333:stack/root/00000000-0000-0000-0000-000000000000',
          EnableTerminationProtection: true,
          RoleARN: 'arn:aws:iam::111122223333:role/cfn-deployer',
          Tags: [{ Key: 'owner', Value: 'platform' }],
        }),
      ),
    ).toEqual({
      stackName: 'network',
      stackId: STACK_ID,
      status: 'UPDATE_ROLLBACK_COMPLETE',
      statusReason: 'Resource creation cancelled',
      description: 'VPC and subnets',
      creationTime: '2024-01-02T03:04:05.000Z',
      lastUpdatedTime: '2024-02-03T04:05:06.789Z',
      parentId:
        'arn:aws:cloudformation:eu-west-1:111122223333:stack/root/00000000-0000-0000-0000-000000000000',
      rootId: 'arn:aws:cloudformation:eu-west-1:111122223333:stack/root/00000000-0000-0000-0000-000000000000',
      terminationProtection: true,
      roleArn: 'arn:aws:iam::111122223333:role/cfn-deployer',
    });
  });

  it('leaves out what the entry does not say', () => {
    expect(
      valid(stackFromAws({ StackName: 's', StackId: STACK_ID, StackStatus: 'CREATE_IN_PROGRESS' })),
    ).toEqual({
      stackName: 's',
      stackId: STACK_ID,
      status: 'CREATE_IN_PROGRESS',
    });
  });
});

describe('stackModule', () => {
  it('declares its IAM action; the ARN of a bare name is the IAM pattern, a stack id passes through', () => {
    expect(stackModule.permissions).toEqual({
      list: ['cloudformation:DescribeStacks'],
      get: ['cloudformation:DescribeStacks'],
    });
    expect(
      stackModule.arn({ partition: 'aws', region: 'eu-west-1', account: '111122223333', id: 'network' }),
    ).toBe('arn:aws:cloudformation:eu-west-1:111122223333:stack/network/*');
    expect(
      stackModule.arn({ partition: 'aws', region: 'eu-west-1', account: '111122223333', id: STACK_ID }),
    ).toBe(STACK_ID);
  });
});

/**
 * The corpus has no recorded DescribeStacks response; Panther's policy tests carry hand-written stack
 * snapshots in its shape (name under `Name`, creation under `TimeCreated`, null for absent fields).
 */
describe('stackFromAws on Panther stack snapshots (corpus)', () => {
  const file = corpusPath('api-responses', 'panther-policy-resource-tests', 'policy_resource_tests.jsonl');

  it.skipIf(!file)('maps each snapshot, nulls left out', () => {
    const stacks = readFileSync(file ?? '', 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map(
        (line) =>
          JSON.parse(line) as {
            log_types: string[];
            resource: AwsStack & { Name: string; TimeCreated: string };
          },
      )
      .filter((test) => test.log_types.includes('AWS.CloudFormation.Stack'))
      .map((test) => test.resource)
      // One hand-written snapshot has no StackId, which every DescribeStacks entry carries.
      .filter((stack) => typeof stack.StackId === 'string');
    expect(stacks.length).toBeGreaterThanOrEqual(5);
    for (const stack of stacks) {
      const model = valid(stackFromAws({ ...stack, StackName: stack.Name, CreationTime: stack.TimeCreated }));
      expect(model.stackId).toBe(stack.StackId);
      expect(model.terminationProtection).toBe(stack.EnableTerminationProtection ?? undefined);
    }
    const [first] = stacks;
    expect(
      valid(
        stackFromAws({ ...(first as AwsStack), StackName: 'iam-roles', CreationTime: first?.TimeCreated }),
      ),
    ).toEqual({
      stackName: 'iam-roles',
      stackId:
        'arn:aws:cloudformation:us-west-2:123456789012:stack/iam-roles/12345678901258f4c3a3-c67c-4f81-afe1-509a2065de91',
      status: 'UPDATE_COMPLETE',
      description: 'IAM Admin role',
      creationTime: '2019-04-02T17:16:30.000Z',
      lastUpdatedTime: '2019-04-02T17:16:30.000Z',
      roleArn: 'arn:aws:iam::123456789012:role/CFNServiceRole',
    });
  });
});
