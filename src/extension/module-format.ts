// Whether this copy of the library runs as an ES module. esbuild leaves `import.meta` empty in
// CommonJS output (the package's dist/cjs, and a user's CommonJS bundle of the ESM build), so
// `import.meta.url` is set exactly where the importing module is an ES module too.

/** True when the library was loaded as an ES module (unbundled ESM, or an ESM bundle). */
export function loadedAsEsm(): boolean {
  return typeof import.meta.url === 'string';
}
