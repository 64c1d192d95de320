import { DuckDBInstance } from '@duckdb/node-api';
import { ConnectionPool } from '../../../../infra/emulators/query/connection-pool';

describe('ConnectionPool', () => {
  it('lends each connection to one borrower at a time and serves waiters in order', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const pool = new ConnectionPool([await instance.connect()]);
    const order: string[] = [];
    let release: () => void = () => undefined;
    const first = pool.use(async () => {
      order.push('first');
      await new Promise<void>((resolve) => (release = resolve));
    });
    const second = pool.use(async (c) => {
      order.push('second');
      return (await c.runAndReadAll('SELECT 7')).getRows()[0]?.[0];
    });
    const third = pool.use(async () => order.push('third'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual(['first']);
    release();
    await first;
    expect(await second).toBe(7);
    await third;
    expect(order).toEqual(['first', 'second', 'third']);
    pool.closeSync();
    instance.closeSync();
  });

  it('needs at least one connection', () => {
    expect(() => new ConnectionPool([])).toThrow(/at least one connection/);
  });
});
