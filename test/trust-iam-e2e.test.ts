import { readFileSync } from 'node:fs';
import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import { escalationMethods, type EscalationMethod } from '../src/checks/aws/lib/escalation.js';
import type { Finding } from '../src/model/finding.js';
import { FAKE_AWS_ENV, REPORT_FILE } from './fixtures/aws/account.js';
import { TempRepo } from './helpers/git-repo.js';
import { startIamServer } from './helpers/iam-server.js';
import { runJson } from './helpers/report.js';

/**
 * Issue 13 (AWS): a statement whose condition can never be true grants nothing; scoped grants on
 * the principal's own policy, user, role or group are escalation; every published escalation
 * method is found, and a combination short of one action is not. One generated
 * authorization-details export, one run of the built CLI, many assertions.
 */

const A = 'arn:aws:iam::111122223333';
const V = '2012-10-17';
type Stmt = Record<string, unknown>;
const allow = (Action: string | string[], Resource: string | string[] = '*', extra: Stmt = {}): Stmt => ({ Effect: 'Allow', Action, Resource, ...extra });
const policyDoc = (Statement: Stmt[]) => ({ Version: V, Statement });

/** cloudsplaining's PRIVILEGE_ESCALATION_METHODS (name → actions), the catalogue the issue names. */
const CLOUDSPLAINING: Record<string, string[]> = {
  CreateAccessKey: ['iam:CreateAccessKey'],
  CreateLoginProfile: ['iam:CreateLoginProfile'],
  UpdateLoginProfile: ['iam:UpdateLoginProfile'],
  AddUserToGroup: ['iam:AddUserToGroup'],
  CreateNewPolicyVersion: ['iam:CreatePolicyVersion'],
  SetExistingDefaultPolicyVersion: ['iam:SetDefaultPolicyVersion'],
  AttachUserPolicy: ['iam:AttachUserPolicy'],
  AttachGroupPolicy: ['iam:AttachGroupPolicy'],
  AttachRolePolicy: ['iam:AttachRolePolicy'],
  PutUserPolicy: ['iam:PutUserPolicy'],
  PutGroupPolicy: ['iam:PutGroupPolicy'],
  PutRolePolicy: ['iam:PutRolePolicy'],
  UpdateRolePolicyToAssumeIt: ['iam:UpdateAssumeRolePolicy'],
  CreateEC2WithExistingIP: ['iam:PassRole', 'ec2:RunInstances'],
  PassExistingRoleToNewLambdaThenInvoke: ['iam:PassRole', 'lambda:CreateFunction', 'lambda:InvokeFunction'],
  PassExistingRoleToNewLambdaThenTriggerWithNewDynamo: ['iam:PassRole', 'lambda:CreateFunction', 'lambda:CreateEventSourceMapping', 'dynamodb:CreateTable', 'dynamodb:PutItem'],
  PassExistingRoleToNewLambdaThenTriggerWithExistingDynamo: ['iam:PassRole', 'lambda:CreateFunction', 'lambda:CreateEventSourceMapping'],
  PassExistingRoleToNewGlueDevEndpoint: ['iam:PassRole', 'glue:CreateDevEndpoint'],
  PassExistingRoleToCloudFormation: ['iam:PassRole', 'cloudformation:CreateStack'],
  PassExistingRoleToNewDataPipeline: ['iam:PassRole', 'datapipeline:CreatePipeline'],
  UpdateExistingGlueDevEndpoint: ['glue:UpdateDevEndpoint'],
  EditExistingLambdaFunctionWithRole: ['lambda:UpdateFunctionCode'],
  AccessExistingBedrockCodeInterpreterSession: ['bedrock-agentcore:StartCodeInterpreterSession', 'bedrock-agentcore:InvokeCodeInterpreter'],
  ExecuteCloudFormationChangeSet: ['cloudformation:CreateChangeSet', 'cloudformation:ExecuteChangeSet'],
  ModifyEC2InstanceUserDataThenRestart: ['ec2:ModifyInstanceAttribute', 'ec2:StopInstances', 'ec2:StartInstances'],
  ModifyExistingEC2LaunchTemplate: ['ec2:CreateLaunchTemplateVersion', 'ec2:ModifyLaunchTemplate'],
  EC2InstanceConnectSendSSHPublicKey: ['ec2-instance-connect:SendSSHPublicKey', 'ec2:DescribeInstances'],
  ECSExecuteCommandOnRunningTask: ['ecs:ExecuteCommand', 'ecs:DescribeTasks'],
  UpdateAndInvokeLambdaFunction: ['lambda:UpdateFunctionCode', 'lambda:InvokeFunction'],
  UpdateLambdaFunctionAndAddPermission: ['lambda:UpdateFunctionCode', 'lambda:AddPermission'],
  CreatePresignedSageMakerNotebookUrl: ['sagemaker:CreatePresignedNotebookInstanceUrl'],
  UpdateSageMakerNotebookLifecycleConfig: ['sagemaker:CreateNotebookInstanceLifecycleConfig', 'sagemaker:StopNotebookInstance', 'sagemaker:UpdateNotebookInstance', 'sagemaker:StartNotebookInstance'],
  PassExistingRoleToNewAppRunnerService: ['iam:PassRole', 'apprunner:CreateService'],
  PassExistingRoleToNewBedrockCodeInterpreter: ['iam:PassRole', 'bedrock-agentcore:CreateCodeInterpreter', 'bedrock-agentcore:StartCodeInterpreterSession', 'bedrock-agentcore:InvokeCodeInterpreter'],
  PassExistingRoleToNewCloudFormationStackSet: ['iam:PassRole', 'cloudformation:CreateStackSet', 'cloudformation:CreateStackInstances'],
  PassRoleToUpdateCloudFormationStackSet: ['iam:PassRole', 'cloudformation:UpdateStackSet'],
  PassExistingRoleToNewCodeBuildProjectThenBuild: ['iam:PassRole', 'codebuild:CreateProject', 'codebuild:StartBuild'],
  PassExistingRoleToNewCodeBuildProjectThenBuildBatch: ['iam:PassRole', 'codebuild:CreateProject', 'codebuild:StartBuildBatch'],
  PassExistingRoleToNewEC2SpotInstance: ['iam:PassRole', 'ec2:RequestSpotInstances'],
  PassExistingRoleToNewECSClusterServiceTask: ['iam:PassRole', 'ecs:CreateCluster', 'ecs:RegisterTaskDefinition', 'ecs:CreateService'],
  PassExistingRoleToNewECSClusterRunTask: ['iam:PassRole', 'ecs:CreateCluster', 'ecs:RegisterTaskDefinition', 'ecs:RunTask'],
  PassExistingRoleToNewECSService: ['iam:PassRole', 'ecs:RegisterTaskDefinition', 'ecs:CreateService'],
  PassExistingRoleToNewECSTaskViaRunTask: ['iam:PassRole', 'ecs:RegisterTaskDefinition', 'ecs:RunTask'],
  PassExistingRoleToNewECSTaskViaStartTask: ['iam:PassRole', 'ecs:RegisterTaskDefinition', 'ecs:StartTask'],
  PassExistingRoleToNewGlueJobThenRun: ['iam:PassRole', 'glue:CreateJob', 'glue:StartJobRun'],
  PassExistingRoleToNewGlueJobViaTrigger: ['iam:PassRole', 'glue:CreateJob', 'glue:CreateTrigger'],
  PassExistingRoleToUpdatedGlueJobThenRun: ['iam:PassRole', 'glue:UpdateJob', 'glue:StartJobRun'],
  PassExistingRoleToUpdatedGlueJobViaTrigger: ['iam:PassRole', 'glue:UpdateJob', 'glue:CreateTrigger'],
  PassExistingRoleToNewLambdaThenAddPermission: ['iam:PassRole', 'lambda:CreateFunction', 'lambda:AddPermission'],
  PassExistingRoleToNewSageMakerNotebookInstance: ['iam:PassRole', 'sagemaker:CreateNotebookInstance'],
  PassExistingRoleToNewSageMakerTrainingJob: ['iam:PassRole', 'sagemaker:CreateTrainingJob'],
  PassExistingRoleToNewSageMakerProcessingJob: ['iam:PassRole', 'sagemaker:CreateProcessingJob'],
  CreateAndRotateAccessKey: ['iam:CreateAccessKey', 'iam:DeleteAccessKey'],
  AttachUserPolicyThenCreateAccessKey: ['iam:AttachUserPolicy', 'iam:CreateAccessKey'],
  CreatePolicyVersionThenAssumeRole: ['iam:CreatePolicyVersion', 'sts:AssumeRole'],
  PutUserPolicyThenCreateAccessKey: ['iam:PutUserPolicy', 'iam:CreateAccessKey'],
  AttachRolePolicyThenUpdateAssumeRolePolicy: ['iam:AttachRolePolicy', 'iam:UpdateAssumeRolePolicy'],
  CreatePolicyVersionThenUpdateAssumeRolePolicy: ['iam:CreatePolicyVersion', 'iam:UpdateAssumeRolePolicy'],
  PutRolePolicyThenUpdateAssumeRolePolicy: ['iam:PutRolePolicy', 'iam:UpdateAssumeRolePolicy'],
};

