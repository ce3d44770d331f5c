// The CloudTrail source: read records, map them to canonical changes, judge them with rules and detections.
export { actorFromRecord } from './actor.js';
export type {
  AccountSettingChange,
  CanonicalChange,
  DeleteChange,
  FailedCallChange,
  UnresolvedChange,
  UpsertPartialChange,
} from './change.js';
export { changeFromRecord, changesFromRecord, MAPPED_EVENT_NAMES } from './event-to-change.js';
export {
  createEventEvaluator,
  evaluateRecords,
  evaluateRecordStream,
  type DetectionResult,
  type EvaluateRecordsOptions,
  type EvaluateRecordsResult,
  type EventError,
  type EventEvaluator,
  type EventFinding,
  type FailedCall,
} from './evaluate-events.js';
export {
  createReadStats,
  readCloudTrailDirectory,
  readCloudTrailFile,
  readCloudTrailPaths,
  type ReadOptions,
  type ReadStats,
  type RecordSource,
  type SourcedRecord,
} from './readers.js';
export { createInterestFilter, eventNameOfText, type InterestFilter } from './interest.js';
export { validateRecord, type CloudTrailRecord, type CloudTrailUserIdentity } from './record.js';
export { RULE_INPUTS, ruleApplies } from './rule-inputs.js';
export {
  isS3Url,
  listLogObjects,
  parseS3Url,
  readS3Object,
  readS3Records,
  s3Url,
  type S3Location,
  type S3ReadOptions,
} from './s3-source.js';
export {
  runSqsIntake,
  startSqsIntake,
  SqsIntakeError,
  type IntakeMessage,
  type SqsIntakeEvent,
  type SqsIntakeHandle,
  type SqsIntakeOptions,
  type SqsIntakeStats,
} from './sqs-intake.js';
export {
  startHttpIntake,
  type HttpIntake,
  type HttpIntakeBatch,
  type HttpIntakeEvent,
  type HttpIntakeOptions,
  type HttpIntakeSummary,
} from './http-intake.js';
