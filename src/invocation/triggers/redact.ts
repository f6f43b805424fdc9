// Credential redaction for what HTTP triggers record: query parameters, captured request
// headers and the URL path. Names are matched by pattern (not only by a list), values by the
// shape of well-known credentials (JWTs, provider tokens). Errs on the side of redacting.
import { truncate } from './limits.js';

/** What a redacted value is replaced by. */
export const REDACTED = 'REDACTED';

/** Stems that mark a credential wherever they appear in a name (`x-access-token`, `authtoken`). */
const CREDENTIAL_STEM =
  /token|secret|passw|passcode|passphrase|signature|credential|session|sessid|cookie|bearer|authori[sz]|authentic|apikey|accesskey|privatekey|jwt|csrf|xsrf/;
/**
 * Words that mark a credential when they are a whole word of the name (split at non-letters
 * and camelCase): `api_key`, `Key-Pair-Id`, `pinCode`, but not `keyword`, `monkey`, `spin`.
 */
const CREDENTIAL_WORDS = new Set([
  'key', 'pin', 'otp', 'pw', 'pwd', 'pass', 'auth', 'sig', 'sid', 'private', 'policy', 'hmac', 'mfa',
  'oidc', 'verifier', 'creds',
]);
/** Names that are credentials only on their own (OAuth's `?code=`; `country_code` is not). */
const CREDENTIAL_NAMES = new Set(['code']);
/** Word boundaries: non-alphanumerics, `aB`, `ABc` (so `AWSAccessKeyId` → AWS Access Key Id). */
const WORD_BOUNDARY = /[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])/;
/** Longer names are not classified word by word (no real parameter name is this long). */
const MAX_NAME = 256;

/** Whether a query parameter or header name looks like it carries a credential. */
export function isCredentialName(name: string): boolean {
  if (name.length > MAX_NAME) return true;
  const lower = name.toLowerCase();
  if (CREDENTIAL_STEM.test(lower) || CREDENTIAL_NAMES.has(lower)) return true;
  for (const word of name.split(WORD_BOUNDARY)) {
    if (word.length <= 8 && CREDENTIAL_WORDS.has(word.toLowerCase())) return true;
  }
  return false;
}

/**
 * Well-known credential shapes: a JWT / JWS / JWE (`eyJ` = base64url of `{"`, even when cut
 * short), GitHub, Slack and Stripe tokens, AWS access key ids, Google API keys. Only shapes
 * with a distinctive prefix: opaque ids (UUIDs, hashes) are normal in paths and are kept.
 */
const SECRET_TOKEN =
  String.raw`(?:eyJ[\w-]{8,}|gh[pousr]_[A-Za-z0-9]{16,}|github_pat_\w{16,}|xox[abeprs]-[\w-]{8,}|[sr]k_(?:live|test)_[A-Za-z0-9]{8,}|A[KS]IA[0-9A-Z]{16}|AIza[\w-]{30,})`;
/** A secret token starting at a word boundary (or after an encoded space: `Bearer%20eyJ...`). */
const SECRET_IN_TEXT = new RegExp(String.raw`(?:(?<![A-Za-z0-9])|(?<=%20))${SECRET_TOKEN}`);

/** Whether a value contains a well-known credential shape. */
export function containsSecret(value: string): boolean {
  return SECRET_IN_TEXT.test(value);
}

/** `url.path` / route with every segment that holds a credential replaced by `REDACTED`. */
export function redactPath(path: string): string {
  if (!SECRET_IN_TEXT.test(path)) return path;
  return path
    .split('/')
    .map((segment) => (SECRET_IN_TEXT.test(segment) ? REDACTED : segment))
    .join('/');
}

/**
 * `url.query` cut to `max`, with the values of credential-like parameters (by name or by
 * value shape) replaced by `REDACTED`. The query is cut before it is parsed, so the cost is
 * bounded; a parameter cut short keeps at most a prefix of a non-credential value.
 */
export function redactQuery(query: string, max: number = Number.MAX_SAFE_INTEGER): string {
  const pairs = truncate(query, max).split('&');
  for (let i = 0; i < pairs.length; i++) {
    const pair = pairs[i]!;
    const eq = pair.indexOf('=');
    if (eq < 0) {
      if (SECRET_IN_TEXT.test(pair)) pairs[i] = REDACTED;
      continue;
    }
    const raw = pair.slice(0, eq);
    if (isCredentialName(decodeName(raw)) || SECRET_IN_TEXT.test(pair.slice(eq + 1))) pairs[i] = `${raw}=${REDACTED}`;
  }
  // `pw=1` → `pw=REDACTED` is longer: cut again.
  return truncate(pairs.join('&'), max);
}

function decodeName(raw: string): string {
  if (raw.indexOf('%') < 0 && raw.indexOf('+') < 0) return raw;
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return raw;
  }
}
