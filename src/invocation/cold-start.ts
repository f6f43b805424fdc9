import { processState } from '../state.js';

/**
 * True for the first invoke of the process when the environment was initialised on demand.
 * Provisioned concurrency and SnapStart pre-initialise, so their first invoke is not cold.
 * Unset `AWS_LAMBDA_INITIALIZATION_TYPE` (local runs) counts as on-demand.
 */
export function takeColdStart(env?: NodeJS.ProcessEnv): boolean {
  const state = processState();
  if (state.coldStartTaken) return false;
  state.coldStartTaken = true;
  const type = (env ?? process.env).AWS_LAMBDA_INITIALIZATION_TYPE;
  return type === undefined || type === '' || type === 'on-demand';
}
