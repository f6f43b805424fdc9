// The error LambdaSimulator.start() rejects with when init fails, carrying Lambda's error.
import type { InvokeError } from './types.js';

/** An init that failed (error posted, process exited, or init timeout), with Lambda's error type. */
export class LambdaSimulatorError extends Error {
  /** Lambda's error type, e.g. `Runtime.ImportModuleError`, `Runtime.ExitError`, `Sandbox.Timedout`. */
  readonly errorType: string;
  /** The error as Lambda would report it. */
  readonly lambdaError: InvokeError;

  constructor(lambdaError: InvokeError, logTail: string[]) {
    const tail = logTail.length > 0 ? `\n--- last runtime output ---\n${logTail.join('\n')}` : '';
    super(`LambdaSimulator: init failed: ${lambdaError.errorType}: ${lambdaError.errorMessage}${tail}`);
    this.name = 'LambdaSimulatorError';
    this.errorType = lambdaError.errorType;
    this.lambdaError = lambdaError;
  }
}
