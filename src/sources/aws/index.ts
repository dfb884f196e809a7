/** AWS IAM source: the inventory model, live and offline readers, and the scan of one account. */
export type * from '../../model/aws.js';
export { accessKeysByFingerprint, type KnownAccessKey } from '../../model/aws.js';
export { fetchAccount, type Gap, type LiveOptions, type LiveResult } from './fetch.js';
export { loadOffline, AwsInputError, type OfflineFiles } from './offline.js';
export { scanAws, awsAssessable, type AwsScanOptions, type AwsScanResult } from './scan-aws.js';
