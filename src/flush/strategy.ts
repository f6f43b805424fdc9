// The single place where the flush strategy is chosen. The extension adds its branches here.
import type { ResolvedOptions } from '../options.js';
import { chooseExtensionStrategy } from './extension-strategy.js';
import { SyncStrategy } from './sync-strategy.js';
import type { FlushStrategy } from './types.js';

/**
 * Picks the strategy for the resolved options: `sync` unless the extension or a
 * periodic/adaptive mode asks otherwise (src/flush/extension-strategy.ts).
 */
export function chooseStrategy(options: ResolvedOptions): FlushStrategy {
  return chooseExtensionStrategy(options) ?? new SyncStrategy();
}
