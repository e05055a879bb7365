// What the access panel says about a client's portal access and their
// single-use links, in words for staff.
import type { Access, BulkInvite, ClientInput, ClientDetail, LinkState } from './clientTypes'
import { checkDate } from './forms'
import { moment, type Where } from './format'

// lockText says whether and how the client is kept out ('' when not).
export function lockText(a: Access, where: Where = {}): string {
  if (a.locked) {
    return a.lockedAt ? `Locked by staff since ${moment(a.lockedAt, where)}` : 'Locked by staff'
  }
  if (a.lockedOut) {
    return `Locked out after ${a.badLoginAttempts} wrong passwords, until staff unlock`
  }
  if (a.temporarilyLocked) {
    return `Temporarily locked after ${a.badLoginAttempts} wrong passwords, until ${moment(a.lockedUntil, where)}`
  }
  return ''
}

// isLocked tells whether an Unlock would change anything.
export const isLocked = (a: Access): boolean => a.locked || a.lockedOut || a.temporarilyLocked

// lastLogin says when and from where the client last signed in.
export function lastLogin(a: Access, where: Where = {}): string {
  if (!a.lastLoginAt) {
    return 'Never'
  }
  return a.lastLoginIp ? `${moment(a.lastLoginAt, where)} from ${a.lastLoginIp}` : moment(a.lastLoginAt, where)
}

// linkText says how a link (an invitation or a reset) stands.
export function linkText(l: LinkState | undefined, where: Where = {}): string {
  if (!l) {
    return 'Never sent'
  }
  if (l.used) return `Used ${moment(l.used, where)}`
  if (l.revoked) return `Revoked ${moment(l.revoked, where)}`
  if (l.voided) return `Void after ${l.attempts} wrong answers`
  if (l.expired) return `Expired ${moment(l.expires, where)}`
  if (l.active) return `Active until ${moment(l.expires, where)}`
  return 'Not active'
}

const outcomeWords: Record<string, [string, string]> = {
  invited: ['client invited', 'clients invited'],
  already_invited: ['already has an active invitation', 'already have an active invitation'],
  has_account: ['already has an account', 'already have an account'],
  no_email: ['has no email address', 'have no email address'],
  missing_fact: ['lacks the fact registration asks for', 'lack the fact registration asks for'],
}

// outcomeText says one client's outcome of a bulk invitation.
export function outcomeText(outcome: string): string {
  switch (outcome) {
    case 'invited': return 'Invited'
    case 'already_invited': return 'Already has an active invitation'
    case 'has_account': return 'Already has an account'
    case 'no_email': return 'No email address: add one on the client’s page'
    case 'missing_fact': return 'Missing the birth date or ID digits registration asks for: add it on the client’s page'
  }
  return outcome
}

// bulkSummary sums up a bulk invitation in one sentence.
export function bulkSummary(r: BulkInvite): string {
  if (r.items.length === 0) {
    return 'The chosen cases have no clients; nobody was invited.'
  }
  const by = new Map<string, number>()
  for (const it of r.items) by.set(it.outcome, (by.get(it.outcome) ?? 0) + 1)
  const parts: string[] = []
  const invited = by.get('invited') ?? 0
  parts.push(invited === 0 ? 'Nobody was invited' : `${invited} ${invited === 1 ? outcomeWords.invited[0] : outcomeWords.invited[1]}`)
  for (const key of ['already_invited', 'has_account', 'no_email', 'missing_fact']) {
    const n = by.get(key) ?? 0
    if (n > 0) parts.push(`${n} ${n === 1 ? outcomeWords[key][0] : outcomeWords[key][1]}`)
  }
  return parts.join('; ') + '.'
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
    errors.name = 'Enter the client’s name.'
  }
  const email = f.email.trim()
  if (email !== '' && !/^[^\s@]+@[^\s@]+$/.test(email)) {
    errors.email = `"${email}" is not an email address: it needs a name, an @ and a domain.`
  }
  const date = f.birthDate.trim()
  if (date !== '') {
    const e = checkDate(date)
    if (e) errors.birthDate = e.replace(', or leave it empty for today', '')
  }
  const last4 = f.idLast4.trim()
  if (last4 !== '' && !/^[\p{L}\p{Nd}]{4}$/u.test(last4)) {
    errors.idLast4 = 'Enter exactly the last 4 letters or digits of the ID number, or leave it empty.'
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
  code === 'en' ? 'English' : code === 'es' ? 'Spanish' : 'The office’s language'
