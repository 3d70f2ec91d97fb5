module.exports = require('../../../../../../../etc/passwd');
