module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  // e2e/ holds Node scripts for the repo's browser-test runner (e2e/ at the root): they use
  // the root's playwright-core and portal helpers, not this package's dependencies.
  ignorePatterns: ['e2e/'],
});
