// Rule ebs-unencrypted: an EBS volume is not encrypted at rest.
import { defineRule } from '../core/rule.js';
import { emptyParamsSchema, type EmptyParams } from './shared/empty-params.js';
import { flagViolation } from './shared/flag-rule.js';
import { isType, NO_VIOLATIONS } from './shared/narrow.js';
import { REF } from './shared/references.js';

export const ebsUnencrypted = defineRule<EmptyParams>({
  id: 'ebs-unencrypted',
  title: 'EBS volume is not encrypted',
  severity: 'medium',
  resourceTypes: ['aws.ec2.volume'],
  rationale:
    'An unencrypted volume, and every snapshot taken from it, holds data in the clear: anyone who can share or ' +
    'copy the snapshot can read it, and compliance regimes (PCI DSS, HIPAA) require encryption at rest. ' +
    'Encryption cannot be switched on in place; turn on EBS encryption by default for the region so new volumes are covered. ' +
    'Fix: snapshot the volume, copy the snapshot with encryption, create a volume from it and swap it in (no in-place action exists, so none is automated).',
  references: [REF.ebsEncryption, REF.hubEc2Ebs, REF.cisAws],
  enabledByDefault: true,
  paramsSchema: emptyParamsSchema,
  defaultParams: {},
  check(resource) {
    if (!isType(resource, 'aws.ec2.volume')) return NO_VIOLATIONS;
    const volume = resource.config;
    return flagViolation(volume.encrypted, false, {
      part: 'encryption',
      path: ['encrypted'],
      message: `volume ${volume.volumeId} is not encrypted`,
      unknownMessage: `volume ${volume.volumeId}: encryption unknown`,
    });
  },
});
