/**
 * Jest transform for the few dependencies published as ES modules only (hyparquet): esbuild turns
 * each file into CommonJS, as the Lambda bundle and tsx load them natively.
 */
const { transformSync } = require('esbuild');

module.exports = {
  process(source, filename) {
    return { code: transformSync(source, { loader: 'js', format: 'cjs', target: 'node20', sourcefile: filename, sourcemap: 'inline' }).code };
  },
};
