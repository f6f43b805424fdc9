export interface ProfileSummary {
  totalMs: number;
  windowed: boolean;
  groups: { name: string; ms: number; pct: number }[];
  functions: { name: string; module: string; ms: number }[];
}
export declare function bundleModuleMap(bundleText: string): { line: number; path: string }[];
export declare function moduleGroup(path: string): string;
export declare function summarizeProfile(
  profile: unknown,
  options?: { bundleText?: string; bundleUrlSuffix?: string; windowUs?: [number, number]; top?: number },
): ProfileSummary;
