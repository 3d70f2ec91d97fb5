module.exports = {
  extends: ['@commitlint/config-conventional'],
  rules: {
    'scope-enum': [2, 'always', { scopes: ['api', 'cli', 'web'], delimiters: ['|'] }],
    'scope-case': [2, 'always', { cases: ['lower-case'], delimiters: ['|'] }],
  },
};
