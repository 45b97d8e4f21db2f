/**
 * Resource types the local AWS (moto with local/patches) creates only as stand-ins: their `Ref` and
 * `Fn::GetAtt` answer plausible values in the real formats, so the stacks that wire them deploy, but
 * nothing behind them runs (no firewall filters, no secret is stored, no search collection answers).
 * The same list is `STAND_INS` in local/patches/placeholders.py; a test keeps the two in step.
 */
export const LOCAL_STAND_INS = [
  'AWS::WAFv2::WebACL',
  'AWS::WAFv2::WebACLAssociation',
  'AWS::WAFv2::LoggingConfiguration',
  'AWS::SecretsManager::Secret',
  'AWS::CodeDeploy::Application',
  'AWS::CodeDeploy::DeploymentGroup',
  'AWS::IAM::OIDCProvider',
  'AWS::ApplicationAutoScaling::ScalableTarget',
  'AWS::ApplicationAutoScaling::ScalingPolicy',
  'AWS::OpenSearchServerless::Collection',
  'AWS::OpenSearchServerless::SecurityPolicy',
  'AWS::OpenSearchServerless::AccessPolicy',
  'AWS::OpenSearchServerless::VpcEndpoint',
  'AWS::Neptune::DBCluster',
  'AWS::Neptune::DBInstance',
  'AWS::Neptune::DBSubnetGroup',
  'AWS::Neptune::DBClusterParameterGroup',
  'AWS::Neptune::DBParameterGroup',
  'AWS::Cognito::UserPool',
  'AWS::ApiGateway::Authorizer',
  'AWS::EC2::SecurityGroupEgress',
] as const;

export type LocalStandIn = (typeof LOCAL_STAND_INS)[number];

const standIns: ReadonlySet<string> = new Set(LOCAL_STAND_INS);

/** A synthesized template, as an object or as its JSON text. */
export type TemplateSource = string | { readonly Resources?: Readonly<Record<string, { readonly Type?: unknown }>> };

/** The stood-in resource types the templates use, each once, in the order of `LOCAL_STAND_INS`. */
export function standInTypes(templates: Iterable<TemplateSource>): LocalStandIn[] {
  const used = new Set<string>();
  for (const source of templates) {
    const template = typeof source === 'string' ? (JSON.parse(source) as Exclude<TemplateSource, string>) : source;
    for (const resource of Object.values(template.Resources ?? {})) {
      if (typeof resource?.Type === 'string' && standIns.has(resource.Type)) used.add(resource.Type);
    }
  }
  return LOCAL_STAND_INS.filter((type) => used.has(type));
}

/** What a user deploying to the local AWS is told about the stand-ins, or undefined when there are none. */
export function standInMessage(types: readonly string[]): string | undefined {
  if (types.length === 0) return undefined;
  return `The local AWS stands in for ${types.join(', ')}: their wiring deploys, their behaviour is not emulated.`;
}
