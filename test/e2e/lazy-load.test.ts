import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { sampleConfig, writeProject } from '../helpers/project.js';
import { useTempDirs } from '../helpers/tmp.js';
import { rawExtensions } from '../stack/raw/config.js';

const main = new URL('../../dist/cli/main.js', import.meta.url).href;

/** Which heavy CommonJS packages a run of the built CLI left in require.cache. */
async function heavyModulesAfter(argv: string[], cwd: string, modules: readonly string[] = ['aws-cdk-lib', 'constructs']): Promise<string[]> {
  const script = `
    import { createRequire } from 'node:module';
    import { PassThrough } from 'node:stream';
    const { main } = await import(${JSON.stringify(main)});
    await main(${JSON.stringify(argv)}, { stdout: new PassThrough(), stderr: new PassThrough(), env: { CI: '1' } });
    const loaded = Object.keys(createRequire(import.meta.url).cache);
    console.log(JSON.stringify(${JSON.stringify(modules)}.filter((m) => loaded.some((f) => f.includes('/node_modules/' + m + '/')))));
  `;
  const r = await execa('node', ['--input-type=module', '-e', script], { cwd });
  return JSON.parse(r.stdout);
}

describe('lazy loading (built CLI)', () => {
  const temp = useTempDirs();
  const here = fileURLToPath(new URL('.', import.meta.url));

  it('--help and a config error load no aws-cdk-lib', async () => {
    expect(await heavyModulesAfter(['--help'], here)).toEqual([]);
    expect(await heavyModulesAfter(['synth', 'dev'], here)).toEqual([]);
  });

  it('the probe does see aws-cdk-lib once a command needs it', async () => {
    // Guards the check above: the same probe must report the library when it is loaded.
    const script = `import { createRequire } from 'node:module'; await import('aws-cdk-lib');
      console.log(Object.keys(createRequire(import.meta.url).cache).some((f) => f.includes('/node_modules/aws-cdk-lib/')));`;
    const r = await execa('node', ['--input-type=module', '-e', script], { cwd: here });
    expect(r.stdout).toBe('true');
  });

  it('reads the CloudFormation resource specification only for a stage with raw CloudFormation', async () => {
    const spec = ['@aws-cdk/aws-service-spec'];
    const plain = await temp();
    await writeProject(plain, sampleConfig());
    expect(await heavyModulesAfter(['list', 'dev'], plain, spec)).toEqual([]);
    const extended = await temp();
    await writeProject(extended, sampleConfig({ extensions: rawExtensions() }));
    expect(await heavyModulesAfter(['list', 'dev'], extended, spec)).toEqual(spec);
  });
});
