// The built-in detections: event-only judgements with stable ids, in the order they are listed.
import { cloudtrailTampering } from './cloudtrail-tampering.js';
import { consoleLoginWithoutMfa } from './console-login-without-mfa.js';
import type { DetectionDefinition } from './detection.js';
import { flowlogsDeleted } from './flowlogs-deleted.js';
import { rootActivity } from './root-activity.js';
import { sgCreated } from './sg-created.js';
import { snapshotSharedExternal } from './snapshot-shared-external.js';

export const BUILT_IN_DETECTIONS: readonly DetectionDefinition[] = [
  cloudtrailTampering,
  flowlogsDeleted,
  rootActivity,
  consoleLoginWithoutMfa,
  snapshotSharedExternal,
  sgCreated,
];

export {
  cloudtrailTampering,
  consoleLoginWithoutMfa,
  flowlogsDeleted,
  rootActivity,
  sgCreated,
  snapshotSharedExternal,
};
export { defineDetection, type DetectionContext, type DetectionDefinition, type DetectionHit } from './detection.js';
