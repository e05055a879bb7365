// Checks of the forms before they are sent: each answers the sentence to
// show by the field, or ''. The service checks again and has the last word.

export interface ConnectForm {
  address: string
  email: string
  password: string
}

export type ConnectErrors = Partial<Record<keyof ConnectForm, string>>

export function checkConnect(f: ConnectForm): ConnectErrors {
  const errors: ConnectErrors = {}
  if (f.address.trim() === '') {
    errors.address = "Enter the portal service's address, such as https://portal.example.org."
  }
  const email = f.email.trim()
  if (email === '') {
    errors.email = 'Enter your staff email address.'
  } else if (!/^[^\s@]+@[^\s@]+$/.test(email)) {
    errors.email = `"${email}" is not an email address: it needs a name, an @ and a domain.`
  }
  if (f.password === '') {
    errors.password = 'Enter your password.'
  }
  return errors
}

// checkDate checks an optional YYYY-MM-DD date ('' means today).
export function checkDate(date: string): string {
  if (date === '') {
    return ''
  }
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date)
  if (!m) {
    return 'Write the date as YYYY-MM-DD, or leave it empty for today.'
  }
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
  if (d.getUTCMonth() !== Number(m[2]) - 1 || d.getUTCDate() !== Number(m[3])) {
    return `${date} is not a date of the calendar.`
  }
  return ''
}
