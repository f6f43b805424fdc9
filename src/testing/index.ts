/**
 * The test kit, `otel-lambda-flush/testing`: prove your function loses nothing.
 *
 * - {@link LambdaSimulator}: a local Lambda (Runtime, Extensions and Telemetry APIs) that runs
 *   your built handler under the real `aws-lambda-ric` and freezes the process with SIGSTOP
 *   when each invoke ends, as Lambda does.
 * - {@link OtlpReceiver}: an OTLP/HTTP receiver (JSON and protobuf) that decodes what went over
 *   the wire, with injectable faults ({@link ReceiverBehavior}).
 * - {@link fakeContext}: a Lambda `Context` for unit tests.
 *
 * The README's "Test your function" has the vitest recipe (a global setup that builds the
 * handler with esbuild).
 *
 * @packageDocumentation
 */
// Re-exports only; each folder's index.ts lists its public names.
export * from './collector/index.js';
export * from './simulator/index.js';
export { fakeContext, type FakeContextOptions } from './context.js';
