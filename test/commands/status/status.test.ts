import { beforeEach, describe, expect, it } from 'vitest';
import { run } from '../../../src/commands/status/index.js';
import { TestIo } from '../../helpers/io.js';
import { sampleConfig, writeProject } from '../../helpers/project.js';
import { useTempDirs } from '../../helpers/tmp.js';
import { ENV, fakeAws, resetMocks } from '../destroy/fake-aws.js';

const tempDir = useTempDirs();
const SAMPLE_KINDS = ['network', 'security', 'storage', 'messaging', 'compute', 'api', 'monitoring', 'integrations'];

async function status(config = sampleConfig()) {
  const dir = await tempDir();
  await writeProject(dir, config);
  const result = await run({ stage: 'dev' }, { cwd: dir, io: new TestIo(), env: ENV });
  const rows = result.phases.flatMap((p) => p.stacks.map((s) => [s.name.replace('orders-dev-', ''), s.status]));
  return { result, rows: Object.fromEntries(rows) as Record<string, string> };
}

beforeEach(() => resetMocks());

describe('status: which stacks a stage lists', () => {
  it('lists the stacks the config gives the stage, deployed or not, and no kind the stage cannot have', async () => {
    fakeAws([{ name: 'orders-dev-network' }, { name: 'orders-dev-security' }]);
    const { result, rows } = await status();
    expect(Object.keys(rows).sort()).toEqual([...SAMPLE_KINDS].sort());
    expect(rows).toMatchObject({ network: 'CREATE_COMPLETE', security: 'CREATE_COMPLETE', compute: 'NOT_DEPLOYED' });
    expect(result).toMatchObject({ deployed: 2, total: 8 });
  });

  it('adds the stacks of optional parts the config turns on', async () => {
    fakeAws([]);
    const config = sampleConfig({ features: { api: { type: 'rest' }, vpc: true, service: { image: 'public.ecr.aws/nginx/nginx:1.27' }, graph: {} } });
    const { rows } = await status(config);
    expect(rows).toMatchObject({ service: 'NOT_DEPLOYED', data: 'NOT_DEPLOYED' });
    expect(rows).not.toHaveProperty('edge');
    expect(rows).not.toHaveProperty('pipeline');
  });

  it('still lists a deployed stack of a part the config no longer has, so it is not forgotten', async () => {
    fakeAws([{ name: 'orders-dev-service' }]);
    const { result, rows } = await status();
    expect(rows.service).toBe('CREATE_COMPLETE');
    expect(result).toMatchObject({ deployed: 1, total: 9 });
  });
});
