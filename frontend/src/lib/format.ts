// Dates and times for people: in the panel's language (the system's
// variant of it) and the computer's time zone (tests pass both).
import { intlLocale } from './i18n.svelte'

export interface Where {
  locale?: string
  timeZone?: string
}

// day formats a calendar date (YYYY-MM-DD) such as "25 Nov 2026".
export function day(date: string, where: Where = {}): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date)
  if (!m) {
    return date
  }
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
  return new Intl.DateTimeFormat(where.locale ?? intlLocale(), { dateStyle: 'medium', timeZone: 'UTC' }).format(d)
}

// moment formats an instant (RFC 3339) with date and time.
export function moment(instant: string, where: Where = {}): string {
  const d = new Date(instant)
  if (instant === '' || Number.isNaN(d.getTime())) {
    return instant
  }
  return new Intl.DateTimeFormat(where.locale ?? intlLocale(), { dateStyle: 'medium', timeStyle: 'short', timeZone: where.timeZone }).format(d)
}

// span formats an appointment's start and end: the end's date is left out
// when it is the start's.
export function span(start: string, end: string, where: Where = {}): string {
  const a = new Date(start)
  const b = new Date(end)
  if (Number.isNaN(a.getTime()) || Number.isNaN(b.getTime())) {
    return `${start} – ${end}`
  }
  const dayOf = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: where.timeZone }).format(d)
  const to = dayOf(a) === dayOf(b)
    ? new Intl.DateTimeFormat(where.locale ?? intlLocale(), { timeStyle: 'short', timeZone: where.timeZone }).format(b)
    : moment(end, where)
  return `${moment(start, where)} – ${to}`
}

// today is the computer's date as YYYY-MM-DD.
export function today(now: Date = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0')
  return `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}`
}
