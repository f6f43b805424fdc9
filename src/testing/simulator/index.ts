// The Lambda simulator of the test kit. Re-exports only.
export { LambdaSimulator, LambdaSimulatorError } from './simulator.js';
export type {
  ExtensionEventType,
  ExtensionInfo,
  FreezeInfo,
  InitRecord,
  InitializationType,
  InvokeError,
  InvokeOptions,
  InvokeResult,
  InvokeStatus,
  ManagedInstancesOptions,
  ShutdownResult,
  SimulatorOptions,
  TelemetryBatch,
  TelemetryBuffering,
  TelemetryEvent,
  TelemetryLog,
  TelemetrySubscriptionInfo,
} from './types.js';
