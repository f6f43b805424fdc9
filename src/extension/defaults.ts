// The Telemetry API listener's default host, from the configuration table, for the worker (which
// is bundled on its own and compares the configured host with it).
import { VARS } from '../config/variables.js';

/** Default Telemetry API listener host (`sandbox.localdomain`). */
export const DEFAULT_TELEMETRY_HOST = VARS.telemetryHost.default;
