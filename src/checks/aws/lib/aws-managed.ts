import type { PolicyDocument } from '../../../model/aws.js';

/**
 * Documents of the AWS managed policies that decide "administrator" verdicts, used only when an
 * export lacks them (GetAccountAuthorizationDetails lists AWS managed policies, but a filtered
 * export may not). Abridged to the statements that matter for admin and escalation checks.
 */
const KNOWN: Record<string, PolicyDocument> = {
  AdministratorAccess: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
  IAMFullAccess: {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: ['iam:*', 'organizations:DescribeAccount', 'organizations:DescribeOrganization', 'organizations:DescribeOrganizationalUnit', 'organizations:DescribePolicy', 'organizations:ListChildren', 'organizations:ListParents', 'organizations:ListPoliciesForTarget', 'organizations:ListRoots', 'organizations:ListPolicies', 'organizations:ListTargetsForPolicy'], Resource: '*' }],
  },
  PowerUserAccess: {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', NotAction: ['iam:*', 'organizations:*', 'account:*'], Resource: '*' },
      { Effect: 'Allow', Action: ['iam:CreateServiceLinkedRole', 'iam:DeleteServiceLinkedRole', 'iam:ListRoles', 'organizations:DescribeOrganization', 'account:ListRegions', 'account:GetAccountInformation'], Resource: '*' },
    ],
  },
};

/** The document of a well-known AWS managed policy, by ARN (any partition). */
export function knownAwsManagedDocument(arn: string): PolicyDocument | undefined {
  const m = /^arn:[^:]+:iam::aws:policy\/(?:.*\/)?([^/]+)$/.exec(arn);
  return m ? KNOWN[m[1]] : undefined;
}
