import type { DuckDBConnection } from '@duckdb/node-api';

/**
 * A fixed set of DuckDB connections to one database, lent one query at a time: DuckDB runs statements
 * of different connections in parallel (MVCC), so queries no longer wait behind unrelated ones.
 * Borrowers are served in the order they asked, so queries start in submission order.
 */
export class ConnectionPool {
  private readonly idle: DuckDBConnection[];
  private readonly waiting: ((connection: DuckDBConnection) => void)[] = [];
  private readonly busy = new Set<DuckDBConnection>();

  /** A pool of these connections (at least one). */
  constructor(private readonly connections: readonly DuckDBConnection[]) {
    if (connections.length === 0) throw new Error('a connection pool needs at least one connection');
    this.idle = [...connections];
  }

  /** How many connections the pool has. */
  get size(): number {
    return this.connections.length;
  }

  /** Runs `work` on a connection of its own once one is free, then gives the connection back. */
  async use<T>(work: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    const connection = this.idle.pop() ?? (await new Promise<DuckDBConnection>((resolve) => this.waiting.push(resolve)));
    this.busy.add(connection);
    try {
      return await work(connection);
    } finally {
      this.busy.delete(connection);
      const next = this.waiting.shift();
      if (next) next(connection);
      else this.idle.push(connection);
    }
  }

  /** Interrupts the statement each lent connection is running (DuckDB fails it with an interrupt error). */
  interruptAll(): void {
    for (const connection of this.busy) connection.interrupt();
  }

  /** Closes every connection; call once nothing is lent. */
  closeSync(): void {
    for (const connection of this.connections) connection.closeSync();
  }
}
