import * as path from 'node:path';
import * as ts from 'typescript';

/**
 * Compiles stage-needs.types.ts with the project's compiler options: every `@ts-expect-error` there
 * marks an undeclared port, so any diagnostic (an unused directive) means an undeclared port became
 * usable, or a declared one stopped being.
 */
describe('DepsOf (type level)', () => {
  it('hands a stage its declared ports and no other', () => {
    const root = path.resolve(__dirname, '../..');
    const config = ts.getParsedCommandLineOfConfigFile(path.join(root, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
    if (config === undefined) throw new Error('tsconfig.json did not parse');
    const program = ts.createProgram([path.join(__dirname, 'stage-needs.types.ts')], { ...config.options, noEmit: true });
    const messages = ts.getPreEmitDiagnostics(program).map((d) => `${d.file?.fileName ?? ''}:${d.start ?? ''} ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
    expect(messages).toEqual([]);
  });
});
