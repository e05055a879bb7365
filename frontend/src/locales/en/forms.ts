// Words shared by the forms: the checks of lib/forms.ts and what a
// settings form says after a save (lib/saving.svelte.ts).
export const forms = {
  connect: {
    address: "Enter the portal service's address, such as https://portal.example.org.",
    email: 'Enter your staff email address.',
    notEmail: '"{{email}}" is not an email address: it needs a name, an @ and a domain.',
    password: 'Enter your password.',
  },
  date: {
    format: 'Write the date as YYYY-MM-DD, or leave it empty for today.',
    notDate: '{{date}} is not a date of the calendar.',
  },
  saving: {
    fix: 'Nothing was saved: correct the marked fields.',
    refused: 'Nothing was saved. {{reason}}',
    busy: 'Saving…',
  },
}
