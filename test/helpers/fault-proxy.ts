import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback HTTP proxy between spec3 and the local AWS that injects faults per AWS operation:
 * throttling in the protocol's own shape, HTTP 500 and 503, dropped connections and slow answers.
 * Random faults come from a seeded PRNG, so a run injects the same faults every time for the same
 * sequence of calls. Point `AWS_ENDPOINT_URL` at `endpoint`.
 */
export type FaultKind = 'throttle' | '500' | '503' | 'drop' | 'slow';

export interface FaultRule {
  /** Operation name, e.g. `ExecuteChangeSet`, `DescribeStacks`, `PutParameter`; `*` for any. */
  readonly operation: string;
  readonly kind: FaultKind;
  /** Only calls whose body contains this, e.g. `StackName=demo-dev-storage`; `nth` counts these calls only. */
  readonly match?: string;
  /** First call of `operation` (1-based) the rule applies to; default the first. */
  readonly nth?: number;
  /** How many calls from `nth` on; default 1. `Infinity` for every later call. */
  readonly count?: number;
  /** Forward the request first and lose or spoil the answer (the call took effect); default: it never reaches AWS. */
  readonly afterForward?: boolean;
}

export interface FaultRates {
  /** Chance per call of each kind, 0..1, checked in this order; operations in `only` (default all). */
  readonly throttle?: number;
  readonly error500?: number;
  readonly error503?: number;
  readonly drop?: number;
  readonly slow?: number;
  readonly only?: readonly string[];
}

export interface FaultProxyOptions {
  /** Where the real (local) AWS answers, e.g. `http://localhost:PORT`. */
  readonly upstream: string;
  readonly seed?: number;
  readonly rates?: FaultRates;
  readonly rules?: readonly FaultRule[];
  /** Delay of a slow answer; default 300 ms. */
  readonly slowMs?: number;
}

export interface FaultProxy {
  readonly endpoint: string;
  /** Faults injected so far: `kind -> operation -> count`. */
  injected(): Record<string, Record<string, number>>;
  /** Faults injected so far by kind, and in all. */
  totals(): Record<string, number> & { all: number };
  /** Calls seen so far per operation. */
  calls(): Record<string, number>;
  /** Replaces the rules and rates from now on (call counts are kept). */
  configure(options: { rates?: FaultRates; rules?: readonly FaultRule[] }): void;
  close(): Promise<void>;
}

/** mulberry32: a tiny PRNG that is good enough to spread faults and is fully determined by its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Protocol = 'json' | 'query' | 'rest';

/** The operation a request calls, and its protocol: `X-Amz-Target` (JSON), `Action=` (query), else REST (S3, Lambda). */
export function operationOf(
  method: string,
  url: string,
  headers: http.IncomingHttpHeaders, body: string): { operation: string; protocol: Protocol } {
  const target = headers['x-amz-target'];
  if (typeof target === 'string') return { operation: target.slice(target.lastIndexOf('.') + 1), protocol: 'json' };
  const action = /(?:^|&)Action=([^&]+)/.exec(body) ?? /[?&]Action=([^&]+)/.exec(url);
  if (action) return { operation: decodeURIComponent(action[1]!), protocol: 'query' };
  return { operation: `REST ${method}`, protocol: 'rest' };
}

const ERRORS: Record<'throttle' | '500' | '503', { status: number; code: string; json: string; message: string }> = {
  throttle: { status: 400, code: 'Throttling', json: 'ThrottlingException', message: 'Rate exceeded' },
  '500': { status: 500, code: 'InternalFailure', json: 'InternalFailure', message: 'An internal error occurred' },
  '503': { status: 503, code: 'ServiceUnavailable', json: 'ServiceUnavailableException', message: 'Service is unavailable' },
};

