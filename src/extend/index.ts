/**
 * `spec3/extend`: what a project's spec3.extend.ts imports. defineExtensions and its types, and the
 * aws-cdk-lib and constructs spec3 itself builds with (one copy: constructs made with another copy
 * cannot join spec3's stacks), so a project needs no CDK install of its own.
 */
export { defineExtensions } from './define.js';
export type { ComputeHookContext, Extensions, HookContext, HookContextOf } from './define.js';
export type { StackHandles, HandlesOf } from '../stack/handles.js';
export type { Phase, StackKind } from '../stack/phases.js';
export type { ResolvedStage } from '../config/resolve.js';
export type { Exemption } from '../stack/acknowledge.js';
export { acknowledge, wildcardFinding } from '../stack/acknowledge.js';

export * from 'aws-cdk-lib';
export { Construct, type IConstruct } from 'constructs';
// The modules extensions reach for most, under their short names.
export {
  aws_apigateway as apigateway,
  aws_apigatewayv2 as apigatewayv2,
  aws_cloudwatch as cloudwatch,
  aws_cognito as cognito,
  aws_dynamodb as dynamodb,
  aws_ec2 as ec2,
  aws_ecs as ecs,
  aws_events as events,
  aws_events_targets as targets,
  aws_iam as iam,
  aws_kinesis as kinesis,
  aws_kms as kms,
  aws_lambda as lambda,
  aws_lambda_event_sources as eventSources,
  aws_logs as logs,
  aws_s3 as s3,
  aws_sns as sns,
  aws_sqs as sqs,
  aws_ssm as ssm,
  aws_stepfunctions as stepfunctions,
  aws_stepfunctions_tasks as tasks,
} from 'aws-cdk-lib';
