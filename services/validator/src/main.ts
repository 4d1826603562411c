// The validator: expectation suites and dataset validation, `tsx services/validator/src/main.ts` (docs/data-quality.md).
import { startValidator } from './service.ts';

await startValidator();
