import { Command } from 'commander';
import { isMlstreamError } from '@mlstream/kit';
import { stackDownCommand, stackStatusCommand, stackUpCommand } from './commands/stack.ts';
import { upCommand } from './commands/up.ts';
import { topicsApplyCommand } from './commands/contracts.ts';
import { auditAggregateCommand, auditDriftCommand, auditLineageCommand, auditRetrainCommand, auditValidationCommand } from './commands/audit.ts';
import { replayCommand } from './commands/replay.ts';

const program = new Command('mlstream').description('mlstream: event-sourced MLOps backbone').showHelpAfterError();

program
  .command('up')
  .description('start the platform on the local stack and stay in the foreground (Ctrl-C stops it)')
  .option('--detach', 'start the stack, apply topics and schemas, leave it running and exit')
  .option('--services <names>', 'comma-separated subset of services to run')
  .option('--no-services', 'run the stack only')
  .option('--cluster', 'run on the local cluster (3 brokers, ZooKeeper, 2 ClickHouse replicas) instead of the single stack')
  .option('--instances <n>', 'instances of each service (distinct HTTP ports; one consumer group per service)', '1')
  .action(upCommand);
program.command('down').description('stop every process of the local stack this project started').option('--cluster', 'the local cluster').option('--json').action(stackDownCommand);
program.command('status').description('versions, ports and readiness of the local stack').option('--cluster', 'the local cluster').option('--json').action(stackStatusCommand);

program
  .command('topics')
  .description('the topic catalog')
  .command('apply')
  .description('create missing topics, register every schema, report (never change) topics that differ; exit 4 on differences')
  .option('--json')
  .action(topicsApplyCommand);

const audit = program.command('audit').description('re-run the deciders and the drift detector over the log and report what cannot be reproduced (exit 1)');
audit
  .command('drift')
  .description('recompute every DriftMeasured / DriftDetected / RetrainRequested of a model from its predictions')
  .requiredOption('--model <name>', 'registered model name')
  .option('--from <time>', 'only decisions at or after this event time (ISO-8601 or epoch ms)')
  .option('--to <time>', 'only decisions at or before this event time')
  .option('--json')
  .action(auditDriftCommand);
audit.command('validation').description("re-run the platform's dataset validation (suites in force, previous versions) over the log").option('--json').action(auditValidationCommand);
audit.command('runs').description('re-run the run decider over the command log').option('--json').action((o) => auditAggregateCommand('runs', o));
audit
  .command('registry')
  .description('re-run the model decider over the command log, or with --at show the registry as it was')
  .option('--at <time|partition:offset>', 'the registry at an event time (ISO-8601 or epoch ms) or up to a registry-topic offset')
  .option('--json')
  .action((o) => auditAggregateCommand('registry', o));
audit
  .command('lineage')
  .description('model version → run (params, final metrics, code version) → dataset versions, with Kafka coordinates')
  .requiredOption('--model <name>', 'registered model name')
  .requiredOption('--version <n>', 'model version number')
  .option('--json')
  .action(auditLineageCommand);
audit
  .command('retrain')
  .description('recompute every challenger evaluation of the retrain jobs (snapshot and challenger from the artifact store) and check the promotion that followed')
  .option('--model <name>', 'only this model')
  .option('--json')
  .action(auditRetrainCommand);

program
  .command('replay')
  .description('rebuild the ClickHouse read model from a topic range into a fresh database and compare it with the live one, table by table (exit 1 when one differs)')
  .option('--database <name>', 'target database (default mlstream_replay_<UTC time>); refused if live or not empty unless --force')
  .option('--from <time|offsets>', 'ISO-8601 or epoch ms (Kafka record time), or partition:offset / topic:partition:offset, comma-separated (inclusive)')
  .option('--to <time|offsets>', 'as --from (inclusive); default the end offsets captured at the start')
  .option('--topics <names>', 'comma-separated topic names or stream ids (default every materialized topic)')
  .option('--compare-with <database>', 'database to compare with (default the live one, MLSTREAM_CLICKHOUSE_DATABASE)')
  .option('--no-compare', 'replay only')
  .option('--force', 'replay into the live or a non-empty database (rows at or below each table watermark are skipped)')
  .option('--keep', 'keep the replayed database (the default)')
  .option('--drop-after', 'drop the replayed database after the comparison (only one this replay created)')
  .option('--wait-live <ms>', 'wait this long for the live materializer to reach the replayed offsets', '15000')
  .option('--json')
  .action(replayCommand);

(await import('./commands/demo.ts')).registerDemo(program);

const stack = program.command('stack').description('the local Kafka, schema registry and ClickHouse');
const clusterOption = '--cluster';
const clusterHelp = 'the local cluster instead: 3 KRaft brokers, ZooKeeper, 2 ClickHouse replicas, the registry (state under $MLSTREAM_HOME/cluster, ports from MLSTREAM_CLUSTER_PORT_BASE=29100)';
stack.command('up').description('provision (first time) and start the stack, wait until ready, then exit').option(clusterOption, clusterHelp).option('--json').action(stackUpCommand);
stack
  .command('down')
  .description('stop what this project started')
  .option('--only <parts>', 'comma-separated subset: kafka,registry,clickhouse (cluster: kafka-1..3, clickhouse-1..2, zookeeper, registry)')
  .option(clusterOption, clusterHelp)
  .option('--json')
  .action(stackDownCommand);
stack
  .command('status')
  .description('versions, ports and readiness (cluster: brokers, replicas, ZooKeeper, service instances and their consumer lag)')
  .option(clusterOption, clusterHelp)
  .option('--json')
  .action(stackStatusCommand);

program.parseAsync(process.argv).catch((error: unknown) => {
  if (isMlstreamError(error)) {
    console.error(`mlstream: error [${error.code}]: ${error.message}`);
  } else {
    console.error('mlstream: unexpected error:', error);
  }
  process.exit(1);
});
