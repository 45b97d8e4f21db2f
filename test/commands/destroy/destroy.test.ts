import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DeleteStackCommand, UpdateTerminationProtectionCommand } from '@aws-sdk/client-cloudformation';
import { DeleteObjectsCommand, ListObjectVersionsCommand } from '@aws-sdk/client-s3';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { beforeEach, describe, expect, it } from 'vitest';
import { run, type DestroyOptions, type DestroyPlan } from '../../../src/commands/destroy/index.js';
import type { AnswerOf, AskRequest } from '../../../src/context.js';
import { AbortError, Spec3Error } from '../../../src/errors.js';
import { TestIo } from '../../helpers/io.js';
import { writeProject } from '../../helpers/project.js';
import { useTempDirs } from '../../helpers/tmp.js';
import { cfnMock, ENV, fakeAws, resetMocks, s3Mock, ssmMock, type FakeStackInput } from './fake-aws.js';

const tempDir = useTempDirs();
const p = (kind: string, key: string, stage = 'dev') => `/spec3/orders/${stage}/${kind}/${key}`;

/** A whole stage as spec3 deploys it, with the SSM reads of stack/wiring.ts. */
function fullStage(stage = 'dev'): FakeStackInput[] {
  const n = (kind: string) => `orders-${stage}-${kind}`;
  return [
    { name: n('network') },
    { name: n('security'), resources: [{ logicalId: 'DataKey', type: 'AWS::KMS::Key', physicalId: 'key-1234', deletionPolicy: 'Retain' }] },
    {
      name: n('storage'),
      reads: [p('security', 'key-arn', stage)],
      resources: [
        { logicalId: 'DataBucket', type: 'AWS::S3::Bucket', physicalId: `orders-${stage}-data-123456789012-us-east-1` },
        { logicalId: 'Table', type: 'AWS::DynamoDB::Table', physicalId: `orders-${stage}-table` },
      ],
    },
    { name: n('messaging'), reads: [p('security', 'key-arn', stage)] },
    { name: n('compute'), reads: [p('network', 'vpc-id', stage), p('messaging', 'work-queue-arn', stage), p('storage', 'bucket-name', stage)] },
    { name: n('api'), reads: [p('compute', 'fn-api-arn', stage)] },
    { name: n('monitoring'), reads: [p('messaging', 'alert-topic-arn', stage), p('api', 'api-id', stage)] },
    { name: n('integrations'), reads: [p('compute', 'fn-log-processor-arn', stage), p('storage', 'bucket-name', stage)] },
  ];
}

/** Records which events had been emitted when each question was asked. */
class RecordingIo extends TestIo {
  readonly eventsAtAsk: string[][] = [];
  override async ask<R extends AskRequest>(request: R): Promise<AnswerOf<R>> {
    this.eventsAtAsk.push(this.codes());
    return super.ask(request);
  }
}

let dir: string;
beforeEach(async () => {
  resetMocks();
  dir = await tempDir();
  await writeProject(dir);
});

async function destroy(
  options: Partial<DestroyOptions> = {},
  answers: Record<string, unknown> = { DESTROY_CONFIRM: options.stage ?? 'dev' },
  env: Record<string, string | undefined> = ENV,
) {
  const io = new RecordingIo(answers);
  const outcome = await run({ stage: 'dev', ...options }, { cwd: dir, io, env }).then(
    (result) => ({ result, error: undefined }),
    (error: unknown) => ({ result: undefined, error: error as Spec3Error }),
  );
  const plan = io.events.find((e) => e.code === 'DESTROY_PLAN')?.data as DestroyPlan | undefined;
  return { ...outcome, io, plan };
}

const deletes = (): string[] => cfnMock.commandCalls(DeleteStackCommand).map((c) => c.args[0].input.StackName!.split('/')[1]!);
const before = (order: string[], a: string, b: string) => expect(order.indexOf(a), `${a} before ${b} in ${order.join(', ')}`).toBeLessThan(order.indexOf(b));

