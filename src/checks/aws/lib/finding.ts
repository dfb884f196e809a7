import type { Finding } from '../../../model/finding.js';
import { makePostureFinding, type PostureFindingInput } from '../../../model/make-finding.js';

/** Every AWS check's findings come from the IAM inventory. */
export const AWS_SOURCE = 'aws-iam';

export function awsFinding(checkId: string, i: Omit<PostureFindingInput, 'source'>): Finding {
  return makePostureFinding(checkId, { ...i, source: AWS_SOURCE });
}
