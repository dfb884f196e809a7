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
  // Later catalogues (cloudsplaining's privilege-escalation list, pathfinding.cloud, Datadog's and
  // Bishop Fox's research): more services a role can be passed to, and ways into an existing role.
  { id: 'passrole-cloudformation-update', title: 'pass any role to an existing CloudFormation stack and update it', actions: [B('iam:PassRole'), A('cloudformation:UpdateStack')] },
  { id: 'passrole-cloudformation-changeset', title: 'pass any role to a CloudFormation change set and execute it', actions: [B('iam:PassRole'), A('cloudformation:CreateChangeSet'), A('cloudformation:ExecuteChangeSet')] },
  { id: 'passrole-ec2-spot', title: 'pass any role to a new EC2 spot instance', actions: [B('iam:PassRole'), A('ec2:RequestSpotInstances')] },
  { id: 'passrole-ec2-launch-template', title: 'pass any role through a new launch template version used by an Auto Scaling group', actions: [B('iam:PassRole'), A('ec2:CreateLaunchTemplateVersion'), A('ec2:ModifyLaunchTemplate')] },
  { id: 'passrole-autoscaling', title: 'pass any role to a new Auto Scaling launch configuration and group', actions: [B('iam:PassRole'), A('autoscaling:CreateLaunchConfiguration'), A('autoscaling:CreateAutoScalingGroup')] },
  { id: 'ssm-send-command', title: 'run commands on any SSM-managed instance (with its instance role)', actions: [B('ssm:SendCommand')] },
  { id: 'ssm-start-session', title: 'open a shell on any SSM-managed instance (with its instance role)', actions: [B('ssm:StartSession')] },
  { id: 'ec2-instance-connect', title: 'push an SSH key to any EC2 instance and log in (with its instance role)', actions: [B('ec2-instance-connect:SendSSHPublicKey')] },
  { id: 'ec2-user-data', title: "rewrite any stopped instance's user data and start it (runs with its instance role)", actions: [B('ec2:ModifyInstanceAttribute'), A('ec2:StopInstances'), A('ec2:StartInstances')] },
  { id: 'passrole-sagemaker-training', title: 'pass any role to a new SageMaker training job', actions: [B('iam:PassRole'), A('sagemaker:CreateTrainingJob')] },
  { id: 'passrole-sagemaker-processing', title: 'pass any role to a new SageMaker processing job', actions: [B('iam:PassRole'), A('sagemaker:CreateProcessingJob')] },
  { id: 'sagemaker-notebook-url', title: 'open any existing SageMaker notebook (runs with its role)', actions: [B('sagemaker:CreatePresignedNotebookInstanceUrl')] },
  { id: 'passrole-glue-job', title: 'pass any role to a new Glue job and run it', actions: [B('iam:PassRole'), A('glue:CreateJob'), A('glue:StartJobRun')] },
  { id: 'glue-update-job', title: 'change the script of any Glue job and run it (with its role)', actions: [B('glue:UpdateJob'), A('glue:StartJobRun')] },
  { id: 'passrole-codebuild-update', title: 'pass any role to an existing CodeBuild project and start it', actions: [B('iam:PassRole'), A('codebuild:UpdateProject'), A('codebuild:StartBuild')] },
  { id: 'codebuild-buildspec-override', title: 'start any CodeBuild project with an overridden buildspec (runs with its role)', actions: [B('codebuild:StartBuild')] },
  { id: 'lambda-update-configuration', title: 'add a layer to any Lambda function (runs with its role)', actions: [B('lambda:UpdateFunctionConfiguration')] },
  { id: 'ecs-execute-command', title: 'open a shell in any running ECS task (with its task role)', actions: [B('ecs:ExecuteCommand')] },
  { id: 'passrole-apprunner', title: 'pass any role to a new App Runner service', actions: [B('iam:PassRole'), A('apprunner:CreateService')] },
  { id: 'delete-role-permissions-boundary', title: 'remove the permissions boundary of any role', actions: [B('iam:DeleteRolePermissionsBoundary')] },
  { id: 'delete-user-permissions-boundary', title: 'remove the permissions boundary of any user', actions: [B('iam:DeleteUserPermissionsBoundary')] },
  { id: 'put-role-permissions-boundary', title: 'replace the permissions boundary of any role', actions: [B('iam:PutRolePermissionsBoundary')] },
  { id: 'put-user-permissions-boundary', title: 'replace the permissions boundary of any user', actions: [B('iam:PutUserPermissionsBoundary')] },
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