describe('destroy: order', () => {
  it('deletes phases in reverse and, inside a phase, readers before the stacks they read', async () => {
    const world = fakeAws(fullStage());
    const { result, error, io, plan } = await destroy();
    expect(error).toBeUndefined();
    const order = deletes();
    expect(order).toHaveLength(8);
    expect(order[0]).toBe('orders-dev-integrations');
    const app = ['orders-dev-compute', 'orders-dev-api', 'orders-dev-monitoring'];
    const foundation = ['orders-dev-network', 'orders-dev-security', 'orders-dev-storage', 'orders-dev-messaging'];
    for (const a of app) for (const f of foundation) before(order, a, f);
    before(order, 'orders-dev-monitoring', 'orders-dev-api');
    before(order, 'orders-dev-api', 'orders-dev-compute');
    before(order, 'orders-dev-storage', 'orders-dev-security');
    before(order, 'orders-dev-messaging', 'orders-dev-security');
    expect(plan!.phases.map((ph) => ph.phase)).toEqual(['integrations', 'app', 'foundation']);
    expect([...plan!.phases[1]!.stacks.find((s) => s.name === 'orders-dev-compute')!.after].sort()).toEqual(['orders-dev-api']);
    expect([...plan!.phases[2]!.stacks.find((s) => s.name === 'orders-dev-security')!.after].sort()).toEqual([
      'orders-dev-messaging',
      'orders-dev-storage',
    ]);
    expect(result!.phases.flatMap((ph) => ph.stacks).every((s) => s.status === 'deleted' && s.durationMs !== undefined)).toBe(true);
    expect([...world.stacks.values()].every((s) => s.status === 'DELETE_COMPLETE')).toBe(true);
    // The plan is on screen before the question.
    expect(io.asked.map((q) => q.code)).toEqual(['DESTROY_CONFIRM']);
    expect(io.eventsAtAsk[0]).toContain('DESTROY_PLAN');
  });

  it('runs independent stacks of a phase in parallel, bounded by the concurrency', async () => {
    const world = fakeAws([{ name: 'orders-dev-network' }, { name: 'orders-dev-security' }, { name: 'orders-dev-messaging' }].map((s) => ({ ...s, deleteHangs: true })));
    // Each delete completes on the next DescribeStacks poll; count the deletes in flight meanwhile.
    let inFlight = 0;
    let most = 0;
    world.onDelete = (name) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      setTimeout(() => {
        const s = world.stacks.get(name)!;
        s.status = 'DELETE_COMPLETE';
        inFlight -= 1;
      }, 30);
    };
    const { error } = await destroy({ concurrency: 2 });
    expect(error).toBeUndefined();
    expect(deletes()).toHaveLength(3);
    expect(most).toBe(2);
  });

  it('removes the deleted stacks from outputs.json and keeps the other entries', async () => {
    fakeAws([{ name: 'orders-dev-integrations' }]);
    const file = path.join(dir, '.spec3', 'dev', 'outputs.json');
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, JSON.stringify({ 'orders-dev-integrations': { Rule: 'r' }, 'orders-dev-storage': { BucketName: 'b' } }));
    const { result } = await destroy({ phase: 'integrations' });
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ 'orders-dev-storage': { BucketName: 'b' } });
    expect(result!.outputsFile).toBe(path.join('.spec3', 'dev', 'outputs.json'));
  });

  it('with nothing deployed, says so and asks nothing', async () => {
    fakeAws([]);
    const { result, io } = await destroy();
    expect(result).toMatchObject({ nothingToDestroy: true, phases: [], retained: [] });
    expect(io.codes()).toContain('DESTROY_NOTHING');
    expect(io.asked).toHaveLength(0);
    expect(deletes()).toHaveLength(0);
  });

  it('refuses credentials of another account before looking at any stack', async () => {
    fakeAws(fullStage(), '999999999999');
    const { error, io } = await destroy();
    expect(error).toMatchObject({ code: 'WRONG_ACCOUNT' });
    expect(io.asked).toHaveLength(0);
    expect(deletes()).toHaveLength(0);
  });

  it('refuses a stack that is in the middle of another operation', async () => {
    fakeAws([{ name: 'orders-dev-compute', status: 'UPDATE_IN_PROGRESS' }]);
    const { error } = await destroy();
    expect(error).toMatchObject({ code: 'DESTROY_STACK_BUSY' });
    expect(error!.message).toContain('orders-dev-compute (UPDATE_IN_PROGRESS)');
    expect(deletes()).toHaveLength(0);
  });
});

