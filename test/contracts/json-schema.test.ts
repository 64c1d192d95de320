import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DomainDetailType, TRIBUTARY_SOURCE } from '../../contracts/domain-events';
import { generateJsonSchemas, JSON_SCHEMA_DIR, writeJsonSchemas } from '../../contracts/generate-json-schema';

const HINT = 'contracts/json-schema is out of date with the zod contracts: run `npm run gen:json-schema` and commit the result';

describe('generated JSON Schema', () => {
  const generated = generateJsonSchemas();

  it('has one draft-04 schema per domain event, pinned to its source and detail-type', () => {
    expect(Object.keys(generated).sort()).toEqual(Object.values(DomainDetailType).map((t) => `${t}.json`).sort());
    for (const [file, text] of Object.entries(generated)) {
      const schema = JSON.parse(text);
      expect(schema.$schema).toBe('http://json-schema.org/draft-04/schema#');
      expect(schema.title).toBe(file.replace(/\.json$/, ''));
      expect(schema.properties['detail-type'].enum).toEqual([schema.title]);
      expect(schema.properties.source.enum).toEqual([TRIBUTARY_SOURCE]);
      expect(schema.properties.detail.properties.schemaVersion.enum).toEqual([1]);
      expect(text.endsWith('}\n')).toBe(true);
    }
  });

  it('is deterministic', () => {
    expect(generateJsonSchemas()).toEqual(generated);
  });

  it('matches the committed files in contracts/json-schema', () => {
    const committed = fs.existsSync(JSON_SCHEMA_DIR) ? fs.readdirSync(JSON_SCHEMA_DIR).filter((f) => f.endsWith('.json')).sort() : [];
    const drift: string[] = [];
    for (const file of new Set([...committed, ...Object.keys(generated)])) {
      const onDisk = committed.includes(file) ? fs.readFileSync(path.join(JSON_SCHEMA_DIR, file), 'utf8') : undefined;
      if (onDisk === undefined) drift.push(`${file}: missing`);
      else if (generated[file] === undefined) drift.push(`${file}: no longer generated`);
      else if (onDisk !== generated[file]) drift.push(`${file}: differs`);
    }
    if (drift.length > 0) throw new Error(`${HINT}\n  ${drift.join('\n  ')}`);
  });

  it('writes the generated files and removes stale ones', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-json-schema-'));
    try {
      fs.writeFileSync(path.join(dir, 'Stale.json'), '{}\n');
      fs.writeFileSync(path.join(dir, 'notes.txt'), 'kept\n');
      writeJsonSchemas(dir);
      expect(fs.readdirSync(dir).sort()).toEqual([...Object.keys(generated), 'notes.txt'].sort());
      for (const [file, text] of Object.entries(generated)) expect(fs.readFileSync(path.join(dir, file), 'utf8')).toBe(text);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
