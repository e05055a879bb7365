import { afterEach, describe, expect, it } from 'vitest'
import { useLang } from './i18n.svelte'
import { bulkSummary, changes, checkDetails, lastLogin, linkText, lockText, isLocked, outcomeText } from './access'
import type { Access, ClientDetail, LinkState } from './clientTypes'
import { counts, rules, unmet } from './password'
import { countText, full, isSelected, maxSelected, noSelection, pageState, toggle, togglePage } from './selection'

const where = { locale: 'en-GB', timeZone: 'America/New_York' }
const policy = { minLength: 10, minUpper: 2, minLower: 2, minDigit: 2, minSpecial: 2 }

describe('the password policy, checked as the person types', () => {
  it('counts as the service does: capitals, small letters, digits, anything else not a letter', () => {
    expect(counts('Ab1 !é')).toEqual({ length: 6, upper: 1, lower: 2, digit: 1, special: 2 })
    // NFKC first: the full-width digit is a digit, the ligature two letters.
    expect(counts('１ﬁ')).toEqual({ length: 3, upper: 0, lower: 2, digit: 1, special: 0 })
    // Accented capitals and small letters of other scripts count as letters.
    expect(counts('ÉΩжß')).toEqual({ length: 4, upper: 2, lower: 2, digit: 0, special: 0 })
  })

  it('lists the rules the portal lists, in its words, marking those met', () => {
    const list = rules(policy, 'Ab12')
    expect(list.map((r) => [r.kind, r.met])).toEqual([
      ['length', false], ['upper', false], ['lower', false], ['digit', true], ['special', false], ['common', false],
    ])
    expect(list.map((r) => r.text)).toEqual([
      'at least 10 characters', 'at least 2 capital letters (A–Z)', 'at least 2 small letters (a–z)', 'at least 2 numbers (0–9)',
      'at least 2 symbols or spaces (such as ! ? # or a space)', 'not a common or easy-to-guess password (checked when you send it)',
    ])
    expect(rules(policy, 'Lilac-Garden-47!Tq').filter((r) => r.kind !== 'common').every((r) => r.met)).toBe(true)
  })

  it('leaves out the rules a policy does not ask for (the NIST preset: length only)', () => {
    expect(rules({ minLength: 15, minUpper: 0, minLower: 0, minDigit: 0, minSpecial: 0 }, '').map((r) => r.kind)).toEqual(['length', 'common'])
  })

  it('says what an unsent password still misses', () => {
    expect(unmet(policy, '')).toBe('Type the new password first.')
    expect(unmet(policy, 'abcdefghij')).toBe('The password needs at least 2 capital letters (A–Z); at least 2 numbers (0–9); at least 2 symbols or spaces (such as ! ? # or a space).')
    expect(unmet(policy, 'Lilac-Garden-47!Tq')).toBe('')
  })
})

const acc = (extra: Partial<Access> = {}): Access => ({
  passwordSet: true, allowedToLogOn: true, emailNotice: true, activated: true, locked: false, lockedAt: '', temporarilyLocked: false,
  lockedUntil: '', lockedOut: false, badLoginAttempts: 0, lastLoginAt: '', lastLoginIp: '', canLogOn: true, missing: [], mustChangePassword: false, ...extra,
})

