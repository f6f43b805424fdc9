// The SIGTERM path waits (bounded) for the platform.report of every invoke that ended: on
// Managed Instances a whole round of concurrent invokes can end right before SIGTERM.
import { describe, expect, it } from 'vitest';
import { ReportWaits } from '../../../src/extension/report-waits.js';

describe('ReportWaits', () => {
  it('waitAll resolves true once every ended invoke\'s report arrived, in any order', async () => {
    const r = new ReportWaits();
    for (const id of ['a', 'b', 'c']) r.ended(id);
    const all = r.waitAll(1000);
    r.arrived('c');
    r.arrived('a');
    let settled = false;
    void all.then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    r.arrived('b');
    await expect(all).resolves.toBe(true);
  });

  it('waitAll resolves false after its bound when a report never comes; at once when none is pending', async () => {
    const r = new ReportWaits();
    await expect(r.waitAll(10)).resolves.toBe(true);
    r.ended('lost');
    const t0 = Date.now();
    await expect(r.waitAll(30)).resolves.toBe(false);
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it('a report that came before its invoke was marked ended is not waited for', async () => {
    const r = new ReportWaits();
    r.arrived('early');
    r.ended('early');
    await expect(r.waitAll(0)).resolves.toBe(true);
  });

  it('keeps at most 512 pending ids (the oldest forgotten)', async () => {
    const r = new ReportWaits();
    for (let i = 0; i < 600; i++) r.ended(`id-${i}`);
    for (let i = 88; i < 600; i++) r.arrived(`id-${i}`);
    await expect(r.waitAll(0)).resolves.toBe(true);
  });
});