function errorResponse(kind: 'throttle' | '500' | '503', protocol: Protocol, requestId: string): { status: number; type: string; body: string } {
  const e = ERRORS[kind];
  if (protocol === 'json') {
    return { status: e.status, type: 'application/x-amz-json-1.1', body: JSON.stringify({ __type: e.json, message: e.message }) };
  }
  if (protocol === 'query') {
    const type = kind === 'throttle' ? 'Sender' : 'Receiver';
    return {
      status: e.status,
      type: 'text/xml',
      body: `<ErrorResponse><Error><Type>${type}</Type><Code>${e.code}</Code><Message>${e.message}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
    };
  }
  // S3's own throttling answer is 503 SlowDown.
  const rest = kind === 'throttle' ? { status: 503, code: 'SlowDown', message: 'Please reduce your request rate.' } : { status: e.status, code: e.code, message: e.message };
  return { status: rest.status, type: 'application/xml', body: `<Error><Code>${rest.code}</Code><Message>${rest.message}</Message><RequestId>${requestId}</RequestId></Error>` };
}

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const upstream = new URL(options.upstream);
  const random = seededRandom(options.seed ?? 1);
  let rates = options.rates ?? {};
  let rules = [...(options.rules ?? [])];
  const seen = new Map<string, number>();
  const injected = new Map<string, Map<string, number>>();
  const slowMs = options.slowMs ?? 300;
  let requestNo = 0;

  const count = (kind: FaultKind, operation: string) => {
    const byOp = injected.get(kind) ?? new Map<string, number>();
    byOp.set(operation, (byOp.get(operation) ?? 0) + 1);
    injected.set(kind, byOp);
  };

  /** The fault for this call, if any: explicit rules first, then the random rates. */
  const matched = new Map<FaultRule, number>();
  const choose = (operation: string, body: string): { kind: FaultKind; afterForward: boolean } | undefined => {
    let hit: FaultRule | undefined;
    for (const r of rules) {
      if (r.operation !== operation && r.operation !== '*') continue;
      if (r.match !== undefined && !body.includes(r.match)) continue;
      // Every rule counts its own calls, whether or not an earlier rule took this one.
      const n = (matched.get(r) ?? 0) + 1;
      matched.set(r, n);
      const from = r.nth ?? 1;
      if (!hit && n >= from && n < from + (r.count ?? 1)) hit = r;
    }
    if (hit) return { kind: hit.kind, afterForward: Boolean(hit.afterForward) };
    if (rates.only && !rates.only.includes(operation)) return undefined;
    // One draw per rate and call, so the sequence of faults does not depend on which rates are set.
    const draws = [random(), random(), random(), random(), random()];
    const pick: [FaultKind, number | undefined][] = [
      ['throttle', rates.throttle],
      ['500', rates.error500],
      ['503', rates.error503],
      ['drop', rates.drop],
      ['slow', rates.slow],
    ];
    for (const [i, [kind, rate]] of pick.entries()) if (rate && draws[i]! < rate) return { kind, afterForward: false };
    return undefined;
  };

  const forward = (req: http.IncomingMessage, body: Buffer): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> =>
    new Promise((resolve, reject) => {
      const out = http.request(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }));
          res.on('error', reject);
        },
      );
      out.on('error', reject);
      out.end(body);
    });

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks);
        const { operation, protocol } = operationOf(req.method ?? 'GET', req.url ?? '/', req.headers, body.toString('utf8'));
        seen.set(operation, (seen.get(operation) ?? 0) + 1);
        const fault = choose(operation, body.toString('utf8'));
        if (fault) count(fault.kind, operation);
        if (fault?.kind === 'slow') await new Promise((r) => setTimeout(r, slowMs));
        if (fault?.kind === 'drop' && !fault.afterForward) return void req.socket.destroy();
        if (fault && fault.kind !== 'slow' && fault.kind !== 'drop' && !fault.afterForward) {
          const e = errorResponse(fault.kind, protocol, `fault-${++requestNo}`);
          res.writeHead(e.status, { 'content-type': e.type, 'x-amzn-requestid': `fault-${requestNo}` });
          return void res.end(e.body);
        }
        const answer = await forward(req, body);
        if (fault?.kind === 'drop') return void req.socket.destroy();
        if (fault && fault.kind !== 'slow') {
          const e = errorResponse(fault.kind, protocol, `fault-${++requestNo}`);
          res.writeHead(e.status, { 'content-type': e.type });
          return void res.end(e.body);
        }
        const headers = { ...answer.headers };
        delete headers['transfer-encoding'];
        headers['content-length'] = String(answer.body.length);
        res.writeHead(answer.status, headers);
        res.end(answer.body);
      })().catch(() => req.socket.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    // `localhost`, not 127.0.0.1: the local AWS would read "127" as a bucket name (see MOTO.md).
    endpoint: `http://localhost:${port}`,
    injected: () => Object.fromEntries([...injected].map(([kind, byOp]) => [kind, Object.fromEntries(byOp)])),
    totals: () => {
      const totals: Record<string, number> = {};
      for (const [kind, byOp] of injected) totals[kind] = [...byOp.values()].reduce((a, b) => a + b, 0);
      return { ...totals, all: Object.values(totals).reduce((a, b) => a + b, 0) };
    },
    calls: () => Object.fromEntries(seen),
    configure: (next) => {
      if (next.rates) rates = next.rates;
      if (next.rules) rules = [...next.rules];
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
