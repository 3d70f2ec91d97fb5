module.exports = {
  extends: ['@commitlint/config-conventional'],
  plugins: [
    {
      rules: {
        'ticket-in-subject': (parsed, when = 'always', value) => {
          const re = new RegExp(value || '[A-Z]+-\\d+');
          const has = re.test(parsed.subject || '');
          const ok = when === 'never' ? !has : has;
          return [ok, `subject must ${when === 'never' ? 'not ' : ''}reference a ticket like ABC-123`];
        },
      },
    },
  ],
  rules: {
    'ticket-in-subject': [2, 'always', '[A-Z]+-\\d+'],
  },
};
