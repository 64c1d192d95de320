import { parseDatasetManifest } from '../../../contracts/dataset-manifest';
import { csvClassifierNamed, csvClassifierOf, JSON_ARRAY_CLASSIFIER, rawClassifiersOf } from '../../../handlers/stage-kit/crawler-configuration';
import manifestJson from '../../../sql/traffic/manifest.json';

describe('custom classifiers of raw crawlers', () => {
  const withRaw = (raw: unknown) => parseDatasetManifest({ ...manifestJson, raw });

  it('names the JSON-array classifier for json datasets, a CSV dialect classifier for csv datasets, none otherwise', () => {
    expect(rawClassifiersOf(withRaw({ format: 'json' }))).toEqual([JSON_ARRAY_CLASSIFIER.Name]);
    expect(rawClassifiersOf(withRaw({ format: 'csv' }))).toEqual(['tributary-csv-present-2c-22']);
    expect(rawClassifiersOf(withRaw({ format: 'csv', csv: { header: false, delimiter: '\t', quote: "'" } }))).toEqual(['tributary-csv-absent-09-27']);
    expect(rawClassifiersOf(withRaw({ format: 'jsonl' }))).toEqual([]);
    expect(rawClassifiersOf(withRaw({ format: 'parquet' }))).toEqual([]);
  });

  it('reads a CSV classifier back from its name, and nothing from other names', () => {
    const c = csvClassifierOf({ header: false, delimiter: ';', quote: '"' });
    expect(csvClassifierNamed(c.Name)).toEqual({ Name: 'tributary-csv-absent-3b-22', ContainsHeader: 'ABSENT', Delimiter: ';', QuoteSymbol: '"' });
    expect(csvClassifierNamed(JSON_ARRAY_CLASSIFIER.Name)).toBeUndefined();
    expect(csvClassifierNamed('tributary-csv-maybe-2c-22')).toBeUndefined();
  });
});
