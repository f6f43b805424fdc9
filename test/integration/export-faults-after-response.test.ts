// The fault runs of export-faults.test.ts with the extension flushing after the response.
import { faultSuite } from './export-helpers.js';

faultSuite('after-response', { OTEL_LAMBDA_EXTENSION: 'true', OTEL_LAMBDA_FLUSH_MODE: 'after-response' }, 100);
