const shared = require('./lib/shared');
module.exports = { extends: ['commitlint-config-team'], plugins: ['@team/plugin'], rules: { ...shared.rules, 'team-rule': [2, 'always'] } };
