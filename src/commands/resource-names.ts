/** A synthesized stack as the names are read from it. */
export interface NamedTemplate {
  readonly name: string;
  readonly account: string;
  readonly region: string;
  readonly template: object;
}

interface Resource {
  readonly Type?: string;
  readonly Properties?: Record<string, unknown>;
}

interface Template {
  readonly Resources?: Record<string, Resource>;
  readonly Parameters?: Record<string, { readonly Type?: string; readonly Default?: unknown }>;
}

/** The property that holds a resource's own name, for the types whose name spec3 or CDK sets. */
const NAME_PROPERTY: Readonly<Record<string, string>> = {
  'AWS::S3::Bucket': 'BucketName',
  'AWS::DynamoDB::Table': 'TableName',
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::SQS::Queue': 'QueueName',
  'AWS::SNS::Topic': 'TopicName',
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::IAM::Role': 'RoleName',
  'AWS::IAM::ManagedPolicy': 'ManagedPolicyName',
  'AWS::SecretsManager::Secret': 'Name',
  'AWS::ApiGateway::RestApi': 'Name',
  'AWS::ApiGatewayV2::Api': 'Name',
  'AWS::ApiGateway::Stage': 'StageName',
  'AWS::ApiGatewayV2::Stage': 'StageName',
  'AWS::Events::Rule': 'Name',
  'AWS::ECS::Cluster': 'ClusterName',
  'AWS::EC2::SecurityGroup': 'GroupName',
};

/** `${Logical.Attr}` / `${Logical}` as `@aws-cdk/cloudformation-diff` renders a Ref or Fn::GetAtt. */
const TOKEN = /\$\{([A-Za-z0-9:]+)(?:\.[A-Za-z0-9.]+)?\}/g;

/** CDK's logical ids end in an 8-character hash of the construct path; people name the construct. */
const withoutHash = (logicalId: string): string => logicalId.replace(/[0-9A-F]{8}$/, '') || logicalId;

function partitionOf(region: string): { partition: string; suffix: string } {
  if (region.startsWith('cn-')) return { partition: 'aws-cn', suffix: 'amazonaws.com.cn' };
  if (region.startsWith('us-gov-')) return { partition: 'aws-us-gov', suffix: 'amazonaws.com' };
  return { partition: 'aws', suffix: 'amazonaws.com' };
}

/**
 * Replaces the intrinsic tokens of a rendered diff line with names a person recognises: a
 * resource's own name where the template sets it (`demo-dev-data-…`), the stack and construct
 * otherwise (`demo-dev-compute/ApiRole`), the producer of an SSM parameter a stack reads (the
 * value an earlier phase publishes, named in the stack that writes it), and the stack's account,
 * region and partition for the pseudo parameters. Works from the synthesized templates alone, so
 * a first deploy, where nothing exists yet, is named as well as an update.
 */
export class ResourceNames {
  /** SSM parameter name -> [stack, value expression] of the resource that writes it. */
  private readonly producers = new Map<string, { readonly stack: NamedTemplate; readonly value: unknown }>();
  private readonly byName = new Map<string, NamedTemplate>();

  constructor(stacks: readonly NamedTemplate[]) {
    for (const s of stacks) {
      this.byName.set(s.name, s);
      for (const r of Object.values((s.template as Template).Resources ?? {})) {
        const name = r.Properties?.Name;
        if (r.Type === 'AWS::SSM::Parameter' && typeof name === 'string') this.producers.set(name, { stack: s, value: r.Properties?.Value });
      }
    }
  }

  /** `text` with every token it can name replaced; a token it cannot name is kept as it is. */
  resolve(stackName: string, text: string): string {
    const stack = this.byName.get(stackName);
    if (!stack) return text;
    return text.replace(TOKEN, (token, id: string) => this.nameOf(stack, id, 0) ?? token);
  }

  private nameOf(stack: NamedTemplate, id: string, depth: number): string | undefined {
    const { partition, suffix } = partitionOf(stack.region);
    const pseudo: Record<string, string> = {
      'AWS::Partition': partition,
      'AWS::URLSuffix': suffix,
      'AWS::AccountId': stack.account,
      'AWS::Region': stack.region,
      'AWS::StackName': stack.name,
    };
    if (pseudo[id]) return pseudo[id];
    const template = stack.template as Template;
    const parameter = template.Parameters?.[id];
    if (parameter) {
      const path = parameter.Default;
      if (typeof path !== 'string' || !parameter.Type?.startsWith('AWS::SSM::Parameter::Value')) return undefined;
      const producer = this.producers.get(path);
      const named = producer && depth < 3 ? this.nameOfValue(producer.stack, producer.value, depth + 1) : undefined;
      return named ?? `ssm:${path}`;
    }
    const resource = template.Resources?.[id];
    if (!resource) return undefined;
    const own = resource.Properties?.[NAME_PROPERTY[resource.Type ?? ''] ?? ''];
    if (typeof own === 'string') return own;
    if (resource.Type === 'AWS::Lambda::Alias') {
      const fn = this.nameOfValue(stack, resource.Properties?.FunctionName, depth + 1);
      const alias = resource.Properties?.Name;
      if (fn && typeof alias === 'string') return `${fn}:${alias}`;
    }
    if (resource.Type === 'AWS::KMS::Key') {
      // A key has no name of its own; its alias is what people know it by.
      const alias = Object.values(template.Resources ?? {}).find(
        (r) => r.Type === 'AWS::KMS::Alias' && (r.Properties?.TargetKeyId as { Ref?: string } | undefined)?.Ref === id,
      );
      if (typeof alias?.Properties?.AliasName === 'string') return `key ${alias.Properties.AliasName}`;
    }
    return `${stack.name}/${withoutHash(id)}`;
  }

  /** The name of a Ref / Fn::GetAtt value written into an SSM parameter. */
  private nameOfValue(stack: NamedTemplate, value: unknown, depth: number): string | undefined {
    if (value === null || typeof value !== 'object') return typeof value === 'string' ? value : undefined;
    const ref = (value as { Ref?: unknown }).Ref;
    if (typeof ref === 'string') return this.nameOf(stack, ref, depth);
    const getAtt = (value as { 'Fn::GetAtt'?: unknown })['Fn::GetAtt'];
    if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return this.nameOf(stack, getAtt[0], depth);
    return undefined;
  }
}
