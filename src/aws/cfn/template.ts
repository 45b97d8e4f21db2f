import { GetTemplateCommand } from '@aws-sdk/client-cloudformation';
import type { AwsClients } from '../clients.js';

/** Inline template bodies are limited to 51,200 bytes; bigger ones go through S3. */
export const MAX_INLINE_TEMPLATE = 51_200;

/** The template a stack was last deployed with (JSON templates only; others read as undefined). */
export async function deployedTemplate(aws: AwsClients, stackName: string): Promise<object | undefined> {
  const out = await aws.cloudFormation().send(new GetTemplateCommand({ StackName: stackName, TemplateStage: 'Original' }));
  if (!out.TemplateBody) return undefined;
  try {
    return JSON.parse(out.TemplateBody) as object;
  } catch {
    return undefined;
  }
}

/** `s3://bucket/key` -> the regional HTTPS URL CloudFormation accepts as TemplateURL. */
export function templateUrl(objectUrl: string, region: string): string {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(objectUrl);
  if (!match) throw new Error(`Not an s3:// URL: ${objectUrl}`);
  const host = region.startsWith('cn-') ? `s3.${region}.amazonaws.com.cn` : `s3.${region}.amazonaws.com`;
  return `https://${host}/${match[1]}/${match[2]}`;
}