describe('destroy: --phase', () => {
  it('refuses a phase while a later phase is deployed, and names the phase to destroy first', async () => {
    fakeAws(fullStage());
    const { error, io } = await destroy({ phase: 'foundation' });
    expect(error).toBeInstanceOf(Spec3Error);
    expect(error!.code).toBe('DESTROY_LATER_PHASE_DEPLOYED');
    expect(error!.message).toContain('orders-dev-compute (CREATE_COMPLETE)');
    expect(error!.message).toContain('orders-dev-integrations (CREATE_COMPLETE)');
    expect(error!.hint).toContain('spec3 destroy dev --phase integrations');
    expect(io.asked).toHaveLength(0);
    expect(deletes()).toHaveLength(0);
  });

  it('destroys only the chosen phase when the later ones are gone', async () => {
    fakeAws(fullStage().filter((s) => !s.name.endsWith('integrations')));
    const { error, result } = await destroy({ phase: 'app' });
    expect(error).toBeUndefined();
    expect(deletes().sort()).toEqual(['orders-dev-api', 'orders-dev-compute', 'orders-dev-monitoring']);
    expect(result!.phases.map((ph) => ph.phase)).toEqual(['app']);
  });

  it('rejects an unknown phase', async () => {
    fakeAws(fullStage());
    const { error } = await destroy({ phase: 'data' });
    expect(error).toMatchObject({ code: 'UNKNOWN_PHASE' });
  });
});

