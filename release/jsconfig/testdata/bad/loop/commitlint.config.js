module.exports = (() => {
  for (;;) {}
})();
