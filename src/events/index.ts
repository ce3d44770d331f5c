// The event pipeline's public API: records in (from the queue, the HTTP endpoint, files), re-reads, history and findings out.
export {
  createEventPipeline,
  processRecords,
  type EventPipeline,
  type EventPipelineDeps,
  type PipelineError,
  type PipelineTimings,
  type ProcessRecordsResult,
  type ReRead,
} from './process-records.js';
export { recordsFromText, type S3ObjectRef, type TextOptions, type TextRecords } from './records-from-text.js';
