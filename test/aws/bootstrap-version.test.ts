import { GetParameterCommand, ParameterNotFound, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { assertBootstrapped } from '../../src/aws/bootstrap-version.js';
import { AwsClients } from '../../src/aws/clients.js';
import { spec3Command } from '../../src/commands/rerun.js';
import type { Spec3Error } from '../../src/errors.js';

// GetParameter answers as SSM gives them: ParameterNotFound for a name never written.
const ssm = mockClient(SSMClient);
const aws = new AwsClients({ region: 'us-east-1', maxAttempts: 1, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
const PARAMETER = '/cdk-bootstrap/hnb659fds/version';
const target = {
  stage: 'dev',
  account: '123456789012',
  region: 'us-east-1',
  parameter: PARAMETER,
  required: 6,
  bootstrapCommand: spec3Command({ env: { npm_lifecycle_script: 'spec3' }, aws: { local: true } }, 'bootstrap', 'dev'),
};

beforeEach(() => ssm.reset());

describe('assertBootstrapped', () => {
  it('not bootstrapped: hints the bootstrap for the same target and launcher', async () => {
    ssm.on(GetParameterCommand).rejects(new ParameterNotFound({ message: '', $metadata: { httpStatusCode: 400 } }));
    const error = (await assertBootstrapped(aws, target).catch((e: unknown) => e)) as Spec3Error;
    expect(error).toMatchObject({ code: 'BOOTSTRAP_MISSING', hint: 'Run `npx spec3 bootstrap dev --local` once, then deploy again.' });
  });

  it('bootstrapped too long ago: the same command upgrades it', async () => {
    ssm.on(GetParameterCommand).resolves({ Parameter: { Name: PARAMETER, Value: '5', Type: 'String', Version: 1 } });
    const error = (await assertBootstrapped(aws, target).catch((e: unknown) => e)) as Spec3Error;
    expect(error).toMatchObject({ code: 'BOOTSTRAP_TOO_OLD', hint: 'Run `npx spec3 bootstrap dev --local` to upgrade it, then deploy again.' });
  });
});
