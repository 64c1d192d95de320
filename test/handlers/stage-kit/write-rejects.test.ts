import { splitRunId } from '../../../handlers/stage-kit/write-rejects';

describe('splitRunId (a staged reject line → its run and its row)', () => {
  it('splits a line that starts with the run id as text, keeping the row as written', () => {
    const line = '{"run_id":"run-3f2a","uniqueid":"S001","currentspeed":251,"reason":"speed_sentinel","note":"a, \\"quoted\\" value"}';
    const [runId, row] = splitRunId(line);
    expect(runId).toBe('run-3f2a');
    expect(row).toBe('{"uniqueid":"S001","currentspeed":251,"reason":"speed_sentinel","note":"a, \\"quoted\\" value"}');
    expect(JSON.parse(row)).toEqual({ uniqueid: 'S001', currentspeed: 251, reason: 'speed_sentinel', note: 'a, "quoted" value' });
  });

  it('parses a line of any other shape (run id elsewhere, spacing) to the same row', () => {
    const [runId, row] = splitRunId('{ "uniqueid": "S001", "run_id": "run-3f2a", "currentspeed": 251 }\r');
    expect(runId).toBe('run-3f2a');
    expect(JSON.parse(row)).toEqual({ uniqueid: 'S001', currentspeed: 251 });
  });

  it('rejects a line without a run id, naming the problem', () => {
    expect(() => splitRunId('{"uniqueid":"S001"}')).toThrow(/run_id/);
    expect(() => splitRunId('not json')).toThrow(SyntaxError);
  });
});
