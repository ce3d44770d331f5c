// Classifies AWS errors: which mean "this region or call is closed to us", which are throttling, and
// which are harmless (a resource deleted between list and get). Declared, not caught wholesale.

const ACCESS_CODES = new Set([
  'AuthFailure',
  'UnauthorizedOperation',
  'AccessDenied',
  'AccessDeniedException',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'OptInRequired',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'ExpiredTokenException',
  'UnauthorizedAccess',
  'AllAccessDisabled',
]);

const THROTTLING_CODES = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'TooManyRequestsException',
  'SlowDown',
  'ProvisionedThroughputExceededException',
  'BandwidthLimitExceeded',
]);

export function awsErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const candidate = error as { name?: unknown; Code?: unknown; code?: unknown };
  for (const value of [candidate.Code, candidate.code, candidate.name]) {
    if (typeof value === 'string' && value !== 'Error' && value !== 'Unknown') return value;
  }
  return undefined;
}

export function isAccessError(error: unknown): boolean {
  const code = awsErrorCode(error);
  return code !== undefined && ACCESS_CODES.has(code);
}

export function isThrottlingError(error: unknown): boolean {
  const code = awsErrorCode(error);
  return code !== undefined && THROTTLING_CODES.has(code);
}

/** True when the error means the resource no longer exists (deleted mid-scan): harmless for a get. */
export function isNotFoundError(error: unknown, notFoundCodes: readonly string[]): boolean {
  const code = awsErrorCode(error);
  if (code !== undefined && notFoundCodes.includes(code)) return true;
  return (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode === 404;
}
