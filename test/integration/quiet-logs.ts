/**
 * Imported first by the integration tests: the stage loggers read `POWERTOOLS_LOG_LEVEL` when their
 * modules load, so it is set here, before any stage is imported (WARN keeps failures visible).
 */
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';

export {};
