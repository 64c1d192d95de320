/**
 * Types for `dynalite` (it ships none): a factory returning a plain Node HTTP server that speaks the
 * DynamoDB JSON protocol, stored in LevelDB under `path` (in memory when absent). Only the options
 * Tributary passes are declared.
 */
declare module 'dynalite' {
  import type { Server } from 'node:http';

  interface DynaliteOptions {
    /** LevelDB folder; in memory when absent. */
    path?: string;
    /** Milliseconds a table stays CREATING / DELETING / UPDATING (default 500). */
    createTableMs?: number;
    deleteTableMs?: number;
    updateTableMs?: number;
    maxItemSizeKb?: number;
  }

  function dynalite(options?: DynaliteOptions): Server;
  export = dynalite;
}
