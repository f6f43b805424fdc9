export declare const MEMORY_MB: number;
export declare function lambdaHeapFlags(memoryMb: number): string;
export declare function baseEnv(receiverUrl: string): Record<string, string>;
export declare function variants(functions: Record<string, unknown>, root?: string): {
  id: string;
  label: string;
  fn: string;
  env: Record<string, string>;
  expectsExtension?: boolean;
  coldOnly?: boolean;
  baseline?: string;
  peerId?: string;
  execWrapper?: string;
  unavailable?: string;
}[];
