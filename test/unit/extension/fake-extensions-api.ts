// A small stand-in for the Extensions + Telemetry APIs, to test the worker in isolation
// (the integration tests use the kit's real simulator).
import { createServer, request, type IncomingMessage, type ServerResponse, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeOptions {
  /** Reply to /register with this status (default 200). */
  registerStatus?: number;
  /** Delay the /register reply (ms). */
  registerDelayMs?: number;
  /** Reply to /telemetry with this status (default 200). */
  telemetryStatus?: number;
}

export interface Registration {
  name: string | undefined;
  events: unknown;
}

export class FakeExtensionsApi {
  readonly registrations: Registration[] = [];
  readonly subscriptions: Record<string, unknown>[] = [];
  /** Times (performance.now) of each /event/next call. */
  readonly nextCalls: number[] = [];
  private pendingNext: ServerResponse | undefined;
  private queue: unknown[] = [];
  private nextWaiters: (() => void)[] = [];

  private constructor(
    private readonly server: Server,
    readonly options: FakeOptions,
  ) {}

  static async start(options: FakeOptions = {}): Promise<FakeExtensionsApi> {
    const server = createServer();
    const fake = new FakeExtensionsApi(server, options);
    server.on('request', (req, res) => void fake.handle(req, res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return fake;
  }

  get runtimeApi(): string {
    return `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Hands an event to the pending (or next) /event/next. */
  push(event: unknown): void {
    if (this.pendingNext) {
      const res = this.pendingNext;
      this.pendingNext = undefined;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(event));
    } else {
      this.queue.push(event);
    }
  }

  /** Resolves when /event/next has been called `count` times in all (bounded). */
  async waitForNextCalls(count: number, timeoutMs = 5000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (this.nextCalls.length < count) {
      if (Date.now() > until) throw new Error(`only ${this.nextCalls.length} /event/next calls, expected ${count}`);
      await new Promise<void>((r) => {
        this.nextWaiters.push(r);
        setTimeout(r, 50);
      });
    }
  }

  /** POSTs a Telemetry API batch to the subscribed destination. */
  async deliver(body: unknown, uri = this.destination()): Promise<number> {
    const payload = typeof body === 'string' ? body : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = request(uri, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end(payload);
    });
  }

  destination(): string {
    const sub = this.subscriptions.at(-1) as { destination?: { URI?: string } } | undefined;
    const uri = sub?.destination?.URI;
    if (!uri) throw new Error('no subscription');
    return uri.replace('sandbox.localdomain', '127.0.0.1');
  }

  async close(): Promise<void> {
    this.pendingNext?.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const url = req.url ?? '';
    if (req.method === 'POST' && url === '/2020-01-01/extension/register') {
      if (this.options.registerDelayMs) await new Promise((r) => setTimeout(r, this.options.registerDelayMs));
      this.registrations.push({ name: req.headers['lambda-extension-name'] as string | undefined, events: (JSON.parse(text) as { events: unknown }).events });
      const status = this.options.registerStatus ?? 200;
      if (status !== 200) {
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ errorType: 'Extension.RegistrationClosed', errorMessage: 'closed' }));
        return;
      }
      res.writeHead(200, { 'lambda-extension-identifier': 'ext-id-1', 'content-type': 'application/json' });
      res.end(JSON.stringify({ functionName: 'f', functionVersion: '$LATEST', handler: 'index.handler' }));
      return;
    }
    if (req.method === 'GET' && url === '/2020-01-01/extension/event/next') {
      if (req.headers['lambda-extension-identifier'] !== 'ext-id-1') {
        res.writeHead(403).end();
        return;
      }
      this.nextCalls.push(performance.now());
      for (const w of this.nextWaiters.splice(0)) w();
      const queued = this.queue.shift();
      if (queued !== undefined) res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(queued));
      else this.pendingNext = res;
      return;
    }
    if (req.method === 'PUT' && url === '/2022-07-01/telemetry') {
      this.subscriptions.push(JSON.parse(text) as Record<string, unknown>);
      const status = this.options.telemetryStatus ?? 200;
      res.writeHead(status, { 'content-type': 'application/json' }).end(status === 200 ? '"OK"' : JSON.stringify({ errorType: 'Telemetry.Refused' }));
      return;
    }
    res.writeHead(404).end();
  }
}
