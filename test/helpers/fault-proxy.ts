import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback HTTP proxy between spec3 and the local AWS that injects faults per AWS operation:
 * throttling in the protocol's own shape, HTTP 500 and 503, dropped connections and slow answers,
 * AWS's access-denied and expired-token answers, any other AWS error, a call held unanswered for
 * ever, and an outage in which the endpoint refuses every connection for some seconds.
 * Random faults come from a seeded PRNG, so a run injects the same faults every time for the same
 * sequence of calls. Point `AWS_ENDPOINT_URL` at `endpoint`.
 */
export type FaultKind = 'throttle' | '500' | '503' | 'drop' | 'slow' | 'denied' | 'expired' | 'error' | 'hold' | 'outage';

/** An AWS error answer of the `error` kind, in the protocol's own shape. */
export interface AwsErrorAnswer {
  readonly status: number;
  readonly code: string;
  readonly message: string;
}

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
  /** For `outage`: how long every connection is refused, from the matching call on (which is refused too). */
  readonly seconds?: number;
  /** For `error`: the answer. */
  readonly error?: AwsErrorAnswer;
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
  /** Calls held unanswered so far (`hold`). */
  held(): number;
  /** Resolves when an outage has ended and the endpoint answers again. */
  outageOver(): Promise<void>;
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

type ErrorKind = 'throttle' | '500' | '503' | 'denied' | 'expired' | 'error';

/**
 * AWS's answers, as the API references give them: query protocol (CloudFormation, STS) codes, and
 * the JSON protocol's (SSM) `__type`. Access denied names the principal and the action, as IAM does.
 */
const ERRORS: Record<Exclude<ErrorKind, 'error'>, { status: number; code: string; json: string; message: string }> = {
  throttle: { status: 400, code: 'Throttling', json: 'ThrottlingException', message: 'Rate exceeded' },
  '500': { status: 500, code: 'InternalFailure', json: 'InternalFailure', message: 'An internal error occurred' },
  '503': { status: 503, code: 'ServiceUnavailable', json: 'ServiceUnavailableException', message: 'Service is unavailable' },
  denied: {
    status: 403,
    code: 'AccessDenied',
    json: 'AccessDeniedException',
    message: 'User: arn:aws:iam::123456789012:user/dev is not authorized to perform: %ACTION% because no identity-based policy allows the %ACTION% action',
  },
  expired: { status: 400, code: 'ExpiredToken', json: 'ExpiredTokenException', message: 'The security token included in the request is expired' },
};

/** The IAM action of an operation, for the access-denied message. */
const actionOf = (operation: string, protocol: Protocol, target: string | undefined): string =>
  protocol === 'json' && target ? `ssm:${operation}` : `${/^(GetCallerIdentity|AssumeRole)$/.test(operation) ? 'sts' : 'cloudformation'}:${operation}`;

function errorResponse(
  kind: ErrorKind,
  protocol: Protocol,
  requestId: string,
  call: { operation: string; target?: string; answer?: AwsErrorAnswer },
): { status: number; type: string; body: string } {
  const base = kind === 'error' ? { ...call.answer!, json: call.answer!.code } : ERRORS[kind];
  const e = { ...base, message: base.message.replaceAll('%ACTION%', actionOf(call.operation, protocol, call.target)) };
  if (protocol === 'json') {
    return { status: e.status, type: 'application/x-amz-json-1.1', body: JSON.stringify({ __type: e.json, message: e.message }) };
  }
  if (protocol === 'query') {
    const type = e.status < 500 ? 'Sender' : 'Receiver';
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
  const choose = (operation: string, body: string): { kind: FaultKind; afterForward: boolean; rule?: FaultRule } | undefined => {
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
    if (hit) return { kind: hit.kind, afterForward: Boolean(hit.afterForward), rule: hit };
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

  let heldCalls = 0;
  let outage: Promise<void> = Promise.resolve();
  /** Stops listening and cuts every connection: callers get ECONNREFUSED until it listens again on the same port. */
  const startOutage = (seconds: number) => {
    outage = new Promise<void>((resolve) => {
      server.close();
      server.closeAllConnections();
      setTimeout(() => {
        const reopen = () => {
          server.once('error', () => setTimeout(reopen, 100));
          server.listen(port, '127.0.0.1', () => resolve());
        };
        reopen();
      }, seconds * 1000);
    });
  };

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
        if (fault?.kind === 'outage') {
          req.socket.destroy();
          return void startOutage(fault.rule?.seconds ?? 60);
        }
        // Never answered: only the caller's own timeout (or the proxy's close) ends it.
        if (fault?.kind === 'hold') return void (heldCalls += 1);
        if (fault?.kind === 'slow') await new Promise((r) => setTimeout(r, slowMs));
        if (fault?.kind === 'drop' && !fault.afterForward) return void req.socket.destroy();
        const target = typeof req.headers['x-amz-target'] === 'string' ? req.headers['x-amz-target'] : undefined;
        const call = { operation, ...(target ? { target } : {}), ...(fault?.rule?.error ? { answer: fault.rule.error } : {}) };
        if (fault && fault.kind !== 'slow' && fault.kind !== 'drop' && !fault.afterForward) {
          const e = errorResponse(fault.kind, protocol, `fault-${++requestNo}`, call);
          res.writeHead(e.status, { 'content-type': e.type, 'x-amzn-requestid': `fault-${requestNo}` });
          return void res.end(e.body);
        }
        const answer = await forward(req, body);
        if (fault?.kind === 'drop') return void req.socket.destroy();
        if (fault && fault.kind !== 'slow') {
          const e = errorResponse(fault.kind as ErrorKind, protocol, `fault-${++requestNo}`, call);
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
    held: () => heldCalls,
    outageOver: () => outage,
    configure: (next) => {
      if (next.rates) rates = next.rates;
      if (next.rules) rules = [...next.rules];
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        if (!server.listening) return resolve();
        server.close(() => resolve());
      }),
  };
}
