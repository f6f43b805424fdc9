// Loads a JSON event fixture from test/fixtures/events (a fresh copy per call).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('../../fixtures/events/', import.meta.url));

export function loadEvent(name: string): any {
  return JSON.parse(readFileSync(`${dir}${name}.json`, 'utf8'));
}
