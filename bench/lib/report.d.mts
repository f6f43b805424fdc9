export declare function fmtNum(v: number | undefined, unit?: string): string;
export declare function tableLines(results: unknown): string[][];
export declare function headers(results: unknown): string[];
export declare function consoleTable(results: unknown): string;
export declare function markdownTable(results: unknown): string;
export declare function targets(results: unknown): { name: string; value: number | undefined; ok: boolean | undefined; detail: string }[];
export declare function firstCaller(results: unknown, id: string): { added: number | undefined; peerAdded: number | undefined; ratio: number | undefined };
export declare function firstCallerTable(results: unknown): string;
export declare function issue11Targets(results: unknown): { name: string; value: number | undefined; ok: boolean | undefined; detail: string }[];
