import { Spec3Error } from '../../errors.js';
import { ResourceNames, type NamedTemplate } from '../resource-names.js';

/**
 * Lambda allows 4 KB for all environment variables of one function, in aggregate ("Function
 * environment variables: 4 KB", https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html).
 * Lambda measures the variables as the JSON object it stores, `{"KEY":"value",...}` in UTF-8 (its
 * error quotes the "String measured"), so keys, values, quotes, colons and commas all count.
 */
export const LAMBDA_ENVIRONMENT_LIMIT = 4096;

interface FunctionResource {
  readonly Type?: string;
  readonly Properties?: { readonly FunctionName?: unknown; readonly Environment?: { readonly Variables?: Record<string, unknown> } };
}

/** The bytes Lambda counts for `variables`: their JSON object in UTF-8. */
export function environmentSize(variables: Readonly<Record<string, string>>): number {
  return Buffer.byteLength(JSON.stringify(variables), 'utf8');
}

/**
 * Refuses at synth a function whose environment passes Lambda's limit, which CloudFormation would
 * otherwise report only mid-phase. Values set by the config are counted exactly; a value read from
 * an earlier phase (an SSM parameter) counts as the name of what it refers to (never longer than
 * the ARN or URL Lambda gets), or as empty when the templates do not tell, so the size is a lower
 * bound: what is refused here would fail in CloudFormation too.
 */
export function checkLambdaEnvironments(stacks: readonly NamedTemplate[], configFunctions: readonly { readonly name: string }[], functionNameOf: (fn: string) => string, file: string): void {
  const names = new ResourceNames(stacks);
  for (const stack of stacks) {
    const resources = (stack.template as { Resources?: Record<string, FunctionResource> }).Resources ?? {};
    for (const [logicalId, resource] of Object.entries(resources)) {
      const variables = resource.Type === 'AWS::Lambda::Function' ? resource.Properties?.Environment?.Variables : undefined;
      if (!variables) continue;
      const counted = Object.fromEntries(
        Object.entries(variables).map(([key, value]) => [key, typeof value === 'string' ? value : literalOf(names, stack.name, value)]),
      );
      const size = environmentSize(counted);
      if (size <= LAMBDA_ENVIRONMENT_LIMIT) continue;
      const lambdaName = typeof resource.Properties?.FunctionName === 'string' ? resource.Properties.FunctionName : `${stack.name}/${logicalId}`;
      const index = configFunctions.findIndex((fn) => functionNameOf(fn.name) === lambdaName);
      const where = index >= 0 ? `functions[${index}].environment (${configFunctions[index]!.name})` : 'the function settings';
      throw new Spec3Error(
        'LAMBDA_ENVIRONMENT_TOO_LARGE',
        `Function ${lambdaName}: its environment variables take ${size.toLocaleString('en-US')} bytes as Lambda counts them (all keys and values as JSON); Lambda allows ${LAMBDA_ENVIRONMENT_LIMIT.toLocaleString('en-US')} bytes (4 KB) per function.`,
        `Shorten or remove values of ${where} in ${file} by at least ${(size - LAMBDA_ENVIRONMENT_LIMIT).toLocaleString('en-US')} byte${size - LAMBDA_ENVIRONMENT_LIMIT === 1 ? '' : 's'}; keep large settings in SSM Parameter Store or a file shipped with the code.`,
      );
    }
  }
}

/** The name a Ref / Fn::GetAtt value resolves to where the templates tell, else "" (counted as empty). */
function literalOf(names: ResourceNames, stack: string, value: unknown): string {
  const ref = (value as { Ref?: unknown } | null)?.Ref;
  const getAtt = (value as { 'Fn::GetAtt'?: unknown } | null)?.['Fn::GetAtt'];
  const id = typeof ref === 'string' ? ref : Array.isArray(getAtt) && typeof getAtt[0] === 'string' ? getAtt[0] : undefined;
  if (!id) return '';
  const named = names.resolve(stack, `\${${id}}`);
  return named.startsWith('${') || named.startsWith('ssm:') ? '' : named;
}