/** An export in the shape of `aws iam get-account-authorization-details`, built up principal by principal. */
class Account {
  users: Stmt[] = [];
  roles: Stmt[] = [];
  groups: Stmt[] = [
    { GroupName: 'Admins', Arn: `${A}:group/Admins`, GroupPolicyList: [], AttachedManagedPolicies: [{ PolicyName: 'AdministratorAccess', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }] },
    { GroupName: 'Readers', Arn: `${A}:group/Readers`, GroupPolicyList: [{ PolicyName: 'r', PolicyDocument: policyDoc([allow('s3:GetObject', 'arn:aws:s3:::reports/*')]) }], AttachedManagedPolicies: [] },
  ];
  policies: Stmt[] = [{ PolicyName: 'open-boundary', Arn: `${A}:policy/open-boundary`, DefaultVersionId: 'v1', PolicyVersionList: [{ VersionId: 'v1', IsDefaultVersion: true, Document: policyDoc([allow('*')]) }] }];

  policy(name: string, statements: Stmt[]): string {
    const arn = `${A}:policy/${name}`;
    this.policies.push({ PolicyName: name, Arn: arn, DefaultVersionId: 'v1', PolicyVersionList: [{ VersionId: 'v1', IsDefaultVersion: true, Document: policyDoc(statements) }] });
    return arn;
  }
  group(name: string): string {
    this.groups.push({ GroupName: name, Arn: `${A}:group/${name}`, GroupPolicyList: [], AttachedManagedPolicies: [] });
    return `${A}:group/${name}`;
  }
  user(name: string, statements: Stmt[], o: { groups?: string[]; managed?: string[]; boundary?: string } = {}): string {
    this.users.push({
      UserName: name,
      Arn: `${A}:user/${name}`,
      CreateDate: '2025-01-01T00:00:00+00:00',
      UserPolicyList: statements.length ? [{ PolicyName: 'p', PolicyDocument: policyDoc(statements) }] : [],
      GroupList: o.groups ?? [],
      AttachedManagedPolicies: (o.managed ?? []).map((arn) => ({ PolicyName: arn.split('/').pop(), PolicyArn: arn })),
      ...(o.boundary ? { PermissionsBoundary: { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: o.boundary } } : {}),
    });
    return `${A}:user/${name}`;
  }
  role(name: string, statements: Stmt[], o: { managed?: string[]; boundary?: string; trust?: Stmt[] } = {}): string {
    this.roles.push({
      RoleName: name,
      Arn: `${A}:role/${name}`,
      Path: '/',
      CreateDate: '2025-01-01T00:00:00+00:00',
      AssumeRolePolicyDocument: policyDoc(o.trust ?? [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }]),
      RolePolicyList: statements.length ? [{ PolicyName: 'p', PolicyDocument: policyDoc(statements) }] : [],
      AttachedManagedPolicies: (o.managed ?? []).map((arn) => ({ PolicyName: arn.split('/').pop(), PolicyArn: arn })),
      InstanceProfileList: [],
      RoleLastUsed: { LastUsedDate: '2025-12-30T00:00:00+00:00' },
      ...(o.boundary ? { PermissionsBoundary: { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: o.boundary } } : {}),
    });
    return `${A}:role/${name}`;
  }
  toJSON(): unknown {
    return { UserDetailList: this.users, GroupDetailList: this.groups, RoleDetailList: this.roles, Policies: this.policies };
  }
}

