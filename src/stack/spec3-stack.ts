import { DefaultStackSynthesizer, Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { ResolvedStage } from '../config/resolve.js';
import { stackName } from './naming.js';
import { STACK_PHASES, type Phase, type StackKind } from './phases.js';
import type { StackHandles } from './handles.js';
import type { Wiring } from './wiring.js';

/** What every stack construct receives. */
export interface StackInput {
  /** The fully resolved stage the stack is built for. */
  readonly stage: ResolvedStage;
  /** Publishes and reads values across stacks through SSM parameters. */
  readonly wiring: Wiring;
}

/**
 * Base of every spec3 stack: named `<project>-<stage>-<kind>`, pinned to the stage's account and
 * region, termination-protected in protected stages, tagged with its phase. Each kind exposes its
 * own resources as `handles` (src/stack/handles.ts).
 */
export abstract class Spec3Stack extends Stack {
  readonly kind: StackKind;
  /** spec3's own resources in this stack; each subclass narrows it to its kind's entry. */
  abstract readonly handles: StackHandles[StackKind];
  readonly phase: Phase;
  readonly stage: ResolvedStage;
  readonly wiring: Wiring;

  constructor(scope: Construct, kind: StackKind, input: StackInput, description: string) {
    const name = stackName({ project: input.stage.project, stage: input.stage.name }, kind);
    super(scope, name, {
      stackName: name,
      env: { account: input.stage.account, region: input.stage.region },
      terminationProtection: input.stage.protected,
      description: `${description} (spec3 ${input.stage.project}/${input.stage.name})`,
      // CDK's metadata resource is an unsupported type on local emulators and carries nothing of ours.
      analyticsReporting: false,
      ...(input.stage.qualifier ? { synthesizer: new DefaultStackSynthesizer({ qualifier: input.stage.qualifier }) } : {}),
    });
    this.kind = kind;
    this.phase = STACK_PHASES[kind];
    this.stage = input.stage;
    this.wiring = input.wiring;
    this.tags.setTag('spec3:phase', this.phase);
    input.wiring.register(this);
  }
}
