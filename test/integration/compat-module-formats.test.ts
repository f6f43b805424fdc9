// The same wrapped handler as an .mjs module, a .cjs module and two esbuild bundles (CJS and ESM,
// everything inlined), each under the real runtime client on Node 24 through the simulator: every
// invoke's span (and its child) is at the receiver before the freeze, none lost.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LambdaSimulator, OtlpReceiver, type ReceivedSpan } from '../../src/testing/index.js';
import { compatFixtures, nodeBinary } from '../fixtures/compat/nodes.js';

const INVOKES = 20;

interface Variant {
  name: string;
  /** The format the handler answers with. */
  format: 'esm' | 'cjs';
  taskRoot: () => string;
  handler: string;
}

// Bundles go outside the repository: with no node_modules above them, anything the bundle did
// not inline would fail to load.
let bundleDir = '';

const variants: Variant[] = [
  { name: '.mjs module', format: 'esm', taskRoot: () => compatFixtures, handler: 'esm.handler' },
  { name: '.cjs module', format: 'cjs', taskRoot: () => compatFixtures, handler: 'cjs.handler' },
  { name: 'esbuild bundle, --format=cjs', format: 'cjs', taskRoot: () => bundleDir, handler: 'bundle-cjs.handler' },
  { name: 'esbuild bundle, --format=esm', format: 'esm', taskRoot: () => bundleDir, handler: 'bundle-esm.handler' },
];

beforeAll(async () => {
  bundleDir = mkdtempSync(join(tmpdir(), 'otel-lambda-flush-compat-'));
  const common = { bundle: true, platform: 'node', target: 'node22', logLevel: 'error', write: true } as const;
  await build({ ...common, entryPoints: [join(compatFixtures, 'cjs.cjs')], format: 'cjs', outfile: join(bundleDir, 'bundle-cjs.cjs') });
  // ESM output still inlines the CommonJS builds of OpenTelemetry packages (esbuild's node main
  // fields pick `main`), whose require() of Node built-ins needs a real require: the usual banner.
  const banner = { js: "import { createRequire as __compatCreateRequire } from 'node:module'; const require = __compatCreateRequire(import.meta.url);" };
  await build({ ...common, entryPoints: [join(compatFixtures, 'esm.mjs')], format: 'esm', banner, outfile: join(bundleDir, 'bundle-esm.mjs') });
});

afterAll(() => {
  if (bundleDir) rmSync(bundleDir, { recursive: true, force: true });
});

describe.each(variants)('$name under the real runtime client (Node 24)', (variant) => {
  let rx: OtlpReceiver;
  let sim: LambdaSimulator;
  const atFreeze = new Map<string, ReceivedSpan[]>();

  beforeAll(async () => {
    rx = await OtlpReceiver.start();
    sim = await LambdaSimulator.start({
      taskRoot: variant.taskRoot(),
      handler: variant.handler,
      nodeBinary: nodeBinary(24),
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: rx.url,
        OTEL_METRICS_EXPORTER: 'none',
        OTEL_LOGS_EXPORTER: 'none',
        // Only a flush exports: the batch processor's own timer never fires during the test.
        OTEL_BSP_SCHEDULE_DELAY: '600000',
      },
      onFreeze: ({ requestId }) => {
        atFreeze.set(requestId, rx.spans());
      },
    });
  });
  afterAll(async () => {
    await sim?.close();
    await rx?.close();
  });

  it(`${INVOKES} invokes: each span and its child reach the receiver before the freeze, 0 lost`, async () => {
    const requestIds: string[] = [];
    for (let n = 0; n < INVOKES; n++) {
      const r = await sim.invoke({ n });
      const where = `invoke ${n} (${variant.name})`;
      expect(r.status, `${where}: ${JSON.stringify(r.error)}\n${sim.logs.slice(-10).join('\n')}`).toBe('success');
      expect(r.response).toEqual({ format: variant.format, n });
      expect(r.frozen, where).toBe(true);
      const seen = atFreeze.get(r.requestId);
      expect(seen, `${where}: onFreeze ran`).toBeDefined();
      const span = seen!.find((s) => s.attributes['faas.invocation_id'] === r.requestId);
      expect(span, `${where}: invocation span at the freeze`).toBeDefined();
      expect(span!.attributes['faas.coldstart']).toBe(n === 0);
      const child = seen!.find((s) => s.name === 'compat-child' && s.parentSpanId === span!.spanId);
      expect(child, `${where}: child span, parented to the invocation span, at the freeze`).toBeDefined();
      expect(child!.traceId).toBe(span!.traceId);
      requestIds.push(r.requestId);
    }
    // Nothing lost, nothing exported twice.
    const invocationSpans = rx.spans().filter((s) => requestIds.includes(String(s.attributes['faas.invocation_id'])));
    expect(invocationSpans).toHaveLength(INVOKES);
    expect(new Set(invocationSpans.map((s) => s.attributes['faas.invocation_id'])).size).toBe(INVOKES);
    expect(rx.spans({ name: 'compat-child' })).toHaveLength(INVOKES);
  });
});