describe('the access panel\'s words', () => {
  it('says how a client is locked, and whether Unlock would do anything', () => {
    expect(lockText(acc(), where)).toBe('')
    expect(isLocked(acc())).toBe(false)
    expect(lockText(acc({ locked: true, lockedAt: '2026-11-25T15:00:00Z' }), where)).toBe('Locked by staff since 25 Nov 2026, 10:00')
    expect(lockText(acc({ temporarilyLocked: true, lockedUntil: '2026-11-25T15:15:00Z', badLoginAttempts: 5 }), where))
      .toBe('Temporarily locked after 5 wrong passwords, until 25 Nov 2026, 10:15')
    expect(lockText(acc({ lockedOut: true, badLoginAttempts: 5 }), where)).toBe('Locked out after 5 wrong passwords, until staff unlock')
    expect([acc({ locked: true }), acc({ lockedOut: true }), acc({ temporarilyLocked: true })].every(isLocked)).toBe(true)
  })

  it('says the last login with its address', () => {
    expect(lastLogin(acc(), where)).toBe('Never')
    expect(lastLogin(acc({ lastLoginAt: '2026-11-20T15:04:00Z', lastLoginIp: '203.0.113.7' }), where)).toBe('20 Nov 2026, 10:04 from 203.0.113.7')
  })

  it('says how an invitation stands: used, revoked, void, expired or active', () => {
    const l = (x: Partial<LinkState>): LinkState => ({ active: false, expired: false, voided: false, attempts: 0, email: 'r@example.org',
      issued: '2026-11-18T15:00:00Z', expires: '2026-11-25T15:00:00Z', used: '', revoked: '', easyLogin: false, sends: 1, ...x })
    expect(linkText(undefined)).toBe('Never sent')
    expect(linkText(l({ active: true }), where)).toBe('Active until 25 Nov 2026, 10:00')
    expect(linkText(l({ expired: true }), where)).toBe('Expired 25 Nov 2026, 10:00')
    expect(linkText(l({ voided: true, attempts: 5 }), where)).toBe('Void after 5 wrong answers')
    expect(linkText(l({ revoked: '2026-11-19T15:00:00Z' }), where)).toBe('Revoked 19 Nov 2026, 10:00')
    expect(linkText(l({ used: '2026-11-19T16:00:00Z', expired: true }), where)).toBe('Used 19 Nov 2026, 11:00')
  })

  it('sums up a bulk invitation', () => {
    const it_ = (outcome: string, clientId: number) => ({ clientId, name: `c${clientId}`, email: '', outcome })
    expect(bulkSummary({ invited: 2, items: [it_('invited', 1), it_('invited', 2), it_('has_account', 3), it_('no_email', 4), it_('no_email', 5)] }))
      .toBe('2 clients invited; 1 already has an account; 2 have no email address.')
    expect(bulkSummary({ invited: 0, items: [it_('already_invited', 1)] })).toBe('Nobody was invited; 1 already has an active invitation.')
    expect(bulkSummary({ invited: 0, items: [] })).toMatch(/no clients/)
    expect(outcomeText('missing_fact')).toMatch(/birth date or ID digits/)
  })
})

describe('the client details form', () => {
  const client: ClientDetail = { id: 1, name: 'José Ramírez', email: 'jose@example.org', phone: '+1 555 0177', language: 'es', birthDate: '',
    idLast4: '', created: '', updated: '', access: acc() }
  const form = { name: 'José Ramírez', email: 'jose@example.org', phone: '+1 555 0177', language: 'es', birthDate: '', idLast4: '' }

  it('names each field to fix', () => {
    expect(checkDetails(form)).toEqual({})
    const errs = checkDetails({ ...form, name: ' ', email: 'jose', birthDate: '1979-02-30', idLast4: '12' })
    expect(errs.name).toMatch(/name/)
    expect(errs.email).toMatch(/"jose" is not an email/)
    expect(errs.birthDate).toBe('1979-02-30 is not a date of the calendar.')
    expect(errs.idLast4).toMatch(/exactly the last 4/)
    expect(checkDetails({ ...form, idLast4: 'x7Z9' })).toEqual({})
  })

  it('sends only what changed, trimmed', () => {
    expect(changes(client, form)).toEqual({})
    expect(changes(client, { ...form, phone: ' +1 555 0999 ', birthDate: '1979-03-14' })).toEqual({ phone: '+1 555 0999', birthDate: '1979-03-14' })
    expect(changes(client, { ...form, language: '' })).toEqual({ language: '' })
  })
})

