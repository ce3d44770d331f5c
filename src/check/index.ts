// Public API of `leuko check`: check templates and plans, and render the result in the four formats.
export {
  checkFile,
  checkFiles,
  checkTemplates,
  checkText,
  displayName,
  expandForCheck,
  isTerraformPlan,
  summarizeReports,
  type CheckOptions,
  type CheckProblem,
  type CheckResult,
  type FileReport,
  type ProblemKind,
  type TemplateFinding,
  type TemplateKind,
} from './check-templates.js';
export {
  AUTO_MAX_THREADS,
  checkTemplatesParallel,
  MAX_JOBS,
  PARALLEL_MIN_FILES,
  parseJobs,
  startCheckWorker,
  threadsFor,
  type FromWorker,
  type Jobs,
  type ParallelOptions,
  type ToWorker,
  type WorkerFile,
  type WorkerInit,
} from './parallel-check.js';
export { expandPaths, TEMPLATE_EXTENSIONS, type ExpandedFile } from './expand-paths.js';
export { readSuppressions, type TemplateSuppression, type TemplateSuppressions } from './suppressions.js';
export { codeFrame, type CodeFrameOptions } from './code-frame.js';
export { formatText, summaryLine, type TextFormatOptions } from './format-text.js';
export { formatJson, toJsonCheckReport, type JsonCheckReport } from './format-json.js';
export { FINGERPRINT_KEY, SARIF_SCHEMA, formatSarif, sarifUri, toSarif, type SarifLog, type SarifOptions } from './format-sarif.js';
export { formatJunit, xmlEscape } from './format-junit.js';
export { atOrAbove, sarifLevel, securitySeverity } from './severity-levels.js';
