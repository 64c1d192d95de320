import type { ObjectSchema } from '../../../../infra/emulators/crawler/infer-object-schema';
import { objectsOutsidePartitions, planTables, type ClassifiedObject } from '../../../../infra/emulators/crawler/plan-tables';

function obj(rel: string, columns: string[], classification: ObjectSchema['classification'] = 'json'): ClassifiedObject {
  return { rel, size: 10, schema: { classification, compressionType: 'none', recordCount: 1, columns: columns.map((name) => ({ name, type: { kind: 'primitive', name: 'string' } })) } };
}
const summary = (plans: ReturnType<typeof planTables>) => plans.map((p) => `${p.name}@${p.rootRel}[${p.partitionKeys.join(',')}]`);

describe('Glue table grouping', () => {
  it('makes the target one table when all files sit at one depth with similar schemas', () => {
    const plans = planTables([obj('dt=1/h=0/a.json', ['a', 'b']), obj('dt=1/h=1/b.json', ['a', 'b', 'c'])], { rootName: 'traffic' });
    expect(summary(plans)).toEqual(['traffic@[dt,h]']);
    expect(plans[0]?.partitions.map((p) => p.values)).toEqual([['1', '0'], ['1', '1']]);
  });

  it('names levels partition_<i> unless every folder at that level is k=v with the same k', () => {
    const plans = planTables([obj('2024/k=1/a.json', ['a']), obj('2025/j=2/b.json', ['a'])], { rootName: 'x' });
    expect(summary(plans)).toEqual(['x@[partition_0,partition_1]']);
    expect(plans[0]?.partitions.map((p) => p.values)).toEqual([['2024', 'k=1'], ['2025', 'j=2']]);
  });

  it('splits when more than 30 % of the leaves have another schema, but not when fewer do', () => {
    const majority = ['1', '2', '3', '4'].map((d) => obj(`d=${d}/f.json`, ['a', 'b']));
    expect(summary(planTables([...majority, obj('d=5/f.json', ['x', 'y'])], { rootName: 't' }))).toEqual(['t@[d]']);
    expect(summary(planTables([...majority.slice(0, 2), obj('d=5/f.json', ['x', 'y'])], { rootName: 't' }))).toEqual(['d_1@d=1[]', 'd_2@d=2[]', 'd_5@d=5[]']);
  });

  it('never groups different formats or depths; files next to folders become tables of their own', () => {
    const plans = planTables([obj('marker.csv', ['a', 'b'], 'csv'), obj('data/x.json', ['a']), obj('data/y.json', ['a'])], { rootName: 'root', prefix: 'p_' });
    expect(summary(plans)).toEqual(['p_marker_csv@marker.csv[]', 'p_data@data[]']);
  });

  it('gives a colliding name a hash suffix', () => {
    const plans = planTables([obj('a-b/x.json', ['a']), obj('a_b/y.json', ['q', 'r', 's'])], { rootName: 'root' });
    expect(plans.map((p) => p.name)).toEqual(['a_b', expect.stringMatching(/^a_b_[0-9a-f]{8}$/)]);
  });

  describe('with a table level (TableLevelConfiguration)', () => {
    const hourly = ['2026/01/05/13/a.jsonl', '2026/01/05/14/b.jsonl'].map((rel) => obj(rel, ['a', 'b']));

    it('keeps the hour-foldered layout one table with four partition keys', () => {
      const plans = planTables(hourly, { rootName: 'traffic', tableDepth: 0 });
      expect(summary(plans)).toEqual(['traffic@[partition_0,partition_1,partition_2,partition_3]']);
      expect(plans[0]?.partitions.map((p) => p.values)).toEqual([['2026', '01', '05', '13'], ['2026', '01', '05', '14']]);
    });

    it('makes root files next to hour folders one unpartitioned table, never a table per file or per year', () => {
      const files = [...hourly, obj('one-file.jsonl', ['a', 'b']), obj('other.jsonl', ['a', 'c'])];
      expect(summary(planTables(files, { rootName: 'traffic' }))).not.toEqual(['traffic@[]']);
      const plans = planTables(files, { rootName: 'traffic', tableDepth: 0 });
      expect(summary(plans)).toEqual(['traffic@[]']);
      expect(plans[0]?.objects).toHaveLength(4);
      expect(objectsOutsidePartitions(plans[0]!)).toEqual([]);
    });

    it('takes the levels every file has as keys; deeper files belong to their folder at that depth', () => {
      const plans = planTables([obj('region=eu/a.json', ['a']), obj('region=us/2026/b.json', ['a', 'x'])], { rootName: 't', tableDepth: 0 });
      expect(summary(plans)).toEqual(['t@[region]']);
      expect(plans[0]?.partitions.map((p) => [p.rel, p.values, p.objects.length])).toEqual([['region=eu', ['eu'], 1], ['region=us', ['us'], 1]]);
    });

    it('keeps the keys of an existing table it may not change, and names the files no partition holds', () => {
      const plans = planTables([...hourly, obj('late.jsonl', ['a', 'b'])], { rootName: 'traffic', tableDepth: 0, keptDepths: new Map([['', 4]]) });
      expect(summary(plans)).toEqual(['traffic@[partition_0,partition_1,partition_2,partition_3]']);
      expect(objectsOutsidePartitions(plans[0]!).map((o) => o.rel)).toEqual(['late.jsonl']);
    });

    it('puts one table at each folder of the level and leaves files above it tables of their own', () => {
      const plans = planTables([obj('traffic/a.json', ['a']), obj('traffic/2026/b.json', ['a']), obj('weather/w.csv', ['t', 'v'], 'csv'), obj('readme.json', ['z'])], { rootName: 'lake', tableDepth: 1 });
      expect(summary(plans)).toEqual(['readme_json@readme.json[]', 'traffic@traffic[]', 'weather@weather[]']);
    });
  });
});
