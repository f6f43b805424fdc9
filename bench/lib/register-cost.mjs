// What registering the extension costs from a worker thread vs from the main thread: a fresh
// Node process either boots a worker_threads Worker (eval'd source, as the library does) and
// waits for its first message, or makes one HTTP POST round trip to a local server (what an
// ES module that can await registration would pay: node:http loaded + one request). Fresh
// processes, interleaved, medians. Neither does the extension's own work; this isolates the
// transport, which is what choosing between them changes.
import { createServer } from 'node:http';
import { lastJsonLine, runChild } from './child.mjs';
import { median } from './stats.mjs';

const WORKER = `
const t0 = performance.now();
const { Worker } = require('node:worker_threads');
const w = new Worker("require('node:worker_threads').parentPort.postMessage(1)", { eval: true });
w.once('message', () => { console.log(JSON.stringify({ ms: performance.now() - t0 })); w.terminate(); });
`;
const HTTP = `
const t0 = performance.now();
const http = require('node:http');
const req = http.request(process.env.URL, { method: 'POST', headers: { 'Lambda-Extension-Name': 'x', 'content-type': 'application/json' } }, (res) => {
  res.resume();
  res.on('end', () => console.log(JSON.stringify({ ms: performance.now() - t0 })));
});
req.end('{"events":["INVOKE","SHUTDOWN"]}');
`;

export async function measureRegisterCost({ node, runs }) {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => { res.setHeader('Lambda-Extension-Identifier', 'id'); res.end('{}'); });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}/2020-01-01/extension/register`;
  const samples = { worker: [], http: [] };
  try {
    for (let i = 0; i < runs; i++) {
      for (const [key, script] of [['worker', WORKER], ['http', HTTP]]) {
        const r = await runChild(node, ['-e', script], { env: { PATH: process.env.PATH ?? '', URL: url }, timeoutMs: 20_000 });
        const out = lastJsonLine(r.stdout);
        if (Number.isFinite(out?.ms)) samples[key].push(out.ms);
      }
    }
  } finally {
    server.close();
  }
  return { runs, workerMs: median(samples.worker), httpMs: median(samples.http), samples };
}
