// Type inference a TypeScript user relies on (issue 12), checked with `tsc --strict` against the
// published typings (dist/), no casts: withFlush takes its event type from a Handler type or the
// inner handler, an untyped event is `unknown` (not `any`), context is a Lambda Context, and
// forEachRecord types records and failures from the event. `@ts-expect-error` lines make typings
// that resolved to `any` fail too. Needs `npm run build` first.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../fixtures/compat/nodes.js';

const CONSUMER = `
import type {
  APIGatewayProxyHandlerV2, Context, DynamoDBRecord, DynamoDBStreamEvent, KinesisStreamEvent, KinesisStreamRecord,
  SQSBatchResponse, SQSEvent, SQSHandler, SQSRecord,
} from 'aws-lambda';
import { forEachRecord, withFlush, type RecordFailure } from 'otel-lambda-flush';
import { fakeContext } from 'otel-lambda-flush/testing';

// 1. A Handler type as the type argument: the event is typed.
export const api = withFlush<APIGatewayProxyHandlerV2>(async (event, context) => {
  const path: string = event.rawPath;
  const id: string = context.awsRequestId;
  return { statusCode: 200, body: path + id };
});
// @ts-expect-error the event is APIGatewayProxyEventV2, which has no Records
withFlush<APIGatewayProxyHandlerV2>(async (event) => ({ statusCode: event.Records }));

// 2. A typed inner handler: the wrapper keeps its exact type.
export const typed = withFlush(async (event: SQSEvent, _context: Context): Promise<SQSBatchResponse> => {
  // 3. forEachRecord: record and failures typed from the event.
  const failures = await forEachRecord(event, (record) => {
    const body: string = record.body;
    return body;
  });
  const f: RecordFailure<SQSRecord>[] = failures;
  return { batchItemFailures: f.map((x) => ({ itemIdentifier: x.record.messageId })) };
});
const res: Promise<SQSBatchResponse> = typed({ Records: [] }, fakeContext());
void res;

// 4. Untyped: event is unknown (a word, not a silent any); context is a Lambda Context.
export const untyped = withFlush(async (event, context) => {
  const name: string = context.functionName;
  // @ts-expect-error event is unknown
  void event.anything;
  return name;
});

// 5. A Handler type with forEachRecord inside: no annotations anywhere.
export const sqs = withFlush<SQSHandler>(async (event) => {
  const failures = await forEachRecord(event, async (record) => record.messageId);
  return { batchItemFailures: failures.map((x) => ({ itemIdentifier: x.record.messageId })) };
});

// 6. Other batch events and plain arrays.
export async function kinesis(event: KinesisStreamEvent): Promise<string[]> {
  const failures = await forEachRecord(event, (r) => r.kinesis.data);
  const records: KinesisStreamRecord[] = failures.map((x) => x.record);
  return records.map((r) => r.eventID);
}
export async function dynamo(event: DynamoDBStreamEvent): Promise<void> {
  const failures = await forEachRecord(event.Records, (r: DynamoDBRecord) => r.eventName);
  // @ts-expect-error a DynamoDBRecord has no messageId
  void failures[0]?.record.messageId;
}

// 7. An explicit record type for an event of unknown shape.
export async function explicit(event: unknown): Promise<string[]> {
  const failures = await forEachRecord<SQSRecord>(event, (r) => r.body);
  return failures.map((x) => x.record.messageId);
}

// @ts-expect-error not a handler
withFlush('handler');
// @ts-expect-error internal types are not exported
import type { TriggerOptions } from 'otel-lambda-flush';
export type T = TriggerOptions;
`;

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'otel-lambda-flush-infer-'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(repoRoot, join(dir, 'node_modules', 'otel-lambda-flush'), 'dir');
  symlinkSync(join(repoRoot, 'node_modules', '@types'), join(dir, 'node_modules', '@types'), 'dir');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  writeFileSync(join(dir, 'consumer.ts'), CONSUMER);
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { strict: true, noEmit: true, target: 'es2022', lib: ['es2023'], module: 'nodenext', moduleResolution: 'nodenext', types: ['node'], skipLibCheck: false },
    files: ['consumer.ts'],
  }));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('type inference (tsc --strict against dist/)', () => {
  it('withFlush and forEachRecord infer event, context, records and failures', async () => {
    const tsc = join(repoRoot, 'node_modules/typescript/bin/tsc');
    const r = await promisify(execFile)(process.execPath, [tsc, '-p', dir], { cwd: dir }).catch((e: { stdout?: string; stderr?: string }) => e);
    expect(`${r.stdout ?? ''}${r.stderr ?? ''}`).toBe('');
  }, 90_000);
});
