// The Lambda simulator of the test kit. Re-exports only.
export { LambdaSimulator, LambdaSimulatorError } from './simulator.js';
export type {
  ExtensionEventType,
  ExtensionInfo,
  FreezeInfo,
  HttpStreamResponse,
  InitRecord,
  InitializationType,
  InvokeError,
  InvokeOptions,
  InvokeResult,
  InvokeStatus,
  ManagedInstancesOptions,
  ShutdownResult,
  SimulatorOptions,
  StreamedResponse,
  TelemetryBatch,
  TelemetryBuffering,
  TelemetryEvent,
  TelemetryLog,
  TelemetrySubscriptionInfo,
} from './types.js';
