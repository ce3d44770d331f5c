// Empties an S3 bucket before it can be deleted: every object version, every delete marker, every unfinished upload.
import {
  AbortMultipartUploadCommand,
  DeleteObjectsCommand,
  ListMultipartUploadsCommand,
  ListObjectVersionsCommand,
  type ObjectIdentifier,
} from '@aws-sdk/client-s3';
import { RemediationError, send, type ActionContext } from './action-runtime.js';

/** DeleteObjects takes at most this many keys per call. */
const DELETE_BATCH = 1000;

export interface EmptiedBucket {
  readonly objectVersions: number;
  readonly deleteMarkers: number;
  readonly uploadsAborted: number;
}

async function deleteBatch(
  ctx: ActionContext,
  actionId: string,
  bucket: string,
  region: string,
  objects: ObjectIdentifier[],
): Promise<void> {
  const s3 = ctx.clients.client('s3', region);
  const output = await send(ctx, region, () =>
    s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects, Quiet: true } })),
  );
  const errors = output.Errors ?? [];
  // Object Lock retention, legal holds or MFA delete refuse single versions: stop, do not half-delete silently.
  if (errors.length > 0) {
    const first = errors[0];
    throw new RemediationError(
      actionId,
      bucket,
      `${errors.length} object version(s) could not be deleted (first: ${first?.Key ?? '?'} ${first?.VersionId ?? ''}: ${first?.Code ?? ''} ${first?.Message ?? ''})`,
    );
  }
}

/**
 * Deletes everything the bucket holds. Listing pages are deleted as they come, so memory stays flat for a
 * bucket of millions of versions; a versioned bucket's versions are deleted by version id (a plain delete
 * would only add delete markers).
 */
export async function emptyBucket(
  ctx: ActionContext,
  actionId: string,
  bucket: string,
  region: string,
): Promise<EmptiedBucket> {
  const s3 = ctx.clients.client('s3', region);
  let objectVersions = 0;
  let deleteMarkers = 0;
  let uploadsAborted = 0;
  let batch: ObjectIdentifier[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const objects = batch;
    batch = [];
    await deleteBatch(ctx, actionId, bucket, region, objects);
  };
  // The SDK ships no paginator for these two listings: they page by key and version (upload) markers.
  let keyMarker: string | undefined;
  let versionMarker: string | undefined;
  do {
    const page = await send(ctx, region, () =>
      s3.send(
        new ListObjectVersionsCommand({
          Bucket: bucket,
          MaxKeys: DELETE_BATCH,
          ...(keyMarker !== undefined ? { KeyMarker: keyMarker } : {}),
          ...(versionMarker !== undefined ? { VersionIdMarker: versionMarker } : {}),
        }),
      ),
    );
    for (const version of page.Versions ?? []) {
      if (version.Key === undefined) continue;
      batch.push({ Key: version.Key, ...(version.VersionId ? { VersionId: version.VersionId } : {}) });
      objectVersions += 1;
      if (batch.length >= DELETE_BATCH) await flush();
    }
    for (const marker of page.DeleteMarkers ?? []) {
      if (marker.Key === undefined) continue;
      batch.push({ Key: marker.Key, ...(marker.VersionId ? { VersionId: marker.VersionId } : {}) });
      deleteMarkers += 1;
      if (batch.length >= DELETE_BATCH) await flush();
    }
    keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
    versionMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
  } while (keyMarker !== undefined);
  await flush();
  let uploadKeyMarker: string | undefined;
  let uploadIdMarker: string | undefined;
  do {
    const page = await send(ctx, region, () =>
      s3.send(
        new ListMultipartUploadsCommand({
          Bucket: bucket,
          ...(uploadKeyMarker !== undefined ? { KeyMarker: uploadKeyMarker } : {}),
          ...(uploadIdMarker !== undefined ? { UploadIdMarker: uploadIdMarker } : {}),
        }),
      ),
    );
    for (const upload of page.Uploads ?? []) {
      if (upload.Key === undefined || upload.UploadId === undefined) continue;
      const { Key, UploadId } = upload;
      await send(ctx, region, () =>
        s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key, UploadId })),
      );
      uploadsAborted += 1;
    }
    uploadKeyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
    uploadIdMarker = page.IsTruncated ? page.NextUploadIdMarker : undefined;
  } while (uploadKeyMarker !== undefined);
  return { objectVersions, deleteMarkers, uploadsAborted };
}
