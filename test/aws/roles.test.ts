// fromTemporaryCredentials calls AssumeRole through the SDK's internal STS client, not client-sts.
import { AssumeRoleCommand, STSClient } from '@aws-sdk/nested-clients/sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import type { AssemblyStack } from '../../src/aws/assembly.js';
import { AwsClients } from '../../src/aws/clients.js';
import { deployRole } from '../../src/aws/roles.js';

// The SDK fakes stand in for STS: moto accepts any AssumeRole, so it can neither refuse one nor
// show how many were made.
const sts = mockClient(STSClient);
afterEach(() => {
  sts.reset();
});

const ROLE = 'arn:aws:iam::123456789012:role/cdk-hnb659fds-deploy-role-123456789012-us-east-1';
const stack = { name: 'demo-dev-network', deployRoleArn: ROLE } as AssemblyStack;
const base = () =>
  new AwsClients({ region: 'us-east-1', maxAttempts: 1, credentials: { accessKeyId: 'AKIDBASE', secretAccessKey: 'base' } });

/** An AssumeRole answer as STS gives it. */
function assumed(expiresInMs: number) {
  return {
    Credentials: {
      AccessKeyId: 'ASIAROLE',
      SecretAccessKey: 'role-secret',
      SessionToken: 'token',
      Expiration: new Date(Date.now() + expiresInMs),
    },
    AssumedRoleUser: { AssumedRoleId: 'AROAEXAMPLE:spec3-deploy', Arn: `${ROLE.replace(':role/', ':assumed-role/')}/spec3-deploy` },
  };
}

describe('deployRole', () => {
  it('acts as the bootstrap deploy role, assumed once for every service client', async () => {
    sts.on(AssumeRoleCommand).resolves(assumed(3_600_000));
    const { clients: role, unavailable } = await deployRole(base(), stack);
    expect(role.roleArn).toBe(ROLE);
    expect(unavailable).toBeUndefined();
    // The fakes replace `send`, so signing never runs; each client's own credential provider (the
    // one its signer calls, memoized per client by the SDK) is called as signing would call it.
    const signers = [role.cloudFormation(), role.ssm(), role.sts()].map((client) => client.config.credentials);
    const used = await Promise.all(signers.map((credentials) => credentials()));
    expect(used.map((c) => c.accessKeyId)).toEqual(['ASIAROLE', 'ASIAROLE', 'ASIAROLE']);
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(1);
    expect(sts.commandCalls(AssumeRoleCommand)[0]!.args[0].input).toMatchObject({ RoleArn: ROLE, RoleSessionName: 'spec3-deploy' });
    expect((await role.credentials()).accessKeyId).toBe('ASIAROLE');
  });

  it('assumes the role again once its credentials are about to expire', async () => {
    sts.on(AssumeRoleCommand).resolvesOnce(assumed(60_000)).resolves(assumed(3_600_000));
    const { clients: role } = await deployRole(base(), stack);
    await role.credentials();
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(2);
  });

  it('deploys with the current credentials, saying why, when the role cannot be assumed', async () => {
    sts.on(AssumeRoleCommand).rejects(
      Object.assign(new Error('User: arn:aws:iam::123456789012:user/ci is not authorized to perform: sts:AssumeRole'), {
        name: 'AccessDenied',
        $metadata: { httpStatusCode: 403 },
      }),
    );
    const aws = base();
    const chosen = await deployRole(aws, stack);
    expect(chosen.clients).toBe(aws);
    expect(chosen.unavailable).toContain(ROLE);
    expect(chosen.unavailable).toContain('not authorized');
  });

  it('keeps the credentials of a stack without a deploy role', async () => {
    const aws = base();
    expect(await deployRole(aws, { ...stack, deployRoleArn: undefined } as AssemblyStack)).toEqual({ clients: aws });
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(0);
  });
});
