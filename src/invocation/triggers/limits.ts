// Length caps for everything trigger detection derives from an event. An event is untrusted
// input (a 1 MB path, a 1 MB S3 bucket name): every string the library records from it is cut
// here, once, by one helper, so one invoke can never export megabytes of attributes.
import type { Attributes, AttributeValue } from '@opentelemetry/api';
import type { TriggerInfo } from './types.js';

/**
 * Default of `maxValueLength`: the longest string (UTF-16 code units) the library records
 * from an event. Long enough for any real URL path, query or user agent (API Gateway caps a
 * request line plus headers at 10 KiB), short enough that one span stays small.
 */
export const DEFAULT_MAX_VALUE_LENGTH = 4096;
/** Longest span name derived from an event (route, queue, bucket...); never above `maxValueLength`. */
export const DEFAULT_MAX_NAME_LENGTH = 256;
/** Most values recorded per captured request header (multi-value headers). */
export const MAX_HEADER_VALUES = 16;

/**
 * `value` cut to at most `max` UTF-16 code units without splitting a surrogate pair. Returns
 * `value` itself (no allocation) when it already fits. `max` must be a positive integer.
 */
export function truncate(value: string, max: number): string {
  if (value.length <= max) return value;
  const last = value.charCodeAt(max - 1);
  // A high surrogate as the last kept unit would be half a character: drop it too.
  return value.slice(0, last >= 0xd800 && last <= 0xdbff ? max - 1 : max);
}

/** `maxValueLength` as a usable bound: a positive integer, else the default. */
export function valueLimit(maxValueLength: unknown): number {
  return typeof maxValueLength === 'number' && Number.isInteger(maxValueLength) && maxValueLength > 0
    ? maxValueLength
    : DEFAULT_MAX_VALUE_LENGTH;
}

/** Span-name bound for a value bound. */
export function nameLimit(valueMax: number): number {
  return Math.min(DEFAULT_MAX_NAME_LENGTH, valueMax);
}

/**
 * Caps a detected trigger in place: every string attribute (and string array element) of the
 * span and of its links to `max`, the span name to {@link nameLimit}. Allocates nothing when
 * everything already fits (the common case, on every invoke).
 */
export function boundTrigger(info: TriggerInfo, max: number): TriggerInfo {
  boundAttributes(info.attributes, max);
  for (const link of info.links) if (link.attributes !== undefined) boundAttributes(link.attributes, max);
  if (info.name !== undefined) info.name = truncate(info.name, nameLimit(max));
  return info;
}

function boundAttributes(attributes: Attributes, max: number): void {
  for (const key in attributes) {
    const value = attributes[key];
    if (typeof value === 'string') {
      if (value.length > max) attributes[key] = truncate(value, max);
    } else if (Array.isArray(value)) {
      const bounded = boundArray(value as readonly unknown[], max);
      if (bounded !== value) attributes[key] = bounded;
    }
  }
}

function boundArray(values: readonly unknown[], max: number): AttributeValue {
  let copy: unknown[] | undefined;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v === 'string' && v.length > max) {
      copy ??= [...values];
      copy[i] = truncate(v, max);
    }
  }
  return (copy ?? values) as AttributeValue;
}
