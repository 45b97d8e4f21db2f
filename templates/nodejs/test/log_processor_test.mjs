import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { useFakes } from '../src/aws.mjs';
import { handler } from '../src/handlers/log_processor.mjs';
import { FakeS3, FakeTable, setEnv } from './fakes.mjs';

const LOG = ['2024-05-01 INFO started', '2024-05-01 ERROR disk full', '2024-05-01 WARN retrying', '2024-05-01 ERROR gave up', 'ERRORS=0 is not an error line', ''].join('\n');

// The EventBridge event S3 sends for a new object (what spec3's s3 trigger delivers).
const objectCreated = (key) => ({
  source: 'aws.s3',
  'detail-type': 'Object Created',
  detail: { bucket: { name: 'demo-test-data' }, object: { key } },
});

describe('log processor', () => {
  let table;
  beforeEach(() => {
    setEnv();
    table = new FakeTable();
    useFakes({ table, s3: new FakeS3({ 'demo-test-data/logs/app.log': LOG, 'demo-test-data/logs/app.log.gz': gzipSync(LOG) }) });
  });

  it('counts lines and ERROR lines and stores a summary', async () => {
    assert.deepEqual(await handler(objectCreated('logs/app.log')), { key: 'logs/app.log', lines: 5, errorLines: 2 });
    const summary = table.items.get('LOG#logs/app.log\u0000SUMMARY');
    assert.deepEqual([summary.lines, summary.errorLines, summary.bucket, summary.gsi1pk], [5, 2, 'demo-test-data', 'LOG']);
  });

  it('reads gzipped logs', async () => {
    const result = await handler(objectCreated('logs/app.log.gz'));
    assert.deepEqual([result.lines, result.errorLines], [5, 2]);
  });

  it('fails on a missing object, so the event is retried', async () => {
    await assert.rejects(handler(objectCreated('logs/gone.log')), /NoSuchKey/);
    assert.equal(table.items.size, 0);
  });
});
