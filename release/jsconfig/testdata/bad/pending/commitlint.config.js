// waits for something that never comes
module.exports = new Promise(() => {});
