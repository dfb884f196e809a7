import type { AwsDataKind, AwsInventory } from '../../../model/aws.js';
import type { Check } from '../../types.js';
import { check as adminAccess } from '../aws-admin-access.js';
import { check as accessKeyAge } from '../aws-access-key-age.js';
import { check as consoleWithKeys } from '../aws-console-user-with-access-keys.js';
import { check as consoleNoMfa } from '../aws-console-user-without-mfa.js';
import { check as crossAccount } from '../aws-cross-account-trust-without-external-id.js';
import { check as inactiveUser } from '../aws-inactive-user.js';
import { check as oidcTrust } from '../aws-oidc-trust-unrestricted.js';
import { check as privesc } from '../aws-privilege-escalation.js';
import { check as roleShared } from '../aws-role-shared-by-workloads.js';
import { check as publicTrust } from '../aws-role-trust-public.js';
import { check as rootKey } from '../aws-root-access-key.js';
import { check as neverRotated } from '../aws-service-user-key-never-rotated.js';
import { check as twoKeys } from '../aws-two-active-keys.js';
import { check as unusedKey } from '../aws-unused-access-key.js';
import { check as unusedRole } from '../aws-unused-role.js';
import { check as leakedKey } from '../aws-leaked-access-key.js';

/** Every AWS check and the part of the inventory it cannot run without. */
export interface AwsCheckEntry {
  check: Check<AwsInventory>;
  needs: AwsDataKind;
  /** Runs only when its input was asked for (not a coverage gap when absent). */
  optional?: boolean;
}

const report = (check: Check<AwsInventory>): AwsCheckEntry => ({ check, needs: 'credential-report' });
const authz = (check: Check<AwsInventory>): AwsCheckEntry => ({ check, needs: 'authorization-details' });

export const AWS_CHECKS: AwsCheckEntry[] = [
  report(rootKey),
  report(accessKeyAge),
  report(neverRotated),
  report(unusedKey),
  report(inactiveUser),
  report(twoKeys),
  report(consoleWithKeys),
  report(consoleNoMfa),
  authz(unusedRole),
  authz(roleShared),
  authz(adminAccess),
  authz(privesc),
  authz(oidcTrust),
  authz(crossAccount),
  authz(publicTrust),
  { check: leakedKey, needs: 'leaked-key-ids', optional: true },
];

/** The IAM permissions (and the offline flag) that provide each part of the inventory. */
export const DATA_SOURCES: Record<AwsDataKind, { permissions: string[]; flag: string }> = {
  'authorization-details': { permissions: ['iam:GetAccountAuthorizationDetails'], flag: '--authorization-details' },
  'credential-report': { permissions: ['iam:GenerateCredentialReport', 'iam:GetCredentialReport'], flag: '--credential-report' },
  'leaked-key-ids': { permissions: [], flag: '--leaked-from' },
};
