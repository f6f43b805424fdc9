// Defaults the extension worker needs, as literals: the worker is bundled on its own into a
// string the library carries, so importing the configuration table (every variable with its
// documentation) here would put a copy of it in every worker boot. test/unit/extension/
// boot-host.test.ts pins these to the table's values.

/** Default Telemetry API listener host (`sandbox.localdomain`), `OTEL_LAMBDA_TELEMETRY_HOST`'s default. */
export const DEFAULT_TELEMETRY_HOST = 'sandbox.localdomain';
