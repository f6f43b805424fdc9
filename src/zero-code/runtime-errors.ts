// The init errors the Node.js runtime client (aws-lambda-ric 4) reports when it cannot load a
// handler, rebuilt here with the same `name` (the errorType Lambda shows) and message. The
// runtime passes an error it did not make through unchanged (only a SyntaxError or a
// MODULE_NOT_FOUND error would be reclassified, and these are neither), so a function started
// through the zero-code handler fails with the type and message it fails with without it.

function runtimeError(name: string, message: string, stackFrom?: unknown): Error {
  const error = new Error(message);
  error.name = name;
  // The user's stack where there is one: it points at their code, not at this loader.
  const frames = stackFrom instanceof Error && typeof stackFrom.stack === 'string' ? stackFrom.stack.split('\n').filter((l) => /^\s+at /.test(l)) : [];
  if (frames.length > 0) error.stack = `${name}: ${message}\n${frames.join('\n')}`;
  return error;
}

/** `Runtime.MalformedHandlerName`: the handler string cannot be parsed. */
export function malformedHandlerName(message: string): Error {
  return runtimeError('Runtime.MalformedHandlerName', message);
}

/** `Runtime.HandlerNotFound`: the module loaded, the export is missing or not a function. */
export function handlerNotFound(message: string): Error {
  return runtimeError('Runtime.HandlerNotFound', message);
}

/** `Runtime.ImportModuleError`: a CommonJS `MODULE_NOT_FOUND`, message `String(original)`. */
export function importModuleError(original: unknown): Error {
  return runtimeError('Runtime.ImportModuleError', String(original), original);
}

/** `Runtime.UserCodeSyntaxError`: a SyntaxError while loading, with the original stack. */
export function userCodeSyntaxError(original: SyntaxError): Error {
  const error = runtimeError('Runtime.UserCodeSyntaxError', String(original));
  error.stack = original.stack;
  return error;
}
