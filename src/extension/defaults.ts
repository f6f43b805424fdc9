// Defaults shared by the options and the early boot (no imports: the early boot stays light).

/** Default Telemetry API listener host. */
export const DEFAULT_TELEMETRY_HOST = 'sandbox.localdomain';
/**
 * Default Telemetry API listener port: 0, a free port chosen when the listener starts (the
 * subscription carries the port actually bound). A fixed port collides with anything else
 * holding it, such as a second environment on the same machine.
 */
export const DEFAULT_TELEMETRY_PORT = 0;
