export type * from '../../model/aws.js';
export { accessKeysByFingerprint, type KnownAccessKey } from '../../model/aws.js';
export { fetchAccount, type Gap, type LiveOptions, type LiveResult } from './fetch.js';
export { loadOffline, AwsInputError, type OfflineFiles } from './offline.js';
export { AwsSource, awsIdentities, DATA_PARTS, type AwsSourceOptions } from './source.js';
