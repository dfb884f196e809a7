import type { Grant, ResourceScope } from './policy.js';
import { dedupe } from './admin.js';
import type { Principal } from './principals.js';

/**
 * Known IAM privilege-escalation paths (Rhino Security Labs' catalogue and later research): sets
 * of actions that, held together, let a principal gain permissions it was not given. `broad`
 * means the action must reach every resource of its kind (any user, any role, any policy); `any`
 * means one resource is enough (creating a new function, starting an instance).
 */
export interface EscalationPath {
  id: string;
  title: string;
  actions: Array<{ action: string; scope: ResourceScope }>;
}

const B = (action: string) => ({ action, scope: 'broad' as const });
const A = (action: string) => ({ action, scope: 'any' as const });

export const ESCALATION_PATHS: EscalationPath[] = [
  { id: 'create-policy-version', title: 'create a new default version of any managed policy', actions: [B('iam:CreatePolicyVersion')] },
  { id: 'set-default-policy-version', title: 'switch any managed policy to an older, broader version', actions: [B('iam:SetDefaultPolicyVersion')] },
  { id: 'create-access-key', title: 'create access keys for any user', actions: [B('iam:CreateAccessKey')] },
  { id: 'create-login-profile', title: 'set a console password for any user', actions: [B('iam:CreateLoginProfile')] },
  { id: 'update-login-profile', title: "change any user's console password", actions: [B('iam:UpdateLoginProfile')] },
  { id: 'attach-user-policy', title: 'attach any managed policy to a user', actions: [B('iam:AttachUserPolicy')] },
  { id: 'attach-group-policy', title: 'attach any managed policy to a group', actions: [B('iam:AttachGroupPolicy')] },
  { id: 'attach-role-policy', title: 'attach any managed policy to a role', actions: [B('iam:AttachRolePolicy')] },
  { id: 'put-user-policy', title: 'write an inline policy on any user', actions: [B('iam:PutUserPolicy')] },
  { id: 'put-group-policy', title: 'write an inline policy on any group', actions: [B('iam:PutGroupPolicy')] },
  { id: 'put-role-policy', title: 'write an inline policy on any role', actions: [B('iam:PutRolePolicy')] },
  { id: 'add-user-to-group', title: 'add a user to any group', actions: [B('iam:AddUserToGroup')] },
  { id: 'update-assume-role-policy', title: "rewrite any role's trust policy and assume it", actions: [B('iam:UpdateAssumeRolePolicy'), A('sts:AssumeRole')] },
  { id: 'passrole-ec2', title: 'pass any role to a new EC2 instance', actions: [B('iam:PassRole'), A('ec2:RunInstances')] },
  { id: 'passrole-lambda-invoke', title: 'pass any role to a new Lambda function and invoke it', actions: [B('iam:PassRole'), A('lambda:CreateFunction'), A('lambda:InvokeFunction')] },
  { id: 'passrole-lambda-event-source', title: 'pass any role to a new Lambda function triggered by an event source', actions: [B('iam:PassRole'), A('lambda:CreateFunction'), A('lambda:CreateEventSourceMapping')] },
  { id: 'update-lambda-code', title: "replace the code of any Lambda function (runs with that function's role)", actions: [B('lambda:UpdateFunctionCode')] },
  { id: 'passrole-glue', title: 'pass any role to a new Glue development endpoint', actions: [B('iam:PassRole'), A('glue:CreateDevEndpoint')] },
  { id: 'update-glue-endpoint', title: 'add an SSH key to any Glue development endpoint', actions: [B('glue:UpdateDevEndpoint')] },
  { id: 'passrole-cloudformation', title: 'pass any role to a new CloudFormation stack', actions: [B('iam:PassRole'), A('cloudformation:CreateStack')] },
  { id: 'passrole-datapipeline', title: 'pass any role to a new Data Pipeline', actions: [B('iam:PassRole'), A('datapipeline:CreatePipeline'), A('datapipeline:PutPipelineDefinition')] },
  { id: 'passrole-sagemaker', title: 'pass any role to a new SageMaker notebook and open it', actions: [B('iam:PassRole'), A('sagemaker:CreateNotebookInstance'), A('sagemaker:CreatePresignedNotebookInstanceUrl')] },
  { id: 'passrole-codebuild', title: 'pass any role to a new CodeBuild project and start it', actions: [B('iam:PassRole'), A('codebuild:CreateProject'), A('codebuild:StartBuild')] },
  { id: 'passrole-ecs', title: 'pass any role to a new ECS task definition and run it', actions: [B('iam:PassRole'), A('ecs:RegisterTaskDefinition'), A('ecs:RunTask')] },
];

export interface EscalationHit {
  path: EscalationPath;
  grants: Grant[];
}

/** Every escalation path the principal's permissions complete. */
export function escalationPaths(p: Principal): EscalationHit[] {
  const out: EscalationHit[] = [];
  for (const path of ESCALATION_PATHS) {
    const grants = path.actions.map((a) => p.permissions.allows(a.action, a.scope));
    if (grants.every((g) => g !== undefined)) out.push({ path, grants: dedupe(grants as Grant[]) });
  }
  return out;
}
