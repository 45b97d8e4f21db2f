import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { useFakes } from '../src/aws.mjs';
import { handler } from '../src/handlers/api.mjs';
import { FakeTable, setEnv } from './fakes.mjs';

const rest = (httpMethod, { id, body, query } = {}) => ({
  httpMethod,
  pathParameters: id ? { id } : null,
  queryStringParameters: query ?? null,
  body: body ?? null,
  isBase64Encoded: false,
});

describe('api', () => {
  let table;
  beforeEach(() => {
    setEnv();
    table = new FakeTable();
    useFakes({ table });
  });

  const call = async (event) => {
    const result = await handler(event);
    return [result.statusCode, JSON.parse(result.body)];
  };

  it('stores a posted item and returns it', async () => {
    const [status, body] = await call(rest('POST', { body: '{"name":"widget","price":9.5}' }));
    assert.equal(status, 201);
    assert.deepEqual(body.data, { name: 'widget', price: 9.5 });
    const stored = table.items.get(`${body.id}\u0000ITEM`);
    assert.equal(stored.gsi1pk, 'ITEM');
    assert.ok(stored.gsi1sk.startsWith(body.createdAt));
  });

  it('gets a stored item, and 404 for an unknown one', async () => {
    const [, created] = await call(rest('POST', { body: '{"name":"widget"}' }));
    assert.deepEqual(await call(rest('GET', { id: created.id })), [200, created]);
    const [status] = await call(rest('GET', { id: 'missing' }));
    assert.equal(status, 404);
  });

  it('lists newest first, page by page', async () => {
    for (const n of [0, 1, 2]) {
      await table.put({ Item: { pk: `id${n}`, sk: 'ITEM', gsi1pk: 'ITEM', gsi1sk: `2024-01-0${n + 1}#id${n}` } });
    }
    const [status, first] = await call(rest('GET', { query: { limit: '2' } }));
    assert.equal(status, 200);
    assert.deepEqual(first.items.map((i) => i.id), ['id2', 'id1']);
    const [, second] = await call(rest('GET', { query: { limit: '2', cursor: first.cursor } }));
    assert.deepEqual(second.items.map((i) => i.id), ['id0']);
    assert.equal(second.cursor, undefined);
  });

  it('accepts HTTP API events with base64 bodies', async () => {
    const event = { requestContext: { http: { method: 'POST' } }, body: Buffer.from('{"a":1}').toString('base64'), isBase64Encoded: true };
    const [status, body] = await call(event);
    assert.deepEqual([status, body.data], [201, { a: 1 }]);
  });

  it('answers bad requests with 400 and stores nothing', async () => {
    for (const event of [
      rest('POST', { body: 'not json' }),
      rest('POST', { body: '[1]' }),
      rest('GET', { query: { limit: '0' } }),
      rest('GET', { query: { cursor: '!!' } }),
    ]) {
      const [status, body] = await call(event);
      assert.equal(status, 400, JSON.stringify(event));
      assert.ok(body.message);
    }
    assert.equal(table.items.size, 0);
  });

  it('answers other methods with 405', async () => {
    const [status] = await call(rest('DELETE', { id: 'x' }));
    assert.equal(status, 405);
  });
});
