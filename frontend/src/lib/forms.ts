// Checks of the forms before they are sent: each answers the sentence to
// show by the field, or ''. The service checks again and has the last word.
import { t } from './i18n.svelte'

export interface ConnectForm {
  address: string
  email: string
  password: string
}

export type ConnectErrors = Partial<Record<keyof ConnectForm, string>>

export function checkConnect(f: ConnectForm): ConnectErrors {
  const errors: ConnectErrors = {}
  if (f.address.trim() === '') {
    errors.address = t('forms:connect.address')
  }
  const email = f.email.trim()
  if (email === '') {
    errors.email = t('forms:connect.email')
  } else if (!/^[^\s@]+@[^\s@]+$/.test(email)) {
    errors.email = t('forms:connect.notEmail', { email })
  }
  if (f.password === '') {
    errors.password = t('forms:connect.password')
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
    return t('forms:date.format')
  }
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
  if (d.getUTCMonth() !== Number(m[2]) - 1 || d.getUTCDate() !== Number(m[3])) {
    return t('forms:date.notDate', { date })
  }
  return ''
}
