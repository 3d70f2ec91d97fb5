import conventional from '@commitlint/config-conventional';

export default {
  ...conventional,
  rules: {
    ...conventional.rules,
    'type-enum': [2, 'always', [...conventional.rules['type-enum'][2], 'wip']],
    'subject-case': [0],
  },
};
