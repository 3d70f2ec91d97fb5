// A CommonJS config with a computed list and a rule computed by a function.
const scopes = ['api', 'cli', 'docs'].map((s) => s.toLowerCase());

module.exports = {
  extends: ['@commitlint/config-conventional'],
  rules: {
    'scope-enum': [2, 'always', scopes],
    'header-max-length': async () => [2, 'always', 50],
    'body-max-line-length': [0],
  },
};
