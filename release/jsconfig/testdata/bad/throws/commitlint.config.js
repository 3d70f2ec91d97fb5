// a config that throws
const x = 1;
throw new Error('no config for you');