describe('destroy: retained resources and data', () => {
  const storage: FakeStackInput = {
    name: 'orders-dev-storage',
    resources: [
      { logicalId: 'DataBucket', type: 'AWS::S3::Bucket', physicalId: 'orders-dev-data-123456789012-us-east-1', deletionPolicy: 'Retain' },
      { logicalId: 'Table', type: 'AWS::DynamoDB::Table', physicalId: 'orders-dev-table', deletionPolicy: 'RetainExceptOnCreate' },
      { logicalId: 'LogsBucket', type: 'AWS::S3::Bucket', physicalId: 'orders-dev-logs', deletionPolicy: 'Delete' },
      { logicalId: 'Queue', type: 'AWS::SQS::Queue', physicalId: 'https://sqs.us-east-1.amazonaws.com/123456789012/orders-dev-work' },
      { logicalId: 'ScratchBucket', type: 'AWS::S3::Bucket', physicalId: 'orders-dev-scratch' },
    ],
  };

  it('lists Retain and RetainExceptOnCreate resources with their physical ids, before and after', async () => {
    const world = fakeAws([storage]);
    world.buckets.set('orders-dev-data-123456789012-us-east-1', ['a@1']);
    world.buckets.set('orders-dev-logs', []);
    world.buckets.set('orders-dev-scratch', []);
    const { result, plan, error } = await destroy();
    expect(error).toBeUndefined();
    const retained = [
      { stack: 'orders-dev-storage', logicalId: 'DataBucket', type: 'AWS::S3::Bucket', physicalId: 'orders-dev-data-123456789012-us-east-1', policy: 'Retain' },
      { stack: 'orders-dev-storage', logicalId: 'Table', type: 'AWS::DynamoDB::Table', physicalId: 'orders-dev-table', policy: 'RetainExceptOnCreate' },
    ];
    expect(plan!.retained).toEqual(retained);
    expect(result!.retained).toEqual(retained);
    expect(plan!.buckets.map((b) => b.bucket)).toEqual(['orders-dev-logs', 'orders-dev-scratch']);
    // The retained bucket is neither listed for emptying nor touched.
    expect(s3Mock.commandCalls(ListObjectVersionsCommand).map((c) => c.args[0].input.Bucket)).not.toContain('orders-dev-data-123456789012-us-east-1');
    expect(world.buckets.get('orders-dev-data-123456789012-us-east-1')).toEqual(['a@1']);
    expect(plan).toMatchObject({ account: '123456789012', region: 'us-east-1', protected: false });
    expect(plan!.phases).toEqual([
      { phase: 'foundation', stacks: [{ name: 'orders-dev-storage', status: 'CREATE_COMPLETE', terminationProtection: false, after: [] }] },
    ]);
  });

  it('empties a versioned bucket page by page (versions and delete markers) before deleting its stack', async () => {
    const world = fakeAws([storage]);
    const entries = Array.from({ length: 1500 }, (_, i) => `k${String(i).padStart(4, '0')}@v${i % 3 === 0 ? '1!' : '1'}`);
    world.buckets.set('orders-dev-logs', [...entries, 'z@v1', 'z@v2', 'z@v3!']);
    world.buckets.set('orders-dev-scratch', ['only@null']);
    const { result, error, plan } = await destroy();
    expect(error).toBeUndefined();
    expect(world.buckets.get('orders-dev-logs')).toEqual([]);
    expect(world.buckets.get('orders-dev-scratch')).toEqual([]);
    const lists = s3Mock.commandCalls(ListObjectVersionsCommand).filter((c) => c.args[0].input.Bucket === 'orders-dev-logs');
    // Counted first for the plan (paged by marker), then emptied from the top page by page.
    expect(lists.map((c) => c.args[0].input)).toEqual([
      { Bucket: 'orders-dev-logs', MaxKeys: 1000, KeyMarker: undefined, VersionIdMarker: undefined },
      { Bucket: 'orders-dev-logs', MaxKeys: 1000, KeyMarker: 'k0999', VersionIdMarker: 'v1' },
      { Bucket: 'orders-dev-logs', MaxKeys: 1000 },
      { Bucket: 'orders-dev-logs', MaxKeys: 1000 },
    ]);
    expect(plan!.buckets.map((b) => [b.bucket, b.versions, b.moreVersions])).toEqual([
      ['orders-dev-logs', 1503, false],
      ['orders-dev-scratch', 1, false],
    ]);
    const batches = s3Mock.commandCalls(DeleteObjectsCommand).filter((c) => c.args[0].input.Bucket === 'orders-dev-logs');
    expect(batches.map((c) => c.args[0].input.Delete!.Objects!.length)).toEqual([1000, 503]);
    const first = batches[0]!.args[0].input.Delete!;
    expect(first.Quiet).toBe(true);
    expect(first.Objects).toContainEqual({ Key: 'k0000', VersionId: 'v1' }); // a delete marker
    expect(first.Objects).toContainEqual({ Key: 'k0001', VersionId: 'v1' }); // a version
    expect(result!.emptied).toEqual([
      { stack: 'orders-dev-storage', bucket: 'orders-dev-logs', objects: 1503 },
      { stack: 'orders-dev-storage', bucket: 'orders-dev-scratch', objects: 1 },
    ]);
    // Emptied first, then deleted (the fake refuses DeleteStack while a deleted bucket has objects).
    expect(world.calls.at(-1)).toBe('DeleteStack orders-dev-storage');
  });

  it('does not empty anything when the destroy is declined', async () => {
    const world = fakeAws([storage]);
    world.buckets.set('orders-dev-logs', ['a@1']);
    const { error } = await destroy({}, { DESTROY_CONFIRM: 'prod' });
    expect(error).toBeInstanceOf(AbortError);
    expect(world.buckets.get('orders-dev-logs')).toEqual(['a@1']);
    expect(s3Mock.commandCalls(DeleteObjectsCommand)).toHaveLength(0);
  });
});