/** One principal that holds exactly what `m` needs; returns its ARN. */
function principalFor(acct: Account, m: EscalationMethod, name: string): string {
  if (!m.on) return acct.role(name, [allow([...m.every, ...m.one])]);
  const boundary = m.boundary ? `${A}:policy/open-boundary` : undefined;
  switch (m.on) {
    case 'own-user':
      return acct.user(name, [allow(m.actions, `${A}:user/\${aws:username}`)], { boundary });
    case 'own-role':
      return acct.role(name, [allow(m.actions, `${A}:role/${name}`)], { boundary });
    case 'own-group':
      return acct.user(name, [allow(m.actions, acct.group(`g-${name}`))], { groups: [`g-${name}`] });
    case 'attached-policy': {
      const arn = `${A}:policy/p-${name}`;
      acct.policy(`p-${name}`, [allow(m.actions, arn)]);
      return acct.user(name, [], { managed: [arn] });
    }
    case 'boundary-policy': {
      const arn = acct.policy(`b-${name}`, [allow('*')]);
      return acct.role(name, [allow(m.actions, arn)], { boundary: arn });
    }
    case 'admin-group':
      return acct.user(name, [allow(m.actions, `${A}:group/Admins`)]);
  }
}

const methods = escalationMethods();
const acct = new Account();
/** method id → the principal that must be reported for it. */
const full = new Map<string, string>();
/** method id → principals that each lack one of its actions (the method must not be reported for them). */
const short = new Map<string, string[]>();
/** cloudsplaining method → principal holding exactly its actions. */
const cs = new Map<string, string>();

