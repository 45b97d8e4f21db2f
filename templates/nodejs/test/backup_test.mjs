import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { useFakes } from '../src/aws.mjs';
import { handler } from '../src/handlers/backup.mjs';
import { ENV, FakeS3, FakeTable, setEnv } from './fakes.mjs';

describe('backup', () => {
  let s3;
  beforeEach(() => {
    setEnv();
    s3 = new FakeS3();
  });

  it('exports every page of the table under the schedule date', async () => {
    const items = [0, 1, 2, 3, 4].map((n) => ({ pk: `id${n}`, sk: 'ITEM', tags: new Set(['b', 'a']) }));
    useFakes({ table: new FakeTable(items), s3 });
    assert.deepEqual(await handler({ time: '2024-05-01T03:00:00Z' }), { key: 'backups/2024-05-01.json', count: 5 });
    const put = s3.puts[0];
    assert.deepEqual([put.Bucket, put.Key, put.ContentType], [ENV.BUCKET_NAME, 'backups/2024-05-01.json', 'application/json']);
    const exported = JSON.parse(put.Body);
    assert.equal(exported.table, ENV.TABLE_NAME);
    assert.deepEqual(exported.items.map((i) => i.pk), ['id0', 'id1', 'id2', 'id3', 'id4']);
    assert.deepEqual(exported.items[0].tags, ['a', 'b']);
  });

  it('writes an export for an empty table too', async () => {
    useFakes({ table: new FakeTable(), s3 });
    const result = await handler({});
    assert.equal(result.count, 0);
    assert.match(result.key, /^backups\/\d{4}-\d{2}-\d{2}\.json$/);
  });
});
