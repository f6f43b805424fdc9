// The Lambda layer as Lambda uses it: `npm run layer`'s zip unpacked into an /opt-like
// directory, AWS_LAMBDA_EXEC_WRAPPER=<opt>/otel-lambda-flush-wrapper, NODE_PATH as Lambda sets
// it, and functions outside the repository (nothing can come from its node_modules): a CommonJS
// handler that requires @opentelemetry/api from the layer with a module-scope meter, and an
// esbuild ESM bundle carrying its own copy of the API.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invocationAndChild, repoRoot, startZeroCode, zeroFixtures, type Pair } from './zero-code-helpers.js';
// @ts-expect-error plain .mjs build helper without types
import { crc32 } from '../../scripts/zip.mjs';

/** Unpacks a zip (stored or deflated entries) with its Unix modes; checks every CRC. */
function unzip(file: string, to: string): string[] {
  const buf = readFileSync(file);
  const end = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = buf.readUInt16LE(end + 10);
  let p = buf.readUInt32LE(end + 16);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error(`bad central directory entry ${i}`);
    const method = buf.readUInt16LE(p + 10);
    const crc = buf.readUInt32LE(p + 16);
    const size = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const skip = buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
    const mode = buf.readUInt32LE(p + 38) >>> 16;
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    p += 46 + nameLen + skip;
    const target = join(to, name);
    if (name.endsWith('/')) {
      mkdirSync(target, { recursive: true });
      continue;
    }
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const body = buf.subarray(start, start + size);
    const data = method === 8 ? inflateRawSync(body) : body;
    if (crc32(data) !== crc) throw new Error(`CRC mismatch: ${name}`);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, data);
    chmodSync(target, mode & 0o777);
    names.push(name);
  }
  return names;
}

let work = '';
let opt = '';
let fnDir = '';

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'otel-lambda-flush-layer-'));
  execFileSync(process.execPath, [join(repoRoot, 'scripts/layer.mjs'), '--out', join(work, 'layer.zip')], { stdio: 'pipe', timeout: 120_000 });
  opt = join(work, 'opt');
  unzip(join(work, 'layer.zip'), opt);
  fnDir = join(work, 'task');
  mkdirSync(fnDir);
  copyFileSync(join(zeroFixtures, 'cjs/index.js'), join(fnDir, 'index.js'));
  copyFileSync(join(zeroFixtures, 'cjs/package.json'), join(fnDir, 'package.json'));
  await build({ entryPoints: [join(zeroFixtures, 'bundle-src/app.mjs')], bundle: true, platform: 'node', target: 'node22', format: 'esm', outfile: join(fnDir, 'bundle.mjs'), logLevel: 'error' });
});
afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('layer', () => {
  it('has the wrapper at its root (executable) and the library under nodejs/node_modules', () => {
    expect(statSync(join(opt, 'otel-lambda-flush-wrapper')).mode & 0o111).toBe(0o111);
    for (const f of ['dist/esm/zero-code/handler.js', 'dist/esm/zero-code/register.js', 'dist/cjs/zero-code/register.cjs', 'dist/esm/index.js', 'dist/cjs/index.cjs', 'package.json', 'THIRD_PARTY_LICENSES']) {
      expect(statSync(join(opt, 'nodejs/node_modules/otel-lambda-flush', f)).isFile(), f).toBe(true);
    }
    expect(statSync(join(opt, 'nodejs/node_modules/@opentelemetry/api/build/src/index.js')).isFile()).toBe(true);
  });

  describe.each([
    ['CommonJS handler using the layer’s @opentelemetry/api', 'index.handler', 'cjs'],
    ['esbuild ESM bundle with its own API copy', 'bundle.handler', 'bundle'],
  ])('%s', (_name, handler, format) => {
    let pair: Pair | undefined;
    afterAll(async () => {
      await pair?.close();
    });

    it('every invoke’s spans at the freeze, the module-scope counter counts each invoke', async () => {
      pair = await startZeroCode({
        taskRoot: fnDir,
        handler,
        execWrapper: join(opt, 'otel-lambda-flush-wrapper'),
        env: { NODE_PATH: `${join(opt, 'nodejs/node_modules')}:${fnDir}` },
      });
      for (let n = 0; n < 3; n++) {
        const r = await pair.sim.invoke({ n });
        expect(r.status, `${JSON.stringify(r.error)}\n${pair.sim.logs.slice(-10).join('\n')}`).toBe('success');
        expect((r.response as { format: string }).format).toBe(format);
        const { invocation, child } = invocationAndChild(pair.atFreeze.get(r.requestId) ?? [], r.requestId);
        expect(invocation, `invoke ${n}`).toBeDefined();
        expect(child, `invoke ${n}`).toBeDefined();
      }
      const total = pair.rx.metrics('zero_code.invocations').reduce((sum, p) => sum + Number((p as { value?: number }).value ?? 0), 0);
      expect(total).toBe(3);
    });
  });
});
