// Parser options shipflow honours: a header pattern, note keywords, issue
// prefixes and a comment character.
export default {
  extends: ['@commitlint/config-conventional'],
  parserPreset: {
    parserOpts: {
      headerPattern: /^(\w*)(?:\((.*)\))?!?: (.*)$/,
      noteKeywords: ['BREAKING CHANGE', 'DEPRECATED'],
      issuePrefixes: ['REF-', '#'],
      commentChar: ';',
    },
  },
  rules: {
    'references-empty': [2, 'never'],
    'footer-leading-blank': [2, 'always'],
  },
};
