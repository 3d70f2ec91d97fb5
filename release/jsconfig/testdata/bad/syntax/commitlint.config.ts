const a = {
  rules: {
    'type-enum': [2, 'always' ['feat']],
  
};
export default a;
