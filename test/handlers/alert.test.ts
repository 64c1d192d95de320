import { renderAlert } from '../../handlers/alert';

describe('renderAlert', () => {
  it('names stage, dataset, run, object, error class, message and the next command', () => {
    const alert = renderAlert({
      schemaVersion: 1, stage: 'register-landing', dataset: 'traffic', zone: 'quarantine', runId: 'run-1',
      object: { bucket: 'tributary-raw', key: 'traffic/x.jsonl', etag: 'e', size: 3 },
      errorClass: 'input', errorName: 'PoisonInputError', message: 'file is empty: traffic/x.jsonl', retryable: false,
      inspect: 'tributary run run-1', occurredAt: '2026-01-05T10:00:00Z',
    });
    expect(alert.title).toBe('[tributary] register-landing failed (dataset traffic, zone quarantine): input PoisonInputError');
    expect(alert.body.split('\n')).toEqual([
      'stage:     register-landing',
      'dataset:   traffic',
      'run:       run-1',
      'object:    s3://tributary-raw/traffic/x.jsonl',
      'error:     input / PoisonInputError',
      'message:   file is empty: traffic/x.jsonl',
      'at:        2026-01-05T10:00:00Z',
      'next:      tributary run run-1',
    ]);
  });
});
