// SIGTERM (sent because the fixture registers an internal extension) and an esbuild bundle.
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LambdaSimulator, OtlpReceiver } from '../../src/testing/index.js';
import { coreFixtures, invocationSpan, startPair } from './core-helpers.js';

describe('SIGTERM', () => {
  it('pending telemetry is exported at SIGTERM and the process exits within the grace period', async () => {
    const { rx, sim, close } = await startPair('sigterm.handler');
    try {
      expect(sim.extensions.map((e) => e.name)).toContain('fixture-sigterm');
      rx.setBehavior({ delayMs: 150 }); // the invoke's flush is on the wire when the late span ends
      const r = await sim.invoke({ lateSpanMs: 30 });
      expect(r.status).toBe('success');
      expect(invocationSpan(rx.spans(), r.requestId)).toBeDefined();
      expect(rx.spans({ name: 'late-span' })).toHaveLength(0); // pending at the freeze
      rx.setBehavior({ delayMs: 0 });
      const s = await sim.shutdown();
      expect(s.signal).toBe('SIGTERM');
      expect(s.exitedWithinGrace).toBe(true);
      expect(s.durationMs).toBeLessThan(500);
      expect(rx.spans({ name: 'late-span' })).toHaveLength(1);
    } finally {
      await close();
    }
  });
});

describe('esbuild bundle', () => {
  it('a handler bundled with esbuild (library and SDK inlined) flushes its spans', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'olf-bundle-'));
    const rx = await OtlpReceiver.start();
    let sim: LambdaSimulator | undefined;
    try {
      await build({
        entryPoints: [join(coreFixtures, 'bundle-entry.mjs')],
        outfile: join(dir, 'index.mjs'),
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node22',
        banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
        logLevel: 'error',
      });
      sim = await LambdaSimulator.start({
        taskRoot: dir,
        handler: 'index.handler',
        ricPath: join(process.cwd(), 'node_modules/aws-lambda-ric/index.mjs'),
        env: { OTEL_EXPORTER_OTLP_ENDPOINT: rx.url, OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none' },
      });
      for (let n = 0; n < 3; n++) {
        const r = await sim.invoke({ n });
        expect(r.response).toEqual({ bundled: true, n });
        expect(invocationSpan(rx.spans(), r.requestId)).toBeDefined();
      }
    } finally {
      await sim?.close();
      await rx.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
