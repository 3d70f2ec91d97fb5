export default { rules: { 'type-enum': [2, 'always', [process.env.HOME ? 'home' : 'nohome']] }, extra: true };
