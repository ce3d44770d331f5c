// Honours AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>, so one binary points at moto or at AWS.

/** The env suffix AWS uses for a service (the SDK's service id, upper-snake-cased). */
export type ServiceEnvName = 'EC2' | 'S3' | 'S3_CONTROL' | 'RDS' | 'DYNAMODB' | 'CLOUDFORMATION' | 'STS' | 'IAM' | 'SQS' | 'SNS';

export function endpointFor(service: ServiceEnvName, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS === 'true') return undefined;
  const specific = env[`AWS_ENDPOINT_URL_${service}`];
  if (specific) return specific;
  return env.AWS_ENDPOINT_URL || undefined;
}
