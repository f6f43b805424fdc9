#!/usr/bin/env node
// Mutation exercise: does the suite notice small breaks of promised behaviour?
//
// Copies the repository (tracked and untracked, not ignored, files) to a scratch directory
// with node_modules symlinked, then for each mutation: replaces `from` by `to` in one file of
// the copy, builds dist/ when an integration test is named, runs the named test files (bail at
// the first failure) and restores the file. "caught" = the tests failed; "missed" = they
// passed; "stale" = `from` is not found exactly once (the source moved on: update the entry).
// The working tree is never touched. Not part of `npm test`: it takes minutes.
//
//   node scripts/mutate.mjs                 all mutations
//   node scripts/mutate.mjs M03 M17         only these
//   node scripts/mutate.mjs --list          print the list (the table in test/README.md)
//   node scripts/mutate.mjs --tests-from REF M01   run against the test/ folder of a git ref
//                                           (did an older suite catch it?)
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { stripVTControlCharacters } from 'node:util';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const U = 'test/unit/';
const I = 'test/integration/';

/** @type {{ id: string; what: string; file: string; from: string; to: string; tests: string[]; only?: string }[]} */
export const MUTATIONS = [
  { id: 'M01', what: 'withFlush does not await the flush before returning the result', file: 'src/handler/with-flush.ts',
    from: '  await inv.finish({ result });\n  return result;', to: '  void inv.finish({ result });\n  return result;', tests: [`${U}core/with-flush.test.ts`] },
  { id: 'M02', what: 'withFlush does not await the flush before rethrowing the error', file: 'src/handler/with-flush.ts',
    from: '    await inv.finish({ error, failed: true });\n    throw error; // the same', to: '    void inv.finish({ error, failed: true });\n    throw error; // the same', tests: [`${U}core/with-flush.test.ts`] },
  { id: 'M03', what: 'sync strategy starts the flush but does not await it', file: 'src/flush/gate.ts',
    from: '    flushing = Promise.resolve(end.flush(reason));\n  } catch {', to: '    void end.flush(reason);\n    flushing = RESOLVED;\n  } catch {', tests: [`${U}core/with-flush.test.ts`] },
  { id: 'M04', what: 'sync strategy never flushes', file: 'src/flush/gate.ts',
    from: '    flushing = Promise.resolve(end.flush(reason));\n  } catch {', to: '    flushing = RESOLVED;\n  } catch {', tests: [`${U}core/with-flush.test.ts`] },
  { id: 'M05', what: 'middy early return: response released before the flush settled', file: 'src/handler/middy.ts',
    from: 'return inv.finish({ result: v, ...(err !== undefined ? { handledError: recorded(t, err) } : {}) }).then(() => v);',
    to: 'void inv.finish({ result: v, ...(err !== undefined ? { handledError: recorded(t, err) } : {}) });\n      return Promise.resolve(v);', tests: [`${U}core/middy.test.ts`] },
  { id: 'M06', what: 'middy after(): flush not awaited', file: 'src/handler/middy.ts',
    from: '    await t.inv.finish({ result: readValue(request) });', to: '    void t.inv.finish({ result: readValue(request) });', tests: [`${U}core/middy.test.ts`] },
  { id: 'M07', what: 'middy onError(): error not recorded on the span', file: 'src/handler/middy.ts',
    from: '    else await t.inv.finish({ error: recorded(t, request.error), failed: true });', to: '    else await t.inv.finish({ result: undefined });', tests: [`${U}core/middy.test.ts`] },
  { id: 'M08', what: '3-parameter callback wrapper answers the runtime before the flush', file: 'src/handler/with-flush.ts',
    from: "      .then((inv) => settle(inv, () => callIntoPromise(handler, this, event, lambdaContext)))",
    to: "      .then((inv) => { const p = callIntoPromise(handler, this, event, lambdaContext); void settle(inv, () => p); return p; })", tests: [`${U}core/callback-wrapper.test.ts`] },
  { id: 'M09', what: 'streaming wrapper flushes without waiting for the stream to finish', file: 'src/handler/with-flush.ts',
    from: '      await streamDone(responseStream, remaining);', to: '      void streamDone(responseStream, remaining);', tests: [`${U}core/with-flush.test.ts`] },
  { id: 'M10', what: 'cold start always true', file: 'src/invocation/cold-start.ts',
    from: '  if (state.coldStartTaken) return false;', to: '', tests: [`${U}core/with-flush.test.ts`] },
  { id: 'M11', what: 'provisioned concurrency counted as a cold start', file: 'src/invocation/cold-start.ts',
    from: "return type === undefined || type === '' || type === 'on-demand';", to: 'return true;', tests: [`${U}core/with-flush.test.ts`] },
  { id: 'M12', what: 'deadline guard never fires', file: 'src/invocation/deadline.ts',
    from: '  return schedule(deadlineMs - marginMs - now, onDeadline);', to: '  return NOOP;', tests: [`${U}core/with-flush.test.ts`] },
  { id: 'M13', what: 'deadline guard ends the span but does not flush', file: 'src/invocation/open-invocation.ts',
    from: "    void flusher.flush(flushBudget(options.flushTimeoutMs, this.deadlineMs, Math.min(options.flushMarginMs, 10)), 'deadline');", to: '', tests: [`${U}core/with-flush.test.ts`] },
  { id: 'M14', what: 'deadline guard ignores its margin (fires at the deadline itself)', file: 'src/invocation/deadline.ts',
    from: '  return schedule(deadlineMs - marginMs - now, onDeadline);', to: '  return schedule(deadlineMs - now, onDeadline);', tests: [`${U}core/with-flush.test.ts`] },
  { id: 'M15', what: 'exception not recorded on the span', file: 'src/invocation/span.ts',
    from: '    if (error instanceof Error) span.recordException(error);\n    else span.recordException({ name: d.type, message: d.message });\n', to: '', tests: [`${U}core/with-flush.test.ts`] },
  { id: 'M16', what: 'failed invoke leaves the span status UNSET', file: 'src/invocation/span.ts',
    from: '    if (setStatus) span.setStatus(', to: '    if (setStatus && false) span.setStatus(', tests: [`${U}core/with-flush.test.ts`] },
  { id: 'M17', what: 'flush budget ignores the remaining time (flushTimeoutMs only)', file: 'src/flush/budget.ts',
    from: '  return Math.max(0, Math.min(flushTimeoutMs, Math.floor(deadlineMs - now - marginMs)));', to: '  return Math.max(0, flushTimeoutMs);', tests: [`${U}core/flusher.test.ts`] },
  { id: 'M18', what: 'flusher waits for the providers past its budget', file: 'src/flush/flight.ts',
    from: '      this.cancel = schedule(this.budget, () => this.end(true), this.started);', to: '      this.cancel = () => undefined;', tests: [`${U}core/flusher.test.ts`] },
  { id: 'M19', what: 'SIGTERM handler not installed', file: 'src/shutdown.ts',
    from: "  process.on('SIGTERM', onSigterm);", to: '', tests: [`${I}core-sigterm.test.ts`], only: 'SIGTERM' },
  { id: 'M20', what: 'shutdown skips the final flush and provider shutdown', file: 'src/shutdown.ts',
    from: "    const flushed = await flushAll(targets, Math.floor(left() * 0.75), 'flush');\n    await flushAll(targets, Math.floor(left()), 'shutdown');",
    to: '    const flushed = undefined;', tests: [`${U}core/shutdown.test.ts`] },
  { id: 'M21', what: 'shutdown does not end the spans of invocations still open', file: 'src/shutdown.ts',
    from: "        t.endOpenInvocations('Runtime shutting down (SIGTERM) during the invocation');", to: '', tests: [`${U}core/shutdown.test.ts`] },
  { id: 'M22', what: 'after-response releases the invoke before the flush settles', file: 'src/flush/gate.ts',
    from: '      void flushing.catch(() => undefined).finally(() => gate.done(end.requestId));', to: '      gate.done(end.requestId);\n      void flushing;', tests: [`${U}modes.test.ts`] },
  { id: 'M23', what: 'after-response flushes before the response even when the extension holds the invoke', file: 'src/flush/gate.ts',
    from: '  if (gate.gating) {\n    // The flush is bounded', to: '  if (false as boolean) {\n    // The flush is bounded', tests: [`${U}modes.test.ts`] },
  { id: 'M24', what: 'wrapping a wrapper wraps again (two spans per invoke)', file: 'src/handler/with-flush.ts',
    from: '  if ((handler as unknown as Record<symbol, unknown>)[WRAPPED]) return handler;', to: '', tests: [`${U}core/with-flush.test.ts`] },
  { id: 'M25', what: 'streaming markers not copied to the wrapper', file: 'src/handler/runtime.ts',
    from: '    if (v !== undefined) (to as Record<symbol, unknown>)[sym] = v;', to: '', tests: [`${U}core/with-flush.test.ts`] },
  { id: 'M26', what: 'HTTP 5xx result does not set ERROR', file: 'src/invocation/triggers/http.ts',
    from: '    if (status >= 500) {', to: '    if (status >= 600) {', tests: [`${U}triggers/http.test.ts`] },
  { id: 'M27', what: 'requestHook errors escape into the invoke', file: 'src/invocation/lifecycle.ts',
    from: "    callUserCode('requestHook', options.requestHook, span, { event, context: lambdaContext });", to: '    options.requestHook?.(span, { event, context: lambdaContext });', tests: [`${U}core/with-flush.test.ts`] },
  { id: 'M28', what: 'the invocation span is not made active (user spans are not its children)', file: 'src/handler/with-flush.ts',
    from: '    return Promise.resolve(context.with(inv.context, fn));', to: '    return Promise.resolve(fn());', tests: [`${U}core/with-flush.test.ts`] },
  { id: 'M29', what: 'faas.invocation_id missing', file: 'src/invocation/span.ts',
    from: "  if (typeof ctx?.awsRequestId === 'string') attrs['faas.invocation_id'] = ctx.awsRequestId;", to: '', tests: [`${U}core/with-flush.test.ts`] },
  { id: 'M30', what: 'extension worker releases /event/next without waiting for done', file: 'src/extension/worker/gate.ts',
    from: '    if (!this.enabled || !this.holding || maxWaitMs <= 0) return Promise.resolve(false);', to: '    return Promise.resolve(false);', tests: [`${U}extension/worker.test.ts`] },
  // The same breaks seen from the real runtime client and the freeze (slow receiver).
  { id: 'M31', what: 'withFlush does not await the flush (under the simulator, freeze after each invoke)', file: 'src/handler/with-flush.ts',
    from: '  await inv.finish({ result });\n  return result;', to: '  void inv.finish({ result });\n  return result;', tests: [`${I}core-wrapper.test.ts`], only: '200 invokes' },
  { id: 'M32', what: 'middy early return released before the flush (under the simulator)', file: 'src/handler/middy.ts',
    from: 'return inv.finish({ result: v, ...(err !== undefined ? { handledError: recorded(t, err) } : {}) }).then(() => v);',
    to: 'void inv.finish({ result: v, ...(err !== undefined ? { handledError: recorded(t, err) } : {}) });\n      return Promise.resolve(v);', tests: [`${I}core-middy.test.ts`], only: 'early return' },
  { id: 'M33', what: 'a rejecting async hook is left unhandled (the runtime crashes on every invoke)', file: 'src/invocation/user-code.ts',
    from: '      (returned as PromiseLike<unknown>).then(undefined, (e: unknown) => userCodeFailed(name, e));', to: '      void returned;', tests: [`${I}hardening-core.test.ts`], only: 'reject' },
  { id: 'M34', what: 'at a timeout, child spans still open are not ended (the span that explains the timeout is lost)', file: 'src/invocation/open-invocation.ts',
    from: '    this.scope.endOpen(reason, errorType);', to: '', tests: [`${I}hardening-core.test.ts`], only: 'stuck inside a child span' },
];

