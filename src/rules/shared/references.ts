// Documentation links the rules cite, in one place so a moved AWS page is fixed once.

export const REF = {
  sgGuide: 'https://docs.aws.amazon.com/vpc/latest/userguide/vpc-security-groups.html',
  sgRules: 'https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html',
  defaultSg: 'https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html',
  hubEc2: 'https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html',
  cisAws: 'https://www.cisecurity.org/benchmark/amazon_web_services',
  s3BlockPublicAccess:
    'https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html',
  s3Acl: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html',
  s3ObjectOwnership: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html',
  s3BucketPolicies: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-policies.html',
  iamConditionKeys: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html',
  hubS3: 'https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html',
  ebsEncryption: 'https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html',
  rdsEncryption: 'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html',
  rdsPublic:
    'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_VPC.WorkingWithRDSInstanceinaVPC.html#USER_VPC.Hiding',
  rdsShareSnapshot: 'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ShareSnapshot.html',
  hubRds: 'https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html',
  dynamodbPitr: 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/PointInTimeRecovery.html',
  hubDynamodb: 'https://docs.aws.amazon.com/securityhub/latest/userguide/dynamodb-controls.html',
  regions: 'https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html',
  scpDenyRegion:
    'https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_examples_general.html',
  monocyte: 'https://github.com/ImmobilienScout24/monocyte',
  hubEc2Ebs: 'https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-7',
} as const;
