// Issue 13 "Done when": 500 invokes (a freeze after each) against a collector answering 20 %
// 503, 20 % 429 + Retry-After, resetting 20 % of connections, or forgetting connections while
// the function is frozen: no span lost by the end of the run (a clean invoke may deliver the
// last kept batch), no invoke past the flush budget.
import { faultSuite } from './export-helpers.js';

faultSuite('sync', {}, 150);

