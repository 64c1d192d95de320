import { Logger } from '@aws-lambda-powertools/logger';

/**
 * The structured JSON logger of one stage (Powertools), with the stage in every line; stages append
 * `runId` (or `runIds`) so one run's lines correlate across stages. The level comes from
 * `POWERTOOLS_LOG_LEVEL` (the embedded CLI sets WARN unless `--verbose`).
 */
export function stageLogger(stage: string): Logger {
  return new Logger({ serviceName: 'tributary', persistentKeys: { stage } });
}
