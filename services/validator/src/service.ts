import { allMembers, consumerTimeouts, createProcessor, groupMember, startService, type Env, type RunningService } from '@mlstream/kit';
import { suiteDecider } from './domain/index.ts';
import { createValidationLoop } from './processor/validation-loop.ts';

/**
 * The validator (docs/data-quality.md): the expectation-suite command
 * processor, and the validation of every dataset version ingested, each its
 * own consumer group and exactly-once loop; /readyz waits for both.
 * `{ env, signals: false }` starts it in-process.
 */
export const startValidator = (options: { env?: Env; signals?: boolean } = {}): Promise<RunningService> =>
  startService({
    name: 'validator',
    env: options.env,
    signals: options.signals,
    setup: async ({ kafka, serde, catalog, logger, metrics, config }) => {
      const timeouts = consumerTimeouts(config);
      const suitesGroup = `${catalog.prefix}mlstream-validator-suites`;
      const validationGroup = `${catalog.prefix}mlstream-validator`;
      const suites = groupMember(kafka, suitesGroup, (client) =>
        createProcessor({ kafka: client, serde, catalog, logger, metrics, decider: suiteDecider, commandStream: 'expectations.commands', eventStream: 'expectations', groupId: suitesGroup, ...timeouts }),
      );
      const validation = groupMember(kafka, validationGroup, (client) => createValidationLoop({ kafka: client, serde, catalog, logger, metrics, groupId: validationGroup, ...timeouts }));
      return allMembers([suites, validation], () => ({ suites: suites.status?.(), validation: validation.status?.() }));
    },
  });
