const fs = require('fs');
module.exports = { rules: JSON.parse(fs.readFileSync('rules.json')) };
