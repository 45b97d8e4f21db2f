// Items API behind API Gateway: GET /items, POST /items, GET /items/{id}.
// An item is stored as pk=<id>, sk="ITEM". The index gsi1 (gsi1pk="ITEM", gsi1sk="<created>#<id>")
// lists items newest first with a Query, never a Scan. Accepts REST (v1) and HTTP API (v2) events.
import { randomUUID } from 'node:crypto';
import { aws } from '../aws.mjs';
import { nowIso, setting } from '../common.mjs';

const ITEM = 'ITEM';
const DEFAULT_LIMIT = 25;
const MAX_LIMIT = 100;

/** The request is wrong; answered with 400 and this message. */
class BadRequest extends Error {}

export async function handler(event) {
  const method = event.httpMethod ?? event.requestContext?.http?.method ?? '';
  const id = event.pathParameters?.id;
  try {
    if (method === 'GET' && id === undefined) return await listItems(event.queryStringParameters ?? {});
    if (method === 'POST' && id === undefined) return await createItem(jsonBody(event));
    if (method === 'GET') return await getItem(id);
    return response(405, { message: `${method} is not supported here` });
  } catch (error) {
    if (error instanceof BadRequest) return response(400, { message: error.message });
    throw error;
  }
}

async function createItem(data) {
  const id = randomUUID();
  const createdAt = nowIso();
  const item = { pk: id, sk: ITEM, gsi1pk: ITEM, gsi1sk: `${createdAt}#${id}`, createdAt, data };
  // The condition turns the (astronomically unlikely) id collision into an error, not an overwrite.
  const table = await aws('table');
  await table.put({ TableName: setting('TABLE_NAME'), Item: item, ConditionExpression: 'attribute_not_exists(pk)' });
  return response(201, publicItem(item));
}

async function getItem(id) {
  const table = await aws('table');
  const { Item } = await table.get({ TableName: setting('TABLE_NAME'), Key: { pk: id, sk: ITEM } });
  return Item ? response(200, publicItem(Item)) : response(404, { message: `item ${id} not found` });
}

async function listItems(query) {
  const params = {
    TableName: setting('TABLE_NAME'),
    IndexName: 'gsi1',
    KeyConditionExpression: 'gsi1pk = :pk',
    ExpressionAttributeValues: { ':pk': ITEM },
    ScanIndexForward: false,
    Limit: parseLimit(query.limit),
  };
  if (query.cursor) params.ExclusiveStartKey = decodeCursor(query.cursor);
  const table = await aws('table');
  const page = await table.query(params);
  const body = { items: (page.Items ?? []).map(publicItem) };
  if (page.LastEvaluatedKey) body.cursor = Buffer.from(JSON.stringify(page.LastEvaluatedKey)).toString('base64url');
  return response(200, body);
}

function jsonBody(event) {
  const raw = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : (event.body ?? '');
  let body;
  try {
    body = JSON.parse(raw);
  } catch {
    throw new BadRequest('the body must be JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new BadRequest('the body must be a JSON object');
  return body;
}

function parseLimit(raw) {
  if (raw === undefined) return DEFAULT_LIMIT;
  const limit = Number(raw);
  if (!/^\d+$/.test(raw) || limit < 1 || limit > MAX_LIMIT) throw new BadRequest(`limit must be a whole number from 1 to ${MAX_LIMIT}`);
  return limit;
}

function decodeCursor(cursor) {
  let key;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new BadRequest('invalid cursor');
  }
  if (typeof key !== 'object' || key === null || !Object.values(key).every((v) => typeof v === 'string')) {
    throw new BadRequest('invalid cursor');
  }
  return key;
}

/** What clients see of an item: no table keys. */
const publicItem = (item) => ({ id: item.pk, createdAt: item.createdAt, data: item.data ?? {} });

const response = (statusCode, body) => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});