methods.forEach((m, i) => {
  full.set(m.id, principalFor(acct, m, `m${i}`));
  const needs = m.on ? [] : [...m.every, ...m.one];
  if (needs.length > 1) short.set(m.id, needs.map((_, j) => acct.role(`m${i}-without-${j}`, [allow(needs.filter((__, k) => k !== j))])));
});
Object.entries(CLOUDSPLAINING).forEach(([name, actions], i) => cs.set(name, acct.role(`cs${i}`, [allow(actions)])));

// Issue 13, item 2: scoped grants on the principal's own policy, user, role or group.
const selfPolicy = `${A}:policy/team-deploy`;
acct.policy('team-deploy', [allow('s3:PutObject', 'arn:aws:s3:::artifacts/*'), allow(['iam:CreatePolicyVersion', 'iam:GetPolicy'], selfPolicy)]);
acct.groups.push({ GroupName: 'deployers', Arn: `${A}:group/deployers`, GroupPolicyList: [], AttachedManagedPolicies: [{ PolicyName: 'team-deploy', PolicyArn: selfPolicy }] });
const viaGroup = acct.user('deploy-bot', [], { groups: ['deployers'] });
const otherPolicy = acct.policy('someone-elses', [allow('s3:GetObject')]);
const scopedOk = [
  acct.user('keys-self-service', [allow(['iam:CreateAccessKey', 'iam:DeleteAccessKey', 'iam:ChangePassword'], `${A}:user/\${aws:username}`)]),
  acct.user('edits-other-policy', [allow('iam:CreatePolicyVersion', otherPolicy)], { managed: [acct.policy('mine', [allow('s3:ListBucket', 'arn:aws:s3:::x')])] }),
  acct.user('edits-other-user', [allow('iam:PutUserPolicy', `${A}:user/someone-else`)]),
  acct.role('aws-managed-attached', [allow('iam:CreatePolicyVersion', 'arn:aws:iam::aws:policy/ReadOnlyAccess')], { managed: ['arn:aws:iam::aws:policy/ReadOnlyAccess'] }),
  acct.user('joins-readers', [allow('iam:AddUserToGroup', `${A}:group/Readers`)]),
  acct.role('no-boundary-to-drop', [allow('iam:DeleteRolePermissionsBoundary', `${A}:role/no-boundary-to-drop`)]),
  acct.user('self-write-denied', [allow('iam:PutUserPolicy', `${A}:user/self-write-denied`), { Effect: 'Deny', Action: 'iam:Put*', Resource: '*' }]),
];

