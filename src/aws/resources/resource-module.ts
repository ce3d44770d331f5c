// What each resource type module provides: listing, get-by-id, ARN, the IAM actions each needs.
import type { Resource } from '../../core/resource.js';
import type { ResourceTypeId } from '../../core/resource-types.js';
import type { AccountClients } from '../clients/client-factory.js';

export interface CollectContext {
  readonly account: string;
  readonly region: string;
  /** aws | aws-cn | aws-us-gov */
  readonly partition: string;
  readonly clients: AccountClients;
  /** Called for a problem that did not stop the listing (e.g. one bucket's policy was unreadable). */
  readonly warn: (warning: CollectWarning) => void;
}

export interface CollectWarning {
  readonly type: ResourceTypeId;
  readonly account: string;
  readonly region: string;
  readonly resourceId?: string;
  readonly operation: string;
  readonly code?: string;
  readonly message: string;
}

export interface ResourceTypeModule<T extends ResourceTypeId = ResourceTypeId> {
  readonly type: T;
  /** The AWS service, as in IAM actions ("ec2", "s3"). */
  readonly service: string;
  /** The CloudFormation resource type this canonical type is built from. */
  readonly cloudFormationType: string;
  /**
   * 'regional': listed per region. 'account': one listing covers every region (S3), each record
   * carrying its own region; the scanner keeps those in the scanned regions.
   */
  readonly listingScope: 'regional' | 'account';
  /** AWS error codes that mean "gone" for get(): the resource was deleted, not a failure. */
  readonly notFoundCodes: readonly string[];
  /** IAM actions needed to list and to get one. */
  readonly permissions: { readonly list: readonly string[]; readonly get: readonly string[] };
  list(context: CollectContext): Promise<Array<Resource<T>>>;
  /** One resource by id; null when it does not exist. */
  get(context: CollectContext, id: string): Promise<Resource<T> | null>;
  arn(parts: { partition: string; region: string; account: string; id: string }): string;
}