describe('choosing cases to invite their clients', () => {
  it('chooses cases one by one and a page at a time, across pages', () => {
    let s = { ...noSelection(), on: true }
    s = toggle(s, 3)
    expect(isSelected(s, 3)).toBe(true)
    expect(pageState(s, [1, 2, 3])).toBe('some')
    s = togglePage(s, [1, 2, 3])
    expect(s.ids).toEqual([3, 1, 2])
    expect(pageState(s, [1, 2, 3])).toBe('all')
    s = togglePage(s, [4, 5]) // the next page
    expect(countText(s)).toBe('5 cases chosen')
    s = togglePage(s, [1, 2, 3]) // all chosen: unchoose them
    expect(s.ids).toEqual([4, 5])
    s = toggle(s, 4)
    expect(s.ids).toEqual([5])
    expect(pageState(s, [])).toBe('none')
    expect(countText(toggle(s, 5))).toBe('No cases chosen')
  })

  it('takes at most as many cases as one invitation may', () => {
    let s = togglePage({ on: true, ids: [] }, Array.from({ length: maxSelected + 20 }, (_, i) => i + 1))
    expect(s.ids).toHaveLength(maxSelected)
    expect(full(s)).toBe(true)
    expect(toggle(s, 5000)).toBe(s)
    s = toggle(s, 1)
    expect(full(s)).toBe(false)
    expect(countText(s)).toBe('999 cases chosen')
  })
})

describe('the client words in Spanish', () => {
  afterEach(() => useLang('en'))
  const es = { locale: 'es-MX', timeZone: 'America/New_York' }

  it('lists the password rules and what is missing, each in its plural form', () => {
    useLang('es')
    const one = { minLength: 1, minUpper: 1, minLower: 0, minDigit: 0, minSpecial: 0 }
    expect(rules(one, '').map((r) => r.text)).toEqual([
      'al menos 1 carácter', 'al menos 1 letra mayúscula (A–Z)', 'que no sea una contraseña común o fácil de adivinar (se revisa al enviarla)',
    ])
    expect(unmet(policy, 'abcdefghij')).toBe(
      'La contraseña necesita al menos 2 letras mayúsculas (A–Z); al menos 2 números (0–9); al menos 2 símbolos o espacios (como ! ? # o un espacio).')
    expect(unmet(policy, '')).toBe('Primero escriba la nueva contraseña.')
  })

  it('says locks, links and a bulk invitation in Spanish', () => {
    useLang('es')
    expect(lockText(acc({ lockedOut: true, badLoginAttempts: 1 }), es)).toBe('Bloqueada tras 1 contraseña incorrecta, hasta que el personal la desbloquee')
    expect(lockText(acc({ lockedOut: true, badLoginAttempts: 5 }), es)).toBe('Bloqueada tras 5 contraseñas incorrectas, hasta que el personal la desbloquee')
    expect(lastLogin(acc(), es)).toBe('Nunca')
    expect(linkText(undefined, es)).toBe('Nunca se envió')
    expect(linkText({ active: false, expired: false, voided: true, attempts: 3, email: '', issued: '', expires: '', used: '', revoked: '', easyLogin: false, sends: 1 }, es)).toBe('Anulada tras 3 respuestas incorrectas')
    expect(outcomeText('has_account')).toBe('Ya tiene cuenta')
    expect(bulkSummary({ invited: 0, items: [] })).toBe('Los casos elegidos no tienen clientes; no se invitó a nadie.')
    const item = (outcome: string) => ({ clientId: 1, name: 'x', email: '', outcome })
    expect(bulkSummary({ invited: 2, items: [item('invited'), item('invited'), item('no_email')] }))
      .toBe('2 clientes invitados; 1 no tiene correo electrónico.')
    expect(countText({ on: true, ids: [] })).toBe('Ningún caso elegido')
    expect(countText({ on: true, ids: [7] })).toBe('1 caso elegido')
    useLang('en')
    expect(countText({ on: true, ids: Array.from({ length: 1000 }, (_, i) => i) })).toBe('1,000 cases chosen')
  })

  it('names what to fix in the details form in Spanish', () => {
    useLang('es')
    const f = { name: '', email: 'amina', phone: '', language: '', birthDate: '1990-02-30', idLast4: '1' }
    expect(checkDetails(f)).toEqual({
      name: 'Escriba el nombre del cliente.',
      email: '«amina» no es un correo electrónico: necesita un nombre, una @ y un dominio.',
      birthDate: '1990-02-30 no es una fecha del calendario.',
      idLast4: 'Escriba exactamente las últimas 4 letras o cifras del número de identificación, o déjelo vacío.',
    })
  })
})
