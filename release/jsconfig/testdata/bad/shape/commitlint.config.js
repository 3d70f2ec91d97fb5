module.exports = ['not', 'a', 'config'];
