// Unit tests of the EBS volume mapping, on hand-made records and on real recorded DescribeVolumes responses.
import type { DescribeVolumesResult, Volume } from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors.js';
import { volumeSchema, type VolumeModel } from '../../core/models/volume.js';
import { corpusPath } from '../../../test/harness/corpus.js';
import { placeboRecordings, readPlacebo } from '../../../test/harness/placebo.js';
import { isNotFoundError } from '../aws-errors.js';
import { volumeFromAws, volumeModule } from './ec2-volume.js';

function valid(model: VolumeModel): VolumeModel {
  // parse() drops keys the schema does not know, so equality also proves there are none.
  expect(volumeSchema.parse(model)).toEqual(model);
  return model;
}

function volumesOf(data: unknown): Volume[] {
  return (data as DescribeVolumesResult).Volumes ?? [];
}

describe('volumeFromAws', () => {
  it('maps encryption, size and attachments (sorted by instance, then device)', () => {
    expect(
      valid(
        volumeFromAws({
          VolumeId: 'vol-1',
          Size: 100,
          VolumeType: 'gp3',
          Encrypted: true,
          KmsKeyId: 'arn:aws:kms:eu-west-1:111122223333:key/k',
          AvailabilityZone: 'eu-west-1b',
          State: 'in-use',
          SnapshotId: 'snap-1',
          CreateTime: new Date('2024-01-01T00:00:00Z'),
          // Multi-attach (io2) volumes have several.
          Attachments: [
            { InstanceId: 'i-b', Device: '/dev/sdf', State: 'attached', DeleteOnTermination: false },
            { InstanceId: 'i-a', Device: '/dev/sdg', State: 'attaching' },
          ],
        }),
      ),
    ).toEqual({
      volumeId: 'vol-1',
      sizeGiB: 100,
      volumeType: 'gp3',
      encrypted: true,
      kmsKeyId: 'arn:aws:kms:eu-west-1:111122223333:key/k',
      availabilityZone: 'eu-west-1b',
      state: 'in-use',
      snapshotId: 'snap-1',
      attachments: [
        { instanceId: 'i-a', device: '/dev/sdg', state: 'attaching' },
        { instanceId: 'i-b', device: '/dev/sdf', state: 'attached', deleteOnTermination: false },
      ],
    });
  });

  it('leaves out the "" AWS sends for a volume not made from a snapshot', () => {
    expect('snapshotId' in volumeFromAws({ VolumeId: 'vol-2', Encrypted: false, SnapshotId: '' })).toBe(
      false,
    );
  });

  it('keeps a record that does not say whether it is encrypted as unknown, never as unencrypted', () => {
    expect(valid(volumeFromAws({ VolumeId: 'vol-3' })).encrypted).toEqual({
      $unknown: true,
      reason: 'the volume record does not say whether it is encrypted',
    });
  });

  it('refuses a record without a volume id', () => {
    expect(() => volumeFromAws({ Size: 1 })).toThrow(InputError);
  });
});

describe('volumeModule', () => {
  it('declares its IAM actions, CloudFormation type and ARN form', () => {
    expect(volumeModule.permissions).toEqual({ list: ['ec2:DescribeVolumes'], get: ['ec2:DescribeVolumes'] });
    expect(volumeModule.cloudFormationType).toBe('AWS::EC2::Volume');
    expect(
      volumeModule.arn({
        partition: 'aws-us-gov',
        region: 'us-gov-west-1',
        account: '111122223333',
        id: 'vol-1',
      }),
    ).toBe('arn:aws-us-gov:ec2:us-gov-west-1:111122223333:volume/vol-1');
  });
});

describe('volumeFromAws on Cloud Custodian placebo recordings (corpus)', () => {
  const dir = corpusPath('api-responses', 'cloud-custodian-placebo');

  it.skipIf(!dir)('maps attached and KMS-encrypted volumes of a recorded response', () => {
    const volumes = volumesOf(
      readPlacebo(`${dir}/test_ebs_aws_managed_kms_keys/ec2.DescribeVolumes_1.json`).data,
    );
    expect(volumes.map((volume) => valid(volumeFromAws(volume)))).toEqual([
      {
        volumeId: 'vol-37e189b7',
        sizeGiB: 8,
        volumeType: 'gp2',
        encrypted: false,
        availabilityZone: 'us-west-2c',
        state: 'in-use',
        snapshotId: 'snap-47713105',
        attachments: [
          {
            instanceId: 'i-0bfe468063b02d018',
            device: '/dev/sda1',
            state: 'attached',
            deleteOnTermination: true,
          },
        ],
      },
      {
        volumeId: 'vol-cc3fc645',
        sizeGiB: 5,
        volumeType: 'gp2',
        encrypted: true,
        kmsKeyId: 'arn:aws:kms:us-west-2:644160558196:key/d21dba12-ec3d-4115-a600-5779ae051580',
        availabilityZone: 'us-west-2a',
        state: 'available',
        attachments: [],
      },
      {
        volumeId: 'vol-14a3cd9d',
        sizeGiB: 1,
        volumeType: 'gp2',
        encrypted: true,
        kmsKeyId: 'arn:aws:kms:us-west-2:644160558196:key/68425528-9938-4a15-90f2-f1755263b836',
        availabilityZone: 'us-west-2a',
        state: 'available',
        attachments: [],
      },
    ]);
  });

  it.skipIf(!dir)('maps every recorded DescribeVolumes response to a valid model', () => {
    const recordings = placeboRecordings(dir ?? '', 'ec2.DescribeVolumes').filter(
      (recording) => recording.statusCode === 200,
    );
    expect(recordings.length).toBeGreaterThan(30);
    let count = 0;
    for (const recording of recordings) {
      for (const volume of volumesOf(recording.data)) {
        const model = valid(volumeFromAws(volume));
        expect(model.encrypted, recording.file).toBe(volume.Encrypted);
        expect(model.attachments.length, recording.file).toBe(volume.Attachments?.length ?? 0);
        count += 1;
      }
    }
    expect(count).toBeGreaterThan(50);
  });

  it.skipIf(!dir)('treats the recorded "volume does not exist" errors as not found', () => {
    const recordings = placeboRecordings(dir ?? '', 'ec2.DescribeVolumes').filter(
      (recording) => recording.statusCode === 400,
    );
    const codes = recordings.map(
      (recording) => (recording.data as { Error?: { Code?: string } }).Error?.Code,
    );
    expect(codes).toContain('InvalidVolume.NotFound');
    for (const code of codes) {
      expect(
        isNotFoundError({ name: code, $metadata: { httpStatusCode: 400 } }, volumeModule.notFoundCodes),
        String(code),
      ).toBe(true);
    }
  });
});
