// Side effect of importing the library: with OTEL_LAMBDA_EXTENSION=true inside Lambda, boot the
// extension worker now; registration waits until the handler is wrapped.
import { bootOnImport } from './extension/early-boot.js';

bootOnImport();
