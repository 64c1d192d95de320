/** Jest: TypeScript through ts-jest; tests live under test/ and mirror the source tree. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  testTimeout: 60000,
  setupFilesAfterEnv: ['<rootDir>/test/infra/aws/api-model/jest-setup.ts'],
};
