import { execFile } from 'node:child_process';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { CloudFormationClient, ListStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { describe, expect, it } from 'vitest';
import { startLocalAws } from '../../../src/aws/local/launcher.js';
import { isAlive } from '../../../src/aws/local/probe.js';
import { readLocalState, writeLocalState } from '../../../src/aws/local/state.js';
import { clientConfig, useLocalAws } from '../../helpers/local-aws.js';
import { useTempDirs } from '../../helpers/tmp.js';

const tempDir = useTempDirs();

/** A Python that cannot import moto: site-packages off. */
async function pythonWithoutMoto(): Promise<string> {
  const file = path.join(await tempDir(), 'python-without-moto');
  await writeFile(file, '#!/bin/sh\nexec python3 -S "$@"\n');
  await chmod(file, 0o755);
  return file;
}

const local = useLocalAws({ resetBeforeEach: false });

describe('startLocalAws', () => {
  it('starts the server on a free port, answers AWS calls on localhost, resets and stops', async () => {
    const server = await startLocalAws();
    expect(server.endpoint).toBe(`http://localhost:${server.port}`);
    const cfn = new CloudFormationClient(clientConfig(server.endpoint));
    const ssm = new SSMClient(clientConfig(server.endpoint));
    try {
      expect((await cfn.send(new ListStacksCommand({}))).StackSummaries).toEqual([]);
      await ssm.send(new PutParameterCommand({ Name: '/x', Value: 'v', Type: 'String' }));
      await server.reset();
      await expect(ssm.send(new GetParameterCommand({ Name: '/x' }))).rejects.toThrow(/ParameterNotFound|not found/i);
    } finally {
      await server.stop();
    }
    expect(isAlive(server.pid)).toBe(false);
    await expect(cfn.send(new ListStacksCommand({}))).rejects.toThrow(/ECONNREFUSED|fetch failed|connect/);
  }, 180_000); // the server start may take up to its own 60 s on a loaded machine

  it('refuses a port that is taken', async () => {
    const port = Number(new URL(local.endpoint()).port);
    await expect(startLocalAws({ port })).rejects.toMatchObject({ code: 'LOCAL_AWS_FAILED', message: `Port ${port} is already in use.` });
  });

  it('says how to get moto when Python is missing or has no moto', async () => {
    const hint = expect.stringContaining("pip install 'moto[server]'");
    await expect(startLocalAws({ python: '/nonexistent/python3' })).rejects.toMatchObject({
      code: 'LOCAL_AWS_UNAVAILABLE',
      message: expect.stringContaining('Python not found: "/nonexistent/python3".'),
      hint,
    });
    const python = await pythonWithoutMoto();
    await expect(startLocalAws({ python })).rejects.toMatchObject({ code: 'LOCAL_AWS_UNAVAILABLE', message: expect.stringContaining('moto is not installed'), hint });
    await expect(startLocalAws({ python, patched: false })).rejects.toMatchObject({ code: 'LOCAL_AWS_UNAVAILABLE', hint });
  });

  it('takes SPEC3_PYTHON from the environment it is given', async () => {
    await expect(startLocalAws({ env: { ...process.env, SPEC3_PYTHON: '/nonexistent/py' } })).rejects.toMatchObject({
      message: expect.stringContaining('"/nonexistent/py"'),
    });
  });

  it('a detached server writes its output to the log file', async () => {
    const logFile = path.join(await tempDir(), 'local.log');
    const server = await startLocalAws({ detached: true, logFile });
    try {
      expect(await readFile(logFile, 'utf8')).toContain(`Running on http://127.0.0.1:${server.port}`);
    } finally {
      await server.stop();
    }
    expect(isAlive(server.pid)).toBe(false);
  });
});

describe('the fixes', () => {
  it('a fix whose moto attribute is missing is skipped with a warning naming it; the others apply', async () => {
    // A moto release that renamed what two fixes replace, simulated before the fixes load.
    const script = `
import sys
sys.path.insert(0, "local")
from moto.cloudformation.models import CloudFormationBackend
from moto.ec2.models.route_tables import RouteTable
del CloudFormationBackend.execute_change_set
RouteTable.delete = lambda self, account_id, region_name: None
from patches import MODULES, apply_all
applied = apply_all("9.9.9")
print(len(applied), len(MODULES))
`;
    const root = fileURLToPath(new URL('../../..', import.meta.url));
    const { stdout, stderr } = await promisify(execFile)(process.env.SPEC3_PYTHON || 'python3', ['-c', script], { cwd: root });
    const [applied, all] = stdout.trim().split(' ').map(Number);
    expect(applied).toBe(all! - 4);
    expect(stderr.trim().split('\n')).toEqual([
      "spec3 local AWS: fix 'execute_change_set' not applied, moto 9.9.9 differs from 5.2.1 (missing CloudFormationBackend.execute_change_set)",
      "spec3 local AWS: fix 'execution_failure' not applied, moto 9.9.9 differs from 5.2.1 (missing CloudFormationBackend.execute_change_set)",
      "spec3 local AWS: fix 'change_set_not_found' not applied, moto 9.9.9 differs from 5.2.1 (missing CloudFormationBackend.execute_change_set)",
      "spec3 local AWS: fix 'vpc_resource_deletion' not applied, moto 9.9.9 differs from 5.2.1 (RouteTable already defines delete())",
    ]);
  });
});

describe('readLocalState', () => {
  it('returns the recorded server while it runs and answers, and removes a stale record', async () => {
    const home = await tempDir();
    const env = { SPEC3_HOME: home };
    expect(await readLocalState(env)).toBeUndefined();
    const endpoint = local.endpoint();
    const port = Number(new URL(endpoint).port);
    const live = { pid: process.pid, port, endpoint, startedAt: new Date().toISOString(), version: '0.0.0' };
    await writeLocalState(env, live);
    expect(await readLocalState(env)).toEqual(live);
    // Nothing answers on a port that was free a moment ago.
    await writeLocalState(env, { ...live, port: 9 });
    expect(await readLocalState(env)).toBeUndefined();
    await expect(readFile(path.join(home, 'local.json'))).rejects.toThrow(/ENOENT/);
  });
});

