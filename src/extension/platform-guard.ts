// What keeps Telemetry API events honest before they become metrics: only invokes this process
// handled are counted (each once), and `error.type` stays a short list of short values.

/** Invokes remembered (Lambda runs one at a time per environment; Managed Instances a few more). */
export const KNOWN_INVOKES_MAX = 256;
/** Distinct `error.type` values recorded per process; the rest become {@link OTHER_ERROR_TYPE}. */
export const ERROR_TYPES_MAX = 20;
/** Longest `error.type` value recorded; a longer one becomes {@link OTHER_ERROR_TYPE}. */
export const ERROR_TYPE_MAX_CHARS = 128;
/** The semantic conventions' fallback value of `error.type`. */
export const OTHER_ERROR_TYPE = '_OTHER';

/** What was recorded of one invoke. */
export interface InvokeSeen {
  runtimeDone: boolean;
  timedOut: boolean;
}

/**
 * Request ids of the invokes this process handled, as the main thread's lifecycle reports them
 * (a source the Telemetry API cannot forge), bounded: oldest forgotten first. Lambda delivers an
 * invoke's `platform.report` after the invoke ended (during the next invoke, or at SIGTERM), so
 * an id stays until its report arrived.
 */
export class KnownInvokes {
  private readonly ids = new Map<string, InvokeSeen>();

  constructor(private readonly max = KNOWN_INVOKES_MAX) {}

  /** Remembers `id` (idempotent); returns its record. */
  add(id: string): InvokeSeen {
    let seen = this.ids.get(id);
    if (!seen) {
      seen = { runtimeDone: false, timedOut: false };
      this.ids.set(id, seen);
      if (this.ids.size > this.max) this.ids.delete(this.ids.keys().next().value as string);
    }
    return seen;
  }

  /** The record of `id`, when this process handled it and its report has not come yet. */
  get(id: string): InvokeSeen | undefined {
    return this.ids.get(id);
  }

  /** The report of `id` arrived: nothing more will be counted for it. */
  reported(id: string): void {
    this.ids.delete(id);
  }
}

/**
 * Bounds `error.type` values to what metrics backends can bear (the semantic conventions ask
 * for low cardinality): at most {@link ERROR_TYPES_MAX} distinct values of at most
 * {@link ERROR_TYPE_MAX_CHARS} characters; anything else is {@link OTHER_ERROR_TYPE}.
 */
export class ErrorTypes {
  private readonly seen = new Set<string>();

  constructor(
    private readonly max = ERROR_TYPES_MAX,
    private readonly maxChars = ERROR_TYPE_MAX_CHARS,
  ) {}

  /** The value to record for `value`. */
  bound(value: string): string {
    if (value.length > this.maxChars || value === '') return OTHER_ERROR_TYPE;
    if (this.seen.has(value)) return value;
    if (this.seen.size >= this.max) return OTHER_ERROR_TYPE;
    this.seen.add(value);
    return value;
  }
}

/** Events held for a request id not (yet) known, at most this many ids. */
export const EARLY_MAX = 256;

/**
 * Platform events whose invoke this process has not reported as ended yet. On Managed Instances
 * an invoke ends in a runtime worker thread and the main thread hears of it by message, which
 * can arrive after Lambda's report: such events wait here (bounded, oldest evicted) until the
 * id is known. Forged ids are never claimed and fall out as the oldest.
 */
export class EarlyEvents<E> {
  private readonly held = new Map<string, E[]>();

  constructor(private readonly onEvicted: (count: number) => void, private readonly max = EARLY_MAX) {}

  /** Holds `event` for `id`. */
  hold(id: string, event: E): void {
    const list = this.held.get(id);
    if (list) {
      if (list.length < 4) list.push(event);
      else this.onEvicted(1);
      return;
    }
    this.held.set(id, [event]);
    if (this.held.size > this.max) {
      const oldest = this.held.keys().next().value as string;
      this.onEvicted(this.held.get(oldest)?.length ?? 0);
      this.held.delete(oldest);
    }
  }

  /** The events held for `id`, now claimed (removed). */
  claim(id: string): E[] {
    const list = this.held.get(id);
    if (list) this.held.delete(id);
    return list ?? [];
  }
}
