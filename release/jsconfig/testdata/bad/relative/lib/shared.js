module.exports = { rules: { 'scope-enum': [2, 'always', ['core']] } };