function copyRepo() {
  const dir = mkdtempSync(join(tmpdir(), 'olf-mutate-'));
  const list = spawnSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: root, encoding: 'utf8' });
  if (list.status !== 0) throw new Error(`git ls-files failed: ${list.stderr}`);
  for (const f of list.stdout.split('\0').filter(Boolean)) {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    try {
      cpSync(join(root, f), join(dir, f));
    } catch {
      // listed but deleted in the working tree
    }
  }
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  mkdirSync(join(dir, 'tools/node22'), { recursive: true });
  try {
    symlinkSync(join(root, 'tools/node22/node_modules'), join(dir, 'tools/node22/node_modules'));
  } catch {
    // no Node 22 installed: the compat tests say so
  }
  return dir;
}

function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 600_000, env: { ...process.env, CI: '1' } });
  return { ok: r.status === 0, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

function main() {
  const args = process.argv.slice(2);
  if (args.includes('--list')) {
    for (const m of MUTATIONS) console.log(`| ${m.id} | ${m.what} | \`${m.file}\` | ${m.tests.map((t) => `\`${t}\``).join(', ')}${m.only ? ` (\`-t '${m.only}'\`)` : ''} |`);
    return;
  }
  const refAt = args.indexOf('--tests-from');
  const testsFrom = refAt >= 0 ? args.splice(refAt, 2)[1] : undefined;
  const chosen = args.length ? MUTATIONS.filter((m) => args.includes(m.id)) : MUTATIONS;
  const dir = copyRepo();
  console.log(`scratch copy: ${dir}`);
  if (testsFrom) {
    rmSync(join(dir, 'test'), { recursive: true, force: true });
    const tar = spawnSync('sh', ['-c', `git -C "${root}" archive "${testsFrom}" test | tar -x -C "${dir}"`], { encoding: 'utf8' });
    if (tar.status !== 0) throw new Error(`cannot take test/ from ${testsFrom}: ${tar.stderr}`);
    console.log(`tests from ${testsFrom}`);
  }
  const results = [];
  try {
    for (const m of chosen) {
      const path = join(dir, m.file);
      let original;
      try {
        original = readFileSync(path, 'utf8');
      } catch {
        results.push({ ...m, verdict: 'stale (file gone)' });
        continue;
      }
      const count = original.split(m.from).length - 1;
      if (count !== 1 || m.from === m.to) {
        results.push({ ...m, verdict: m.from === m.to ? 'not a mutation' : `stale (${count} matches)` });
        continue;
      }
      writeFileSync(path, original.replace(m.from, m.to));
      const t0 = Date.now();
      try {
        let verdict;
        const absent = m.tests.filter((t) => !existsSync(join(dir, t)));
        if (absent.length) verdict = `MISSED (no ${absent.join(', ')})`;
        else if (m.tests.some((t) => t.startsWith(I)) && !run('node', ['scripts/build.mjs'], dir).ok) verdict = 'caught (build failed)';
        else {
          const r = run('npx', ['vitest', 'run', '--bail', '1', ...(m.only ? ['-t', m.only] : []), ...m.tests], dir);
          // A mutation that does not compile proves nothing: say so rather than "caught".
          if (r.ok) verdict = 'MISSED';
          else if (/SyntaxError|Transform failed|ERROR: Expected/.test(r.out)) verdict = 'invalid';
          else verdict = 'caught';
          const failed = stripVTControlCharacters(r.out).match(/FAIL\s+.*?>\s*(.+)/);
          if (failed) m.by = failed[1].trim().slice(0, 110);
        }
        results.push({ ...m, verdict, s: ((Date.now() - t0) / 1000).toFixed(0) });
      } finally {
        writeFileSync(path, original);
      }
      const last = results.at(-1);
      console.log(`${m.id} ${last.verdict.padEnd(10)} ${last.s ?? ''}s  ${m.what}${m.by ? `\n      failed: ${m.by}` : ''}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const missed = results.filter((r) => r.verdict !== 'caught');
  console.log(`\n${results.filter((r) => r.verdict === 'caught').length} of ${results.length} caught`);
  for (const r of missed) console.log(`  ${r.id} ${r.verdict}: ${r.what} (${r.file})`);
  process.exitCode = missed.length ? 1 : 0;
}

main();
