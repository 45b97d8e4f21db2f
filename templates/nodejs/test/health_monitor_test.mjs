import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { useFakes } from '../src/aws.mjs';
import { handler } from '../src/handlers/health_monitor.mjs';
import { ENV, fakeClient, setEnv } from './fakes.mjs';

describe('health monitor', () => {
  let sns;
  const install = ({ table = 'ACTIVE', queue } = {}) => {
    sns = fakeClient({ publish: {} });
    useFakes({
      dynamodb: fakeClient({ describeTable: { Table: { TableStatus: table } } }),
      sqs: fakeClient({
        getQueueAttributes: queue ?? { Attributes: { ApproximateNumberOfMessages: '3', ApproximateNumberOfMessagesNotVisible: '1' } },
      }),
      sns,
    });
  };
  beforeEach(() => setEnv());

  it('reports healthy checks and does not alert', async () => {
    install();
    const result = await handler({});
    assert.equal(result.healthy, true);
    assert.deepEqual(result.checks[1], { name: 'queue', ok: true, waiting: 3, inFlight: 1 });
    assert.equal(sns.calls.length, 0);
  });

  it('alerts the topic when the queue does not answer', async () => {
    install({ queue: new Error('timed out') });
    const result = await handler({});
    assert.equal(result.healthy, false);
    assert.equal(sns.calls.length, 1);
    const [, sent] = sns.calls[0];
    assert.equal(sent.TopicArn, ENV.TOPIC_ARN);
    assert.ok(sent.Subject.includes('queue') && sent.Subject.length <= 100);
    const message = JSON.parse(sent.Message);
    assert.deepEqual(message.failed.map((c) => c.name), ['queue']);
    assert.match(message.failed[0].error, /timed out/);
  });

  it('alerts when the table is not active', async () => {
    install({ table: 'DELETING' });
    const result = await handler({});
    assert.deepEqual(result.checks.map((c) => c.ok), [false, true]);
    assert.equal(sns.calls.length, 1);
  });
});
