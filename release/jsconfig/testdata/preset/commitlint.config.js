module.exports = {
  parserPreset: {
    parserOpts: {
      headerPattern: /^\[(\w+)\] (?:<(\w+)> )?(.+)$/,
      headerCorrespondence: ['type', 'scope', 'subject'],
    },
  },
  rules: {
    'type-enum': [2, 'always', ['feat', 'fix']],
    'type-empty': [2, 'never'],
    'subject-empty': [2, 'never'],
    'scope-enum': [2, 'always', ['api', 'ui']],
  },
};
