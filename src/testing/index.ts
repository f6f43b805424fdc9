// Public test kit: `otel-lambda-flush/testing`. Re-exports only.
export {};
