// Parses a Lambda handler string (`_HANDLER`) exactly as the Node.js runtime client
// (aws-lambda-ric 4, `handler-path.js` and `UserFunctionLoader.validateHandlerString`) does:
// `[moduleRoot/]moduleName.export[.nested...]`, where only the last path segment is split on
// its first dot and `..` anywhere is refused.
import { basename } from 'node:path';
import { malformedHandlerName } from './runtime-errors.js';

/** The parts of a handler string. */
export interface HandlerString {
  /** Directory part, no trailing slash; '' for `index.handler`. */
  moduleRoot: string;
  /** File name without extension (looked up with '', .js, .mjs, .cjs). */
  moduleName: string;
  /** Export path: `handler`, or `a.b.handler` for nested exports. */
  handlerName: string;
}

const FUNCTION_EXPR = /^([^.]*)\.(.*)$/;

/** Throws `Runtime.MalformedHandlerName` with the runtime's own message when it would. */
export function parseHandlerString(full: string): HandlerString {
  if (full.includes('..')) {
    throw malformedHandlerName(`'${full}' is not a valid handler name. Use absolute paths when specifying root directories in handler names.`);
  }
  const handlerString = basename(full);
  // indexOf, not a slice from the end: the runtime's own arithmetic, kept for its edge cases.
  const moduleRoot = full.substring(0, full.indexOf(handlerString));
  const match = FUNCTION_EXPR.exec(handlerString);
  if (!match || match.length !== 3) throw malformedHandlerName('Bad handler');
  return { moduleRoot: moduleRoot.replace(/\/$/, ''), moduleName: match[1]!, handlerName: match[2]! };
}
