export declare function percentile(values: number[], p: number): number | undefined;
export declare function median(values: number[]): number | undefined;
export declare function ratio(a: number | undefined, b: number | undefined): number | undefined;