describe('destroy: safety', () => {
  it('refuses a protected stage without --allow-protected: no question, nothing changed', async () => {
    fakeAws(fullStage('prod'));
    const { error, io, plan } = await destroy({ stage: 'prod', force: true });
    expect(error).toBeInstanceOf(Spec3Error);
    expect(error!.code).toBe('DESTROY_PROTECTED');
    expect(error!.message).toContain('"protected": true');
    expect(error!.hint).toContain('--allow-protected');
    expect(plan!.protected).toBe(true);
    expect(io.asked).toHaveLength(0);
    expect(deletes()).toHaveLength(0);
    expect(cfnMock.commandCalls(UpdateTerminationProtectionCommand)).toHaveLength(0);
  });

  it('counts termination protection on any stack as protection', async () => {
    fakeAws([{ name: 'orders-dev-compute', terminationProtection: true }, { name: 'orders-dev-api' }]);
    const { error, plan } = await destroy({ force: true });
    expect(error!.code).toBe('DESTROY_PROTECTED');
    expect(plan!.protectedBy).toEqual(['termination protection on orders-dev-compute']);
    expect(deletes()).toHaveLength(0);
  });

  it('with --allow-protected still asks for the name, even with --force, and lifts protection right before each delete', async () => {
    const world = fakeAws([
      { name: 'orders-prod-compute', terminationProtection: true },
      { name: 'orders-prod-api', terminationProtection: false, reads: [p('compute', 'fn-api-arn', 'prod')] },
      { name: 'orders-prod-security', terminationProtection: true },
    ]);
    const { error, io } = await destroy({ stage: 'prod', allowProtected: true, force: true });
    expect(error).toBeUndefined();
    expect(io.asked.map((q) => q.code)).toEqual(['DESTROY_CONFIRM']);
    expect(io.codes()).toContain('DESTROY_FORCE_IGNORED');
    expect(world.calls).toEqual([
      'DeleteStack orders-prod-api',
      'UpdateTerminationProtection orders-prod-compute false',
      'DeleteStack orders-prod-compute',
      'UpdateTerminationProtection orders-prod-security false',
      'DeleteStack orders-prod-security',
    ]);
  });

  it('declining the typed confirmation aborts with nothing deleted', async () => {
    fakeAws(fullStage());
    const { error } = await destroy({}, { DESTROY_CONFIRM: 'de' });
    expect(error).toBeInstanceOf(AbortError);
    expect(error!.message).toContain('Nothing was changed');
    expect(deletes()).toHaveLength(0);
  });

  it('a prompt cancelled with Ctrl-C aborts with nothing deleted', async () => {
    fakeAws(fullStage());
    const io = new TestIo();
    io.ask = async () => {
      throw new AbortError();
    };
    await expect(run({ stage: 'dev' }, { cwd: dir, io, env: ENV })).rejects.toBeInstanceOf(AbortError);
    expect(deletes()).toHaveLength(0);
  });

  it('the question has no unattended answer and rejects anything but the stage name', async () => {
    fakeAws(fullStage());
    const { io } = await destroy();
    const q = io.asked[0]!;
    expect(q).toMatchObject({ kind: 'text', default: '' });
    expect(q.message).toContain('Type the stage name (dev)');
    expect('unattended' in q).toBe(false);
    const validate = q.validate as (v: string) => string | undefined;
    expect(validate('dev')).toBeUndefined();
    expect(validate('prod')).toContain('Type "dev"');
    expect(validate('')).toContain('Type "dev"');
  });

  it('without a terminal, the refusal says destroy needs a terminal or --force', async () => {
    fakeAws(fullStage());
    const io = new TestIo();
    io.ask = async (request) => {
      throw new Spec3Error('NEEDS_ANSWER', `${request.message} — cannot ask: no interactive terminal.`, 'Pass --yes to accept the defaults.');
    };
    const error = (await run({ stage: 'dev' }, { cwd: dir, io, env: ENV }).catch((e: unknown) => e)) as Spec3Error;
    expect(error.code).toBe('NEEDS_ANSWER');
    expect(error.message).toContain('no interactive terminal');
    expect(error.hint).toContain('--force');
    expect(error.hint).not.toContain('--yes');
    expect(deletes()).toHaveLength(0);
  });

  it('--force skips the question for an unprotected stage', async () => {
    fakeAws(fullStage());
    const { error, io } = await destroy({ force: true }, {});
    expect(error).toBeUndefined();
    expect(io.asked).toHaveLength(0);
    expect(deletes()).toHaveLength(8);
  });
});

