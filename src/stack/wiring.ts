import { aws_ssm as ssm } from 'aws-cdk-lib';
import { Spec3Error } from '../errors.js';
import { parameterName, stackName } from './naming.js';
import { STACK_PHASES, phaseIndex, type StackKind } from './phases.js';
import type { Spec3Stack } from './spec3-stack.js';

/**
 * Cross-stack values travel through SSM parameters, never CloudFormation exports: the producer
 * writes `/spec3/<project>/<stage>/<stack>/<key>`, the consumer reads it with an SSM-typed template
 * parameter. So a producer can always be updated (no "export in use" lock), and a stack of a later
 * phase can point back at any earlier one. Reading from a later phase is refused right here.
 */
export class Wiring {
  private readonly stacks = new Map<StackKind, Spec3Stack>();
  /** Parameter name -> the producer's own token for the value (what its stack uses directly). */
  private readonly published = new Map<string, string>();

  register(stack: Spec3Stack): void {
    this.stacks.set(stack.kind, stack);
  }

  has(kind: StackKind): boolean {
    return this.stacks.has(kind);
  }

  /** Whether the `kind` stack has published `key` so far. */
  publishes(kind: StackKind, key: string): boolean {
    const producer = this.stacks.get(kind);
    return producer !== undefined && this.published.has(this.parameter(kind, producer, key));
  }

  /** Makes `value` readable by other stacks under `key`. */
  publish(producer: Spec3Stack, key: string, value: string, description?: string): void {
    const name = this.parameter(producer.kind, producer, key);
    this.published.set(name, value);
    new ssm.StringParameter(producer, `Out-${key.replace(/[^A-Za-z0-9]/g, '-')}`, {
      parameterName: name,
      stringValue: value,
      description: description ?? `${key} of ${producer.stackName}, read by later stacks`,
      simpleName: false,
    });
  }

  /** The value `kind` published under `key`, as its own stack uses it; undefined when it publishes no such key. */
  publishedValue(kind: StackKind, key: string): string | undefined {
    const producer = this.stacks.get(kind);
    return producer ? this.published.get(this.parameter(kind, producer, key)) : undefined;
  }

  /** The stack of a kind, when the stage has one. */
  stackOf(kind: StackKind): Spec3Stack | undefined {
    return this.stacks.get(kind);
  }

  /**
   * Returns a token for the value `producerKind` published under `key`. Adds a stack dependency
   * so that deploy order (and `cdk deploy --all`) follows the reference.
   */
  consume(consumer: Spec3Stack, producerKind: StackKind, key: string): string {
    // The phase rule comes first: a stack of a later phase does not exist yet while an earlier one is built.
    const producerPhase = STACK_PHASES[producerKind];
    if (phaseIndex(producerPhase) > phaseIndex(consumer.phase)) {
      const producerName = stackName({ project: consumer.stage.project, stage: consumer.stage.name }, producerKind);
      throw laterPhaseError(consumer.stackName, consumer.phase, producerName, producerPhase, key);
    }
    const producer = this.stacks.get(producerKind);
    if (!producer) {
      throw new Spec3Error(
        'STACK_REFERENCE_MISSING',
        `Stack ${consumer.stackName} reads "${key}" from the ${producerKind} stack, which this stage does not have.`,
        'Enable the feature that creates that stack, or remove what needs it.',
      );
    }
    const name = this.parameter(producerKind, consumer, key);
    if (!this.published.has(name)) {
      throw new Spec3Error(
        'STACK_REFERENCE_MISSING',
        `Stack ${consumer.stackName} reads "${key}" from ${producer.stackName}, which does not publish it.`,
        `Publish it in the ${producerKind} stack with wiring.publish(...), or read a key it publishes.`,
      );
    }
    if (producer !== consumer) consumer.addStackDependency(producer, `reads ${key} through SSM`);
    return ssm.StringParameter.valueForStringParameter(consumer, name);
  }

  private parameter(kind: StackKind, scope: Spec3Stack, key: string): string {
    return parameterName({ project: scope.stage.project, stage: scope.stage.name }, kind, key);
  }
}

export function laterPhaseError(
  from: string,
  fromPhase: string,
  to: string,
  toPhase: string,
  what: string,
): Spec3Error {
  return new Spec3Error(
    'PHASE_ORDER',
    `Stack ${from} (phase ${fromPhase}) references ${to} (phase ${toPhase}, a later phase) through ${what}. ` +
      `A stack may only use stacks of its own or an earlier phase.`,
    `Move the resource that needs ${to} into a stack of phase ${toPhase} or later (wiring that points back at earlier phases belongs in the integrations stack).`,
  );
}
