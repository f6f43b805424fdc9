import { describe, expect, it } from 'vitest';
import { fakeContext } from '../../src/testing/index.js';

describe('fakeContext', () => {
  it('has realistic defaults', () => {
    const ctx = fakeContext();
    expect(ctx).toMatchObject({
      functionName: 'test-function',
      functionVersion: '$LATEST',
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:test-function',
      memoryLimitInMB: '128',
      logGroupName: '/aws/lambda/test-function',
      callbackWaitsForEmptyEventLoop: true,
    });
    expect(ctx.awsRequestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(ctx.logStreamName).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(fakeContext().awsRequestId).not.toBe(ctx.awsRequestId);
  });

  it('takes overrides, deriving the ARN and log group from the function name', () => {
    const ctx = fakeContext({ functionName: 'orders', awsRequestId: 'req-1', memoryLimitInMB: '1024', functionVersion: undefined });
    expect(ctx).toMatchObject({
      functionName: 'orders',
      functionVersion: '$LATEST',
      awsRequestId: 'req-1',
      memoryLimitInMB: '1024',
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:orders',
      logGroupName: '/aws/lambda/orders',
    });
    expect(fakeContext({ invokedFunctionArn: 'arn:x' }).invokedFunctionArn).toBe('arn:x');
  });

  it('counts the remaining time down from timeoutMs, never below zero', () => {
    let now = 1_000;
    const ctx = fakeContext({ timeoutMs: 500, now: () => now });
    expect(ctx.getRemainingTimeInMillis()).toBe(500);
    now += 120;
    expect(ctx.getRemainingTimeInMillis()).toBe(380);
    now += 10_000;
    expect(ctx.getRemainingTimeInMillis()).toBe(0);
  });

  it('defaults to a 3 s timeout on the real clock', async () => {
    const ctx = fakeContext();
    const first = ctx.getRemainingTimeInMillis();
    expect(first).toBeLessThanOrEqual(3000);
    expect(first).toBeGreaterThan(2500);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(ctx.getRemainingTimeInMillis()).toBeLessThan(first);
  });

  it('throws a clear error from the deprecated done/fail/succeed', () => {
    const ctx = fakeContext();
    expect(() => ctx.done()).toThrow(/context\.done\(\) is not supported by fakeContext/);
    expect(() => ctx.fail('x')).toThrow(/context\.fail\(\) is not supported/);
    expect(() => ctx.succeed('x')).toThrow(/context\.succeed\(\) is not supported/);
  });

  it('rejects an invalid timeout', () => {
    expect(() => fakeContext({ timeoutMs: -1 })).toThrow(TypeError);
    expect(() => fakeContext({ timeoutMs: Number.NaN })).toThrow(/timeoutMs/);
  });
});
