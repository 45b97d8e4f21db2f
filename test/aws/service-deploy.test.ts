import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { describe, expect, it } from 'vitest';
import { run as bootstrap } from '../../src/commands/bootstrap/index.js';
import { run as deploy } from '../../src/commands/deploy/index.js';
import type { Context } from '../../src/context.js';
import { awsEnv, clientConfig, useLocalAws } from '../helpers/local-aws.js';
import { TestIo } from '../helpers/io.js';
import { sampleConfig, writeProject } from '../helpers/project.js';
import { useTempDirs } from '../helpers/tmp.js';
import { liveStacks } from './e2e/project.js';

/** The container service deployed to the local AWS, in process (no built binary needed). */
describe('container service on the local AWS', () => {
  const local = useLocalAws();
  const tempDir = useTempDirs();
  /** A context whose PATH has no docker (nor anything else). */
  const context = (cwd: string): Context & { io: TestIo } => ({ cwd, io: new TestIo(), env: { ...awsEnv(local.endpoint()), PATH: '/nonexistent' } });
  const project = async (service: Record<string, unknown>) => {
    const dir = await tempDir();
    await writeProject(dir, sampleConfig({ functions: [], features: { vpc: true, service: { port: 80, healthCheckPath: '/', ...service } } }));
    return dir;
  };

  it('deploys a service from an image in the app phase and publishes what monitoring reads', async () => {
    const dir = await project({ image: 'public.ecr.aws/nginx/nginx:1.27', secrets: ['API_KEY'], xray: true });
    const ctx = context(dir);
    await bootstrap({ stage: 'dev' }, ctx);
    const result = await deploy({ stage: 'dev', requireApproval: 'never' }, ctx);
    const app = result.phases.find((p) => p.phase === 'app')!;
    expect(app.stacks.map((s) => [s.name, s.status])).toContainEqual(['orders-dev-service', 'created']);
    const ssm = new SSMClient(clientConfig(local.endpoint()));
    const value = async (key: string) =>
      (await ssm.send(new GetParameterCommand({ Name: `/spec3/orders/dev/service/${key}` }))).Parameter?.Value;
    expect(await value('cluster-name')).toBe('orders-dev-cluster');
    expect(await value('service-name')).toBe('orders-dev-service');
    expect(await value('url')).toMatch(/^http:\/\/\S+/);
    expect(await value('alb-full-name')).toMatch(/^app\//);
    expect(await value('target-group-full-name')).toMatch(/^targetgroup\//);
  });

  it('refuses an image to build without docker before any stack is deployed', async () => {
    const dir = await project({ source: 'service' });
    await mkdir(path.join(dir, 'service'));
    await writeFile(path.join(dir, 'service', 'Dockerfile'), 'FROM public.ecr.aws/nginx/nginx:1.27\n');
    const ctx = context(dir);
    await bootstrap({ stage: 'dev' }, ctx);
    await expect(deploy({ stage: 'dev', requireApproval: 'never' }, ctx)).rejects.toMatchObject({ code: 'DOCKER_NOT_FOUND' });
    expect(await liveStacks(local.endpoint(), 'orders-dev-')).toEqual([]);
    expect(ctx.io.events.filter((e) => e.code === 'PHASE_START')).toEqual([]);
  });
});
