// What the access panel says about a client's portal access and their
// single-use links, in words for staff.
import type { Access, BulkInvite, ClientInput, ClientDetail, LinkState } from './clientTypes'
import { moment, type Where } from './format'
import { t } from './i18n.svelte'

// lockText says whether and how the client is kept out ('' when not).
export function lockText(a: Access, where: Where = {}): string {
  if (a.locked) {
    return a.lockedAt ? t('clients:access.lockedSince', { when: moment(a.lockedAt, where) }) : t('clients:access.lockedBy')
  }
  if (a.lockedOut) {
    return t('clients:access.lockedOut', { count: a.badLoginAttempts })
  }
  if (a.temporarilyLocked) {
    return t('clients:access.tempLocked', { count: a.badLoginAttempts, until: moment(a.lockedUntil, where) })
  }
  return ''
}

// isLocked tells whether an Unlock would change anything.
export const isLocked = (a: Access): boolean => a.locked || a.lockedOut || a.temporarilyLocked

// lastLogin says when and from where the client last signed in.
export function lastLogin(a: Access, where: Where = {}): string {
  if (!a.lastLoginAt) {
    return t('clients:access.never')
  }
  return a.lastLoginIp ? t('clients:access.lastFrom', { when: moment(a.lastLoginAt, where), ip: a.lastLoginIp }) : moment(a.lastLoginAt, where)
}

// linkText says how a link (an invitation or a reset) stands.
export function linkText(l: LinkState | undefined, where: Where = {}): string {
  if (!l) {
    return t('clients:link.never')
  }
  if (l.used) return t('clients:link.used', { when: moment(l.used, where) })
  if (l.revoked) return t('clients:link.revoked', { when: moment(l.revoked, where) })
  if (l.voided) return t('clients:link.voided', { count: l.attempts })
  if (l.expired) return t('clients:link.expired', { when: moment(l.expires, where) })
  if (l.active) return t('clients:link.active', { when: moment(l.expires, where) })
  return t('clients:link.inactive')
}

// The outcomes of a bulk invitation, in the order the summary says them.
const outcomes = ['invited', 'already_invited', 'has_account', 'no_email', 'missing_fact'] as const
type Outcome = (typeof outcomes)[number]
const isOutcome = (o: string): o is Outcome => (outcomes as readonly string[]).includes(o)

// outcomeText says one client's outcome of a bulk invitation.
export function outcomeText(outcome: string): string {
  return isOutcome(outcome) ? t(`clients:outcome.${outcome}`) : outcome
}

// bulkSummary sums up a bulk invitation in one sentence.
export function bulkSummary(r: BulkInvite): string {
  if (r.items.length === 0) {
    return t('clients:bulk.noClients')
  }
  const by = new Map<string, number>()
  for (const it of r.items) by.set(it.outcome, (by.get(it.outcome) ?? 0) + 1)
  // Each outcome is a whole clause of the panel's language, in its plural
  // form; the clauses are listed as the language lists them.
  const parts: string[] = []
  const invited = by.get('invited') ?? 0
  parts.push(invited === 0 ? t('clients:bulk.nobody') : t('clients:bulk.invited', { count: invited }))
  for (const key of outcomes) {
    const n = by.get(key) ?? 0
    if (key !== 'invited' && n > 0) parts.push(t(`clients:bulk.${key}`, { count: n }))
  }
  return t('clients:bulk.end', { summary: parts.join(t('clients:bulk.separator')) })
}

// The details form, as typed.
export interface DetailsForm {
  name: string
  email: string
  phone: string
  language: string
  birthDate: string
  idLast4: string
}

export type DetailsErrors = Partial<Record<keyof DetailsForm, string>>

export const detailsForm = (c: ClientDetail): DetailsForm => ({
  name: c.name, email: c.email, phone: c.phone, language: c.language, birthDate: c.birthDate, idLast4: c.idLast4,
})

// checkDetails names what is wrong with the details form; the service
// checks again.
export function checkDetails(f: DetailsForm): DetailsErrors {
  const errors: DetailsErrors = {}
  if (f.name.trim() === '') {
    errors.name = t('clients:details.nameEmpty')
  }
  const email = f.email.trim()
  if (email !== '' && !/^[^\s@]+@[^\s@]+$/.test(email)) {
    errors.email = t('clients:details.emailBad', { email })
  }
  const date = f.birthDate.trim()
  if (date !== '') {
    const e = checkBirthDate(date)
    if (e) errors.birthDate = e
  }
  const last4 = f.idLast4.trim()
  if (last4 !== '' && !/^[\p{L}\p{Nd}]{4}$/u.test(last4)) {
    errors.idLast4 = t('clients:details.idBad')
  }
  return errors
}

// changes is what the form changes of client c: only those fields are sent,
// so a colleague's change of another field at the same time stands.
export function changes(c: ClientDetail, f: DetailsForm): ClientInput {
  const out: ClientInput = {}
  for (const key of Object.keys(f) as (keyof DetailsForm)[]) {
    const v = f[key].trim()
    if (v !== c[key]) out[key] = v
  }
  return out
}

export const languageName = (code: string): string =>
  code === 'en' ? t('clients:details.english') : code === 'es' ? t('clients:details.spanish') : t('clients:details.officeLanguage')

// checkBirthDate checks a YYYY-MM-DD date of the calendar ('' when it is
// one). Unlike a case's dates, an empty birth date means none, not today.
function checkBirthDate(date: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date)
  if (!m) return t('clients:details.dateFormat')
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
  if (d.getUTCMonth() !== Number(m[2]) - 1 || d.getUTCDate() !== Number(m[3])) return t('clients:details.dateBad', { date })
  return ''
}
