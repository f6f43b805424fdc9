// Defaults shared by the options and the early boot (no imports: the early boot stays light).

/** Default Telemetry API listener host and port. */
export const DEFAULT_TELEMETRY_HOST = 'sandbox.localdomain';
export const DEFAULT_TELEMETRY_PORT = 4243;
