import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { useFakes } from '../src/aws.mjs';
import { handler } from '../src/handlers/analysis.mjs';
import { ENV, FakeS3, FakeTable, setEnv } from './fakes.mjs';

const record = (messageId, body) => ({ messageId, body: typeof body === 'string' ? body : JSON.stringify(body) });

describe('analysis', () => {
  let table;
  let s3;
  beforeEach(() => {
    setEnv();
    table = new FakeTable();
    s3 = new FakeS3({ 'demo-test-data/input/run-2.json': '[10, 20, 30]' });
    useFakes({ table, s3 });
  });

  it('writes statistics to the table and a report to the bucket', async () => {
    const result = await handler({ Records: [record('m1', { id: 'run-1', values: [4, 1, 2.5, 3] })] });
    assert.deepEqual(result, { batchItemFailures: [] });
    const stored = table.items.get('ANALYSIS#run-1\u0000RESULT');
    assert.deepEqual([stored.count, stored.min, stored.max, stored.sum, stored.median], [4, 1, 4, 10.5, 2.75]);
    assert.equal(s3.puts[0].Key, 'analysis/run-1.json');
    assert.equal(s3.puts[0].Bucket, ENV.BUCKET_NAME);
    assert.equal(JSON.parse(s3.puts[0].Body).statistics.mean, 2.625);
  });

  it('reads values from the bucket', async () => {
    await handler({ Records: [record('m2', { id: 'run-2', s3Key: 'input/run-2.json' })] });
    assert.equal(table.items.get('ANALYSIS#run-2\u0000RESULT').mean, 20);
  });

  it('reports only the failed messages', async () => {
    const result = await handler({
      Records: [
        record('ok', { values: [1] }),
        record('bad-json', '{'),
        record('no-values', { id: 'x' }),
        record('not-numbers', { values: [1, 'two'] }),
        record('bad-id', { id: '../etc', values: [1] }),
      ],
    });
    assert.deepEqual(result.batchItemFailures.map((f) => f.itemIdentifier), ['bad-json', 'no-values', 'not-numbers', 'bad-id']);
    // The message without an id is stored under its message id.
    assert.deepEqual([...table.items.keys()], ['ANALYSIS#ok\u0000RESULT']);
  });
});
