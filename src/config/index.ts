// The configuration module: every option and environment variable is read here, once, and
// handed down resolved.
export { resolveOptions, extensionWanted } from './options.js';
export type { FlushMode, FlushOptions, OtelLambdaOptions, ParentExtractor, RecordContextFinder, RequestHookInfo, ResolvedOptions, ResponseHookInfo } from './options.js';
export type { ExtensionOptions, ResolvedExtensionOptions, ResolvedTelemetryOptions, TelemetryOptions } from './extension.js';
export { VARS, readVar } from './variables.js';
export { warnOnce } from './warnings.js';