describe('destroy: the stage lock', () => {
  const LOCK = '/spec3/orders/dev/lock';

  it('holds the lock while it deletes and releases it afterwards', async () => {
    const world = fakeAws([{ name: 'orders-dev-api' }]);
    const seen: (string | undefined)[] = [];
    world.onDelete = () => seen.push(world.parameters.get(LOCK));
    const { error } = await destroy({ force: true });
    expect(error).toBeUndefined();
    expect(JSON.parse(seen[0]!)).toMatchObject({ command: 'spec3 destroy dev', holder: expect.stringMatching(/^ops@/) });
    expect(world.parameters.has(LOCK)).toBe(false);
  });

  it('refuses, naming the holder, when a deploy of the stage holds it; nothing deleted, the lock left alone', async () => {
    const world = fakeAws([{ name: 'orders-dev-api' }]);
    const held = JSON.stringify({ holder: 'ci@runner-7', pid: 4242, command: 'spec3 deploy dev', startedAt: new Date().toISOString() });
    world.parameters.set(LOCK, held);
    const { error } = await destroy({ force: true });
    expect(error!.code).toBe('STAGE_LOCKED');
    expect(error!.message).toContain('ci@runner-7 (pid 4242) running `spec3 deploy dev`');
    expect(error!.hint).toContain('`spec3 unlock dev` in a terminal');
    expect(deletes()).toHaveLength(0);
    expect(world.parameters.get(LOCK)).toBe(held);
  });

  it('writes no lock when the destroy is refused or declined', async () => {
    fakeAws([{ name: 'orders-dev-api' }]);
    const { error } = await destroy({}, { DESTROY_CONFIRM: 'nope' });
    expect(error).toBeDefined();
    expect(ssmMock.commandCalls(PutParameterCommand)).toHaveLength(0);
  });
});

