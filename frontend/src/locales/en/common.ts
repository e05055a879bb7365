// Texts shared by every screen: the header, the navigation, the footer,
// the language switch, and the words of errors without a message.
export const common = {
  skip: 'Skip to content',
  product: 'clientportal',
  nav: {
    label: 'Main',
    dashboard: 'Dashboard',
    cases: 'Cases',
    clients: 'Clients',
    waiting: 'Waiting for an invitation',
    settings: 'Settings',
  },
  live: {
    on: 'Live updates on',
    reconnecting_one: 'Reconnecting in {{count}} s…',
    reconnecting_other: 'Reconnecting in {{count}} s…',
    off: 'Live updates off',
  },
  logout: 'Log out',
  loggedOut: 'You have logged out.',
  version: 'Version {{version}}',
  language: {
    label: 'Language',
    system: 'As the system',
    systemNamed: 'As the system ({{name}})',
    saveFailed: 'The language was changed for now but not kept: {{error}}',
  },
  notify: {
    label: 'Desktop notifications',
    title: 'A desktop notification for each new client message or upload',
  },
  error: {
    unknown: 'Something went wrong and the control panel has no words for it. Try again.',
    empty: 'Something went wrong. Try again.',
  },
}
