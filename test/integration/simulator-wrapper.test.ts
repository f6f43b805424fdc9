// AWS_LAMBDA_EXEC_WRAPPER: the simulator starts the wrapper with the runtime's command line, as
// Lambda does; the wrapper's `exec "$@"` leaves the runtime on the pid the simulator controls.
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { LambdaSimulator } from '../../src/testing/index.js';

const taskRoot = fileURLToPath(new URL('../fixtures/sim', import.meta.url));
const wrapper = fileURLToPath(new URL('../fixtures/sim/exec-wrapper.sh', import.meta.url));
const sims: LambdaSimulator[] = [];

afterEach(async () => {
  await Promise.all(sims.splice(0).map((s) => s.close()));
});

describe('exec wrapper', () => {
  it.each([
    ['the execWrapper option', { execWrapper: wrapper }],
    ['AWS_LAMBDA_EXEC_WRAPPER in env', { env: { AWS_LAMBDA_EXEC_WRAPPER: wrapper } }],
  ])('runs the wrapper with the runtime command as arguments (%s)', async (_name, extra) => {
    const sim = await LambdaSimulator.start({ taskRoot, handler: 'basic.handler', ...extra });
    sims.push(sim);
    const r = await sim.invoke({});
    expect(r.status).toBe('success');
    const body = r.response as { pid: number; env: { extra: string } };
    // node binary, Lambda's five node flags (GC, header size, heap limits), runtime client,
    // handler: eight arguments, the first one node.
    expect(body.env.extra).toBe('wrapped:node:8');
    // exec kept the pid: freeze and SIGTERM reach the runtime itself.
    expect(body.pid).toBe(sim.pid);
    expect(r.frozen).toBe(true);
    const path = await sim.invoke({ action: 'env', names: ['PATH', 'AWS_LAMBDA_EXEC_WRAPPER'] });
    const vars = path.response as Record<string, string>;
    expect(vars.AWS_LAMBDA_EXEC_WRAPPER).toBe(wrapper);
    expect(vars.PATH!.split(':')[0]).toBe(dirname(process.execPath));
  });

  it('without a wrapper the handler sees no change', async () => {
    const sim = await LambdaSimulator.start({ taskRoot, handler: 'basic.handler' });
    sims.push(sim);
    const r = await sim.invoke({});
    expect((r.response as { env: { extra?: string } }).env.extra).toBeUndefined();
  });

  it('refuses a relative or non-executable wrapper before spawning', async () => {
    await expect(LambdaSimulator.start({ taskRoot, handler: 'basic.handler', execWrapper: 'exec-wrapper.sh' })).rejects.toThrow(/execWrapper .*absolute path/);
    await expect(LambdaSimulator.start({ taskRoot, handler: 'basic.handler', env: { AWS_LAMBDA_EXEC_WRAPPER: `${taskRoot}/basic.mjs` } })).rejects.toThrow(/not an executable file/);
  });
});
