import { aws_ecs as ecs, aws_iam as iam, aws_kms as kms, aws_secretsmanager as secretsmanager } from 'aws-cdk-lib';
import { acknowledge } from '../acknowledge.js';
import { prefix } from '../naming.js';
import { dataRemovalPolicy } from '../removal.js';
import type { Spec3Stack } from '../spec3-stack.js';

/** Secrets Manager name of one service secret: `<project>/<stage>/service/<NAME>`. */
export const serviceSecretName = (project: string, stage: string, name: string): string => `${project}/${stage}/service/${name}`;

/**
 * One Secrets Manager secret per name in `features.service.secrets`, encrypted with the stage's
 * KMS key and started with a generated value, so no value ever passes through the config or the
 * template; the team sets the real value in Secrets Manager. Returned as container secrets by name;
 * `executionRole` (which ECS reads them with) may decrypt them.
 */
export function serviceSecrets(stack: Spec3Stack, names: readonly string[], executionRole: iam.IRole): Record<string, ecs.Secret> {
  const { stage } = stack;
  if (names.length === 0) return {};
  const keyArn = stack.wiring.consume(stack, 'security', 'key-arn');
  const key = kms.Key.fromKeyArn(stack, 'StageKey', keyArn);
  // ECS reads the secrets at task start with the execution role; Secrets Manager decrypts them with
  // the stage key on its behalf. An imported key takes no grant, so the role gets the permission itself.
  executionRole.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'DecryptServiceSecrets',
      actions: ['kms:Decrypt'],
      resources: [keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${stage.region}.amazonaws.com` } },
    }),
  );
  const secrets: Record<string, ecs.Secret> = {};
  for (const name of new Set(names)) {
    const secret = new secretsmanager.Secret(stack, `Secret${name}`, {
      secretName: serviceSecretName(stage.project, stage.name, name),
      description: `${name} of the ${prefix({ project: stage.project, stage: stage.name })} service; set its value in Secrets Manager`,
      encryptionKey: key,
      generateSecretString: { passwordLength: 32, excludePunctuation: true },
      removalPolicy: dataRemovalPolicy(stage),
    });
    acknowledge(secret, {
      id: 'AwsSolutions-SMG4',
      reason:
        'The value is an application credential the team sets (an API key of another system); rotating it needs that system, ' +
        'so there is no rotation function to attach.',
    });
    secrets[name] = ecs.Secret.fromSecretsManager(secret);
  }
  return secrets;
}
