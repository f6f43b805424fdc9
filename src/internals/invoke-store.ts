// The Lambda runtime's invoke store (`@aws/lambda-invoke-store`, which aws-lambda-ric 4 uses):
// per-invoke request id and X-Ray trace id, correct when invokes overlap (Managed Instances).
// Read through the global the package publishes (`globalThis.awslambda.InvokeStore`), so the
// library neither bundles nor imports it. Pinned by test/unit/internals/invoke-store.test.ts.

interface InvokeStoreLike {
  hasContext?: () => boolean;
  getXRayTraceId?: () => unknown;
  getRequestId?: () => unknown;
}

function store(): InvokeStoreLike | undefined {
  const s = (globalThis as { awslambda?: { InvokeStore?: InvokeStoreLike } }).awslambda?.InvokeStore;
  return typeof s === 'object' && s !== null ? s : undefined;
}

/** The X-Ray trace header of the invoke running in this async context, if the runtime keeps one. */
export function invokeStoreTraceId(): string | undefined {
  try {
    const s = store();
    if (!s || s.hasContext?.() === false) return undefined;
    const id = s.getXRayTraceId?.();
    return typeof id === 'string' && id !== '' ? id : undefined;
  } catch {
    return undefined;
  }
}
