/** Jest: TypeScript through ts-jest; tests live under test/ and mirror the source tree. */
// The AWS SDK's own switch for its Node >= 22 notice (as bin.cjs sets it); workers inherit it.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }], '/node_modules/hyparquet/.+\\.js$': '<rootDir>/test/jest-esm-transform.cjs' },
  // hyparquet is published as ES modules only: its files go through test/jest-esm-transform.cjs.
  transformIgnorePatterns: ['/node_modules/(?!hyparquet/)'],
  testTimeout: 60000,
  setupFilesAfterEnv: ['<rootDir>/test/infra/aws/api-model/jest-setup.ts'],
};
