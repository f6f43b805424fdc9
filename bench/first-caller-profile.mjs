// Where the first caller's time goes: loads a function module (unbundled by default: the
// handler with node_modules beside it), then runs its first invoke, exporting OTLP/HTTP to a
// local receiver that answers 200 at once; prints the time of each phase and, with --cpu-prof,
// leaves a profile covering both. `node bench/first-caller-profile.mjs <module file>`.
// bench/run.mjs summarises it per package (bench/lib/first-caller.mjs).
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

// require, not import: an ES import of node:http makes Node build its ESM facade, which loads
// undici (fetch) too, tens of ms that the function under test would then not pay itself.
const { createServer } = createRequire(import.meta.url)('node:http');

const file = process.argv[2];
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => { res.setHeader('content-type', 'application/json'); res.end('{}'); });
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
process.env.OTEL_EXPORTER_OTLP_ENDPOINT = `http://127.0.0.1:${server.address().port}`;
const t0 = performance.now();
const mod = await import(pathToFileURL(file).href);
if (typeof mod.ready?.then === 'function') await mod.ready;
const t1 = performance.now();
const deadline = Date.now() + 3000;
await mod.handler({}, {
  awsRequestId: '00000000-0000-4000-8000-000000000001', functionName: 'bench-profile', functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:bench-profile', memoryLimitInMB: '128',
  getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
});
const t2 = performance.now();
process.stdout.write(`${JSON.stringify({ loadMs: t1 - t0, firstInvokeMs: t2 - t1, undiciLoaded: process.moduleLoadList.some((m) => m.includes("undici")) })}\n`);
server.close();
process.exit(0);