describe('destroy: failures and interruption', () => {
  it('DELETE_FAILED: the reason from the events, the recovery step, and no earlier phase started', async () => {
    const stacks = fullStage().map((s) =>
      s.name === 'orders-dev-api'
        ? { ...s, deleteFailure: { logicalId: 'RestApi', type: 'AWS::ApiGateway::RestApi', reason: 'Resource handler returned message: "Too Many Requests"' } }
        : s,
    );
    fakeAws(stacks);
    // Started through npx: the recovery step is the destroy command as the user runs it, no placeholder.
    const { error, io } = await destroy({}, undefined, { ...ENV, npm_lifecycle_script: 'spec3' });
    expect(error).toBeInstanceOf(Spec3Error);
    expect(error!.code).toBe('STACK_DELETE_FAILED');
    expect(error!.message).toContain('orders-dev-api is DELETE_FAILED');
    expect(error!.message).toContain('RestApi (AWS::ApiGateway::RestApi): Resource handler returned message: "Too Many Requests"');
    expect(error!.hint).toContain('then finish the delete with `npx spec3 destroy dev`: it retains the failed resources that are already gone.');
    expect(error!.hint).not.toContain('<ids>');
    expect(error!.hint).toContain(
      'Not deleted: orders-dev-compute, orders-dev-network, orders-dev-storage, orders-dev-messaging, orders-dev-security.',
    );
    expect(error!.hint).toContain('Already deleted: orders-dev-integrations, orders-dev-monitoring.');
    // compute waits for api; no foundation stack starts after the failure.
    expect(deletes()).toEqual(['orders-dev-integrations', 'orders-dev-monitoring', 'orders-dev-api']);
    expect(io.codes()).toContain('STACK_FAILED');
  });

  it('a failing stack lets the other running stacks of its phase finish', async () => {
    const stacks: FakeStackInput[] = [
      { name: 'orders-dev-network', deleteFailure: { logicalId: 'Vpc', type: 'AWS::EC2::VPC', reason: 'The vpc has dependencies and cannot be deleted.' } },
      { name: 'orders-dev-messaging', reads: [p('security', 'key-arn')], deleteHangs: true },
      { name: 'orders-dev-storage', reads: [p('security', 'key-arn')] },
      { name: 'orders-dev-security' },
    ];
    const world = fakeAws(stacks);
    // messaging is still deleting when network fails; it completes a little later.
    world.onDelete = (name) => {
      if (name === 'orders-dev-messaging') setTimeout(() => (world.stacks.get(name)!.status = 'DELETE_COMPLETE'), 100);
    };
    const { error } = await destroy();
    expect(error!.code).toBe('STACK_DELETE_FAILED');
    expect(world.stacks.get('orders-dev-messaging')!.status).toBe('DELETE_COMPLETE');
    expect(world.stacks.get('orders-dev-storage')!.status).toBe('DELETE_COMPLETE');
    // security waited for the stacks reading from it, then the failure stopped it.
    expect(world.stacks.get('orders-dev-security')!.status).toBe('CREATE_COMPLETE');
  });

  it('Ctrl-C: no new deletion starts, and the error says what CloudFormation is still doing', async () => {
    const world = fakeAws([{ name: 'orders-dev-integrations', deleteHangs: true }, { name: 'orders-dev-compute' }]);
    const controller = new AbortController();
    world.onDelete = () => controller.abort();
    const { error, io } = await destroy({ signal: controller.signal });
    expect(error).toBeInstanceOf(AbortError);
    expect(error!.message).toContain('CloudFormation is still deleting: orders-dev-integrations (DELETE_IN_PROGRESS)');
    expect(deletes()).toEqual(['orders-dev-integrations']);
    expect(io.codes()).toContain('DESTROY_INTERRUPTED');
  });

  it('Ctrl-C while a bucket is being emptied: emptying stops between pages and the stack is not deleted', async () => {
    const world = fakeAws([
      { name: 'orders-dev-storage', resources: [{ logicalId: 'LogsBucket', type: 'AWS::S3::Bucket', physicalId: 'orders-dev-logs' }] },
    ]);
    world.buckets.set('orders-dev-logs', Array.from({ length: 2500 }, (_, i) => `k${String(i).padStart(4, '0')}@v1`));
    const controller = new AbortController();
    world.onDeleteObjects = () => controller.abort();
    const { error } = await destroy({ signal: controller.signal });
    expect(error).toBeInstanceOf(AbortError);
    expect(error!.message).toContain('no stack operation is in progress');
    expect(error!.message).toContain(
      'Data deleted: emptying bucket orders-dev-logs stopped after 1000 object version(s) and delete marker(s) were deleted; the rest, the bucket and its stack are still there.',
    );
    expect(world.calls).toEqual(['DeleteObjects orders-dev-logs 1000']);
    expect(world.buckets.get('orders-dev-logs')).toHaveLength(1500);
  });
});
