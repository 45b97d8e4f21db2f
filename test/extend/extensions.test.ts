import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { run as synth } from '../../src/commands/synth/index.js';
import { TestIo } from '../helpers/io.js';
import { writeProject } from '../helpers/project.js';
import { useTempDirs } from '../helpers/tmp.js';

const tempDir = useTempDirs();

type Template = { Resources: Record<string, { Type: string; Properties?: any; DeletionPolicy?: string }>; Parameters?: Record<string, { Default?: string }> };

/** A sample project with `source` as its spec3.extend.ts (or the file name given). */
async function project(source: string, file = 'spec3.extend.ts'): Promise<string> {
  const dir = await tempDir();
  await writeProject(dir);
  await writeFile(path.join(dir, file), source);
  return dir;
}

async function template(outDir: string, stack: string): Promise<Template> {
  return JSON.parse(await readFile(path.join(outDir, `${stack}.template.json`), 'utf8')) as Template;
}

const byType = (t: Template, type: string) => Object.entries(t.Resources).filter(([, r]) => r.Type === type);

describe('code extensions (spec3.extend.ts)', () => {
  it('adds a table in storage, publishes it through SSM, and compute grants a function access to it', async () => {
    const dir = await project(`
import { defineExtensions, dynamodb } from 'spec3/extend';
export default defineExtensions({
  storage({ stack, resources, publish }) {
    const audit = new dynamodb.TableV2(stack, 'AuditTable', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    });
    publish('audit-table', audit);
    resources.table.addGlobalSecondaryIndex({ indexName: 'by-owner', partitionKey: { name: 'owner', type: dynamodb.AttributeType.STRING } });
  },
  compute({ functions, consume }) {
    consume<dynamodb.ITable>('storage', 'audit-table').grantReadData(functions.api!);
  },
});
`);
    const result = await synth({ stage: 'dev' }, { cwd: dir, io: new TestIo() });
    const storage = await template(result.outDir, 'orders-dev-storage');
    const tables = byType(storage, 'AWS::DynamoDB::GlobalTable');
    expect(tables).toHaveLength(1);
    // spec3's own table took the hook's extra index beside its own.
    const [own] = byType(storage, 'AWS::DynamoDB::Table');
    expect(own![1].Properties.GlobalSecondaryIndexes.map((i: { IndexName: string }) => i.IndexName).sort()).toEqual(['by-owner', 'gsi1']);
    const params = byType(storage, 'AWS::SSM::Parameter').map(([, r]) => r.Properties.Name as string);
    expect(params).toContain('/spec3/orders/dev/storage/ext-audit-table-arn');

    const compute = await template(result.outDir, 'orders-dev-compute');
    const read = Object.entries(compute.Parameters ?? {}).find(([, p]) => p.Default === '/spec3/orders/dev/storage/ext-audit-table-arn');
    expect(read, 'compute reads the table ARN from SSM').toBeDefined();
    const policies = byType(compute, 'AWS::IAM::Policy').filter(([, p]) => JSON.stringify(p.Properties.PolicyDocument).includes(read![0]));
    expect(policies).toHaveLength(1);
    const onAudit = policies[0]![1].Properties.PolicyDocument.Statement.filter((s: { Resource: unknown }) => JSON.stringify(s.Resource).includes(read![0]));
    const actions = onAudit.flatMap((s: { Action: string | string[] }) => [s.Action].flat());
    expect(actions).toContain('dynamodb:GetItem');
    expect(actions).not.toContain('dynamodb:PutItem');
  });

  it('gives a function access to an extension resource named in its config, with its name and ARN in the environment', async () => {
    const dir = await project(`import { defineExtensions, dynamodb } from 'spec3/extend';
export default defineExtensions({
  storage({ stack, publish }) {
    publish('audit-table', new dynamodb.Table(stack, 'AuditTable', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } }));
  },
});
`);
    const file = path.join(dir, 'spec3.config.json');
    const config = JSON.parse(await readFile(file, 'utf8'));
    config.functions[0].access = ['table:read', 'audit-table:readwrite'];
    config.functions[1].access = ['audit-table:read'];
    await writeFile(file, JSON.stringify(config));
    const result = await synth({ stage: 'dev' }, { cwd: dir, io: new TestIo() });
    const compute = await template(result.outDir, 'orders-dev-compute');
    const arnParam = Object.entries(compute.Parameters ?? {}).find(([, p]) => p.Default === '/spec3/orders/dev/storage/ext-audit-table-arn')![0];
    const statementsOf = (fnName: string) => {
      const fn = byType(compute, 'AWS::Lambda::Function').find(([, r]) => r.Properties.FunctionName === fnName)![1];
      expect(fn.Properties.Environment.Variables.AUDIT_TABLE_ARN).toEqual({ Ref: arnParam });
      expect(fn.Properties.Environment.Variables.AUDIT_TABLE_NAME).toBeDefined();
      const role = fn.Properties.Role['Fn::GetAtt'][0];
      return byType(compute, 'AWS::IAM::Policy')
        .filter(([, p]) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === role))
        .flatMap(([, p]) => p.Properties.PolicyDocument.Statement)
        .filter((st: { Resource: unknown }) => JSON.stringify(st.Resource) === JSON.stringify({ Ref: arnParam }));
    };
    const actions = (fnName: string) => statementsOf(fnName).flatMap((st: { Action: string | string[] }) => [st.Action].flat()).sort();
    expect(actions('orders-dev-api')).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:PutItem']));
    expect(actions('orders-dev-log-processor')).toContain('dynamodb:GetItem');
    expect(actions('orders-dev-log-processor')).not.toContain('dynamodb:PutItem');

    config.functions[1].access = ['audit-tabel:read'];
    await writeFile(file, JSON.stringify(config));
    await expect(synth({ stage: 'dev' }, { cwd: dir, io: new TestIo() })).rejects.toMatchObject({
      code: 'EXTENSION_RESOURCE_MISSING',
      message: 'Function log-processor (access "audit-tabel:read") names extension resource "audit-tabel", which no extension of this stage registers (registered: audit-table).',
    });
  });

  it('reports a syntax error with file, line and column', async () => {
    const dir = await project(`import { defineExtensions } from 'spec3/extend';\nexport default defineExtensions({\n  storage({ stack ) {},\n});\n`);
    await expect(synth({ stage: 'dev' }, { cwd: dir, io: new TestIo() })).rejects.toMatchObject({
      code: 'EXTENSION_SYNTAX',
      message: expect.stringMatching(/^spec3\.extend\.ts:3:\d+: /),
    });
  });

  it('reports a hook that throws with the line of the throw and its message, not as a bug', async () => {
    const dir = await project(
      `import { defineExtensions } from 'spec3/extend';\nexport default defineExtensions({\n  messaging() {\n    const limit = 3;\n    throw new Error('no queue over ' + limit);\n  },\n});\n`,
    );
    await expect(synth({ stage: 'dev' }, { cwd: dir, io: new TestIo() })).rejects.toMatchObject({
      code: 'EXTENSION_HOOK_FAILED',
      message: 'spec3.extend.ts:5:11: the messaging hook threw: no queue over 3',
    });
  });

  it('refuses a consume from a later phase with the phase-order error, naming the file and line', async () => {
    const dir = await project(
      `import { defineExtensions } from 'spec3/extend';\nexport default defineExtensions({\n  storage({ consume }) {\n    consume('compute', 'fn-api-arn');\n  },\n});\n`,
      'spec3.extend.mjs',
    );
    await expect(synth({ stage: 'dev' }, { cwd: dir, io: new TestIo() })).rejects.toMatchObject({
      code: 'PHASE_ORDER',
      message: expect.stringMatching(/^spec3\.extend\.mjs:4:5 \(storage hook\): Stack orders-dev-storage \(phase foundation\) references orders-dev-compute \(phase app/),
    });
  });

  it('refuses a hook for an unknown stack kind, listing the kinds', async () => {
    const dir = await project(`import { defineExtensions } from 'spec3/extend';\nexport default defineExtensions({\n  // a typo\n  storag() {},\n} as any);\n`);
    await expect(synth({ stage: 'dev' }, { cwd: dir, io: new TestIo() })).rejects.toMatchObject({
      code: 'EXTENSION_UNKNOWN_KIND',
      message: expect.stringMatching(/^spec3\.extend\.ts:4: "storag" is not a stack kind.*Stack kinds: network, security, storage, messaging, pipeline, edge, data, compute, api, service, monitoring, integrations\./),
    });
  });

  it('warns about a hook for a stack the stage does not have, and still synthesizes', async () => {
    const dir = await project(`import { defineExtensions } from 'spec3/extend';\nexport default defineExtensions({ edge() { throw new Error('never runs'); } });\n`);
    const io = new TestIo();
    await synth({ stage: 'dev' }, { cwd: dir, io });
    expect(io.events.filter((e) => e.code === 'EXTENSION_KIND_ABSENT').map((e) => e.message)).toEqual([
      'spec3.extend.ts: stage dev has no edge stack, so its edge hook does not run (see `spec3 list dev` for the stage\'s stacks).',
    ]);
  });

  it('retains data resources an extension adds without a policy in protected stages only', async () => {
    const source = `import { defineExtensions, dynamodb, RemovalPolicy } from 'spec3/extend';
export default defineExtensions({
  storage({ stack }) {
    new dynamodb.CfnTable(stack, 'Plain', { keySchema: [{ attributeName: 'pk', keyType: 'HASH' }], attributeDefinitions: [{ attributeName: 'pk', attributeType: 'S' }], billingMode: 'PAY_PER_REQUEST' });
    const chosen = new dynamodb.CfnTable(stack, 'Chosen', { keySchema: [{ attributeName: 'pk', keyType: 'HASH' }], attributeDefinitions: [{ attributeName: 'pk', attributeType: 'S' }], billingMode: 'PAY_PER_REQUEST' });
    chosen.applyRemovalPolicy(RemovalPolicy.DESTROY);
  },
});
`;
    const dir = await project(source);
    const policies = async (stage: string) => {
      const result = await synth({ stage }, { cwd: dir, io: new TestIo() });
      const t = await template(result.outDir, `orders-${stage}-storage`);
      return Object.fromEntries(['Plain', 'Chosen'].map((id) => [id, Object.entries(t.Resources).find(([k]) => k.startsWith(id))![1].DeletionPolicy]));
    };
    expect(await policies('prod')).toEqual({ Plain: 'Retain', Chosen: 'Delete' });
    expect(await policies('dev')).toEqual({ Plain: undefined, Chosen: 'Delete' });
  });
});
