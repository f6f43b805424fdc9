/** Options of the in-process internal extension (see the README's "After the response"). */
export interface ExtensionOptions {
  /** Extension name sent to the Extensions API. Default `otel-lambda-flush`. */
  name?: string;
  /** Longest the loading thread waits for registration, in ms. Default 1000. */
  registrationTimeoutMs?: number;
  /** Telemetry API subscription; `false` to not subscribe. */
  telemetry?: boolean | TelemetryOptions;
}

/** Options of the Telemetry API subscription. */
export interface TelemetryOptions {
  /** Listener host as Lambda sees it. Default `sandbox.localdomain`. */
  host?: string;
  /** Listener port. Default 4243. */
  port?: number;
  /** Buffering sent to the Telemetry API. Defaults 1000 items, 262144 bytes, 25 ms. */
  buffering?: { maxItems?: number; maxBytes?: number; timeoutMs?: number };
  /** Forward `function` / `extension` log lines as OpenTelemetry logs. Default false. */
  forwardLogs?: boolean;
}