// Issue 13, item 1: statements whose condition can never be true grant nothing.
const impossible: Record<string, unknown> = {
  'not-a-boolean': { Bool: { 'aws:SecureTransport': 'maybe' } },
  'empty-value-list': { StringEquals: { 'aws:RequestedRegion': [] } },
  'negative-mfa-age': { NumericLessThan: { 'aws:MultiFactorAuthAge': '-1' } },
  'before-the-epoch': { DateLessThan: { 'aws:CurrentTime': '1970-01-01T00:00:00Z' } },
  'expired-before-now': { DateLessThan: { 'aws:CurrentTime': '2025-06-01T00:00:00Z' } },
  'absent-and-equal': { Null: { 'aws:PrincipalTag/team': 'true' }, StringEquals: { 'aws:PrincipalTag/team': 'x' } },
  'equal-and-not-equal': { StringEquals: { 'aws:PrincipalTag/team': 'ops' }, StringNotEquals: { 'aws:PrincipalTag/team': 'ops' } },
};
const neverAdmin = Object.entries(impossible).map(([name, Condition]) => acct.role(`never-${name}`, [allow('*', '*', { Condition })]));
const neverEscalate = Object.entries(impossible).map(([name, Condition]) => acct.role(`never-passrole-${name}`, [allow(['iam:PassRole', 'lambda:CreateFunction', 'lambda:InvokeFunction'], '*', { Condition })]));
const neverPublic = acct.role('never-public', [], { trust: [{ Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:PrincipalAccount': [] } } }] });
const satisfiable = [
  acct.role('admin-with-mfa', [allow('*', '*', { Condition: { Bool: { 'aws:MultiFactorAuthPresent': ['true'] } } })]),
  acct.role('admin-if-exists', [allow('*', '*', { Condition: { BoolIfExists: { 'aws:SecureTransport': 'maybe' } } })]),
  acct.role('admin-until-2030', [allow('*', '*', { Condition: { DateLessThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' } } })]),
];

describe('trust: IAM conditions and escalation methods on the built CLI', { timeout: 180_000 }, () => {
  let dir: TempRepo;
  let findings: Finding[];
  let stderr: string;
  const of = (rule: string) => new Map(findings.filter((f) => f.ruleId === rule).map((f) => [f.location.resource!, f]));
  const pathIds = (f: Finding | undefined) => ((f?.evidence as { paths?: Array<{ id: string }> } | undefined)?.paths ?? []).map((p) => p.id);

  beforeAll(async () => {
    dir = new TempRepo({ init: false });
    const file = dir.write('authorization-details.json', JSON.stringify(acct));
    const r = await runJson(['aws', '--authorization-details', file, '--now', '2026-01-01', '--fail-on', 'none', '--allow-partial']);
    expect(r.code, r.stderr).toBe(0);
    findings = r.report.findings;
    stderr = r.stderr;
  }, 150_000);
  afterAll(() => dir?.remove());

  it('a statement whose condition can never be true makes no one admin, escalation-capable or public', () => {
    const admins = of('aws-admin-access');
    for (const arn of neverAdmin) expect(admins.has(arn), arn).toBe(false);
    for (const arn of satisfiable) expect(admins.has(arn), arn).toBe(true);
    const esc = of('aws-privilege-escalation');
    for (const arn of [...neverAdmin, ...neverEscalate]) expect(esc.has(arn), arn).toBe(false);
    expect(of('aws-role-trust-public').has(neverPublic)).toBe(false);
    expect(stderr).not.toMatch(/never/i);
  });

  it('scoped iam:CreatePolicyVersion on a policy attached through its group is escalation, naming method and resource', () => {
    const f = of('aws-privilege-escalation').get(viaGroup);
    expect(f).toBeDefined();
    expect(pathIds(f)).toEqual(['self-create-policy-version']);
    expect(f!.message).toContain('iam:CreatePolicyVersion on arn:aws:iam::111122223333:policy/team-deploy');
    expect((f!.evidence as { paths: Array<{ resources: string[] }> }).paths[0].resources).toEqual([selfPolicy]);
  });

  it('scoped grants that do not reach its own permissions are not escalation', () => {
    const esc = of('aws-privilege-escalation');
    for (const arn of scopedOk) expect(esc.get(arn)?.message, arn).toBeUndefined();
  });

  it(`every escalation method of the catalogue (${methods.length}) is found on a principal that holds it`, () => {
    const esc = of('aws-privilege-escalation');
    const missed = methods.filter((m) => !pathIds(esc.get(full.get(m.id)!)).includes(m.id)).map((m) => m.id);
    expect(missed).toEqual([]);
  });

  it('a principal one action short of a combination is not reported for it', () => {
    const esc = of('aws-privilege-escalation');
    const wrong: string[] = [];
    for (const [id, arns] of short) for (const arn of arns) if (pathIds(esc.get(arn)).includes(id)) wrong.push(`${id} on ${arn}`);
    expect(short.size).toBeGreaterThan(30);
    expect(wrong).toEqual([]);
  });

  it('the live IAM API (Query protocol, URL-encoded documents) gives the same verdicts as the export', async () => {
    const server = await startIamServer({ accountId: '111122223333', authorizationDetails: acct.toJSON() as never, credentialReportCsv: readFileSync(REPORT_FILE, 'utf8'), oidcProviders: [], accessKeys: [] });
    try {
      const r = await runJson(['aws', '--endpoint-url', server.url, '--now', '2026-01-01', '--fail-on', 'none'], { env: FAKE_AWS_ENV });
      expect(r.code, r.stderr).toBe(0);
      const verdicts = (fs: Finding[]) =>
        fs
          .filter((f) => f.ruleId === 'aws-admin-access' || f.ruleId === 'aws-privilege-escalation' || f.ruleId === 'aws-role-trust-public')
          .map((f) => `${f.ruleId} ${f.location.resource} ${JSON.stringify((f.evidence as { paths?: unknown }).paths ?? null)}`)
          .sort();
      expect(verdicts(r.report.findings)).toEqual(verdicts(findings));
      expect(verdicts(findings).length).toBeGreaterThanOrEqual(methods.length + Object.keys(CLOUDSPLAINING).length);
    } finally {
      await server.close();
    }
  });

  it("each of cloudsplaining's 59 methods is found, by a method that cites it", () => {
    expect(Object.keys(CLOUDSPLAINING)).toHaveLength(59);
    const cited = new Set(methods.flatMap((m) => m.sources.filter((s) => s.startsWith('cloudsplaining:')).map((s) => s.slice('cloudsplaining:'.length))));
    expect([...cited].sort()).toEqual(Object.keys(CLOUDSPLAINING).sort());
    const esc = of('aws-privilege-escalation');
    const missed = Object.keys(CLOUDSPLAINING).filter((name) => {
      const ids = pathIds(esc.get(cs.get(name)!));
      return !methods.some((m) => ids.includes(m.id) && m.sources.includes(`cloudsplaining:${name}`));
    });
    expect(missed).toEqual([]);
  });
});
