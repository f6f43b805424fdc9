// Loads one bundled function module the way the runtime client would (require, or import for .mjs) (the module's top level,
// including setupTelemetry(), runs here) and prints how long that took. Used by
// bench/lib/cold-profile.mjs, with and without --cpu-prof.
// A module that exports `ready` (a promise, e.g. setupTelemetry()'s) is timed until it settles.
const file = process.argv[2];
(async () => {
  const t0 = process.hrtime.bigint();
  const start = performance.now();
  // An ES module bundle (the README's way) is imported, as the runtime client does.
  const mod = file.endsWith('.mjs') ? await import(require('node:url').pathToFileURL(file).href) : require(file);
  const requireMs = performance.now() - start;
  if (mod && typeof mod.ready?.then === 'function') await mod.ready;
  const importMs = performance.now() - start;
  const t1 = process.hrtime.bigint();
  process.stdout.write(`${JSON.stringify({ importMs, requireMs, windowUs: [Number(t0 / 1000n), Number(t1 / 1000n)] })}\n`);
  // setupTelemetry() may leave unref'd timers or a worker; this process is done either way.
  process.exit(0);
})().catch((error) => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
