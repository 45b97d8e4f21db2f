import {
  aws_events as events,
  aws_events_targets as targets,
  aws_lambda as lambda,
  aws_sqs as sqs,
} from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { ResolvedFunction } from '../../config/resolve.js';
import type { TriggerConfig } from '../../config/schema.js';
import { prefix } from '../naming.js';
import type { StackHandles } from '../handles.js';
import { Spec3Stack, type StackInput } from '../spec3-stack.js';

export interface IntegrationsStackInput extends StackInput {
  readonly functions: readonly ResolvedFunction[];
}

function objectKeyFilter(t: Extract<TriggerConfig, { type: 's3' }>): Record<string, unknown> | undefined {
  if (t.prefix && t.suffix) return { key: [{ wildcard: `${t.prefix}*${t.suffix}` }] };
  if (t.prefix) return { key: [{ prefix: t.prefix }] };
  if (t.suffix) return { key: [{ suffix: t.suffix }] };
  return undefined;
}

/**
 * Phase integrations: everything that points from an earlier phase's resource at a function.
 * Schedules and object-created events are EventBridge rules (the bucket publishes to EventBridge,
 * so no bucket-notification custom resource is needed), queue triggers are event source mappings.
 */
export class IntegrationsStack extends Spec3Stack {
  readonly handles: StackHandles['integrations'];

  constructor(scope: Construct, input: IntegrationsStackInput) {
    super(scope, 'integrations', input, 'Schedules, S3 object events and queue triggers');
    const { stage } = input;
    const ruleName = (fn: string, i: number) => `${prefix({ project: stage.project, stage: stage.name })}-${fn}-${i}`;

    const rules: events.Rule[] = [];
    const eventSourceMappings: lambda.EventSourceMapping[] = [];
    for (const fn of input.functions) {
      const triggers = fn.triggers.filter((t) => t.type !== 'http');
      if (triggers.length === 0) continue;
      const func = lambda.Function.fromFunctionAttributes(this, `Fn-${fn.name}`, {
        functionArn: this.wiring.consume(this, 'compute', `fn-${fn.name}-arn`),
        sameEnvironment: true,
      });
      triggers.forEach((trigger, i) => {
        const id = `${fn.name}-${trigger.type}-${i}`;
        switch (trigger.type) {
          case 'schedule':
            rules.push(new events.Rule(this, id, {
              ruleName: ruleName(fn.name, i),
              description: `Invokes ${fn.name} on ${trigger.expression}`,
              schedule: events.Schedule.expression(trigger.expression),
              targets: [new targets.LambdaFunction(func, { retryAttempts: 2 })],
            }));
            break;
          case 's3': {
            const key = objectKeyFilter(trigger);
            rules.push(new events.Rule(this, id, {
              ruleName: ruleName(fn.name, i),
              description: `Invokes ${fn.name} when an object is created in the data bucket`,
              eventPattern: {
                source: ['aws.s3'],
                detailType: ['Object Created'],
                detail: {
                  bucket: { name: [this.wiring.consume(this, 'storage', 'bucket-name')] },
                  ...(key ? { object: key } : {}),
                },
              },
              targets: [new targets.LambdaFunction(func, { retryAttempts: 2 })],
            }));
            break;
          }
          case 'queue': {
            const mapping = new lambda.EventSourceMapping(this, id, {
              target: func,
              eventSourceArn: sqs.Queue.fromQueueArn(this, `${id}-queue`, this.wiring.consume(this, 'messaging', 'work-queue-arn')).queueArn,
              batchSize: trigger.batchSize,
              reportBatchItemFailures: true,
            });
            // The construct names the function without its qualifier ($LATEST); the ARN keeps the alias.
            (mapping.node.defaultChild as lambda.CfnEventSourceMapping).functionName = func.functionArn;
            eventSourceMappings.push(mapping);
            break;
          }
        }
      });
    }
    this.handles = { rules, eventSourceMappings };
  }
}
