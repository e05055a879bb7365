// The client screens driven as a person would in jsdom (the client list,
// a client's access panel, the waiting list, choosing cases in the case
// list), against FakeClients: the stand-in for the Go side. The real Go
// side is tested against the real service in app/, and the two together
// in the real window (app/window_test.go).
import { flushSync } from 'svelte'
import { afterEach, describe, expect, it } from 'vitest'
import type { CaseRow } from './lib/types'
import { useLang } from './lib/i18n.svelte'
import { settle } from './settle'
import { cleanup, logIn } from './testing/app'
import { button, byLabel, fact, type } from './testing/dom'
import { InertOffice } from './testing/office'

class Office extends InertOffice {
  constructor(n = 3) {
    super()
    this.cases = Array.from({ length: n }, (_, i): CaseRow => ({
      id: i + 1, number: `IMM-${String(i + 1).padStart(4, '0')}`, title: `Matter ${i + 1}`, kind: 'staff', advocate: 'Marcus Oyelaran',
      status: 'Received', statusDate: '2026-11-01', updated: '',
      // The list's default order is the latest activity first: the first case's is the latest.
      activity: new Date(Date.UTC(2026, 10, 1) - i * 60000).toISOString(),
    }))
  }
  async appointments() { return [] }
}

afterEach(cleanup)

async function openClient(office: Office, name: string) {
  const root = await logIn(office)
  button(root, 'Clients').click()
  await settle()
  expect(root.querySelector('h1')?.textContent).toBe('Clients')
  expect(document.activeElement).toBe(root.querySelector('h1'))
  ;(root.querySelector(`button[aria-label="Open client ${name}"]`) as HTMLButtonElement).click()
  await settle()
  expect(root.querySelector('h1')?.textContent).toBe(name)
  return root
}

describe('Clients', () => {
  it('searches the clients and shows whether each can log on', async () => {
    const office = new Office()
    office.clients[0].access.temporarilyLocked = true
    const root = await logIn(office)
    button(root, 'Clients').click()
    await settle()
    const rows = () => [...root.querySelectorAll('tbody tr')].map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent?.replace(/\s+/g, ' ').trim()).join(' | '))
    expect(rows()).toEqual([
      'Amina Haddad amina@example.org | amina@example.org | +1 555 0142 | Locked',
      'Rosa Quintero rosa@example.org | rosa@example.org |  | Cannot log on',
      'Omar Haddad |  |  | Cannot log on',
    ])
    type(byLabel(root, 'Search clients'), 'rosa')
    ;(root.querySelector('form[role=search]') as HTMLFormElement).requestSubmit()
    await settle()
    expect(rows()).toHaveLength(1)
    expect(root.querySelector('[role=status][aria-live]')?.textContent).toBe('Page 1: 1 client.')
    expect(office.clientCalls.at(-1)).toBe('listClients "rosa" 0 50')
  })
})

describe('the access panel', () => {
  it('shows what the seed systems show, and changes access', async () => {
    const office = new Office()
    office.cases = office.cases.slice(0, 1)
    const root = await openClient(office, 'Amina Haddad')
    expect(fact(root, 'Email (the login)')).toBe('amina@example.org')
    expect(fact(root, 'Activated (has signed in)')).toBe('Yes')
    expect(fact(root, 'Locked')).toBe('No')
    expect(fact(root, 'Bad login attempts')).toBe('0')
    expect(fact(root, 'Last login IP address')).toBe('203.0.113.7')
    expect(fact(root, 'Last login')).toMatch(/2026/)
    expect((document.getElementById('access-allowed') as HTMLInputElement).checked).toBe(true)
    expect((document.getElementById('access-notice') as HTMLInputElement).checked).toBe(true)
    expect(root.querySelector('.client-cases')?.textContent).toContain('IMM-0001')

    ;(document.getElementById('access-notice') as HTMLInputElement).click()
    await settle()
    expect(office.clientCalls.at(-1)).toBe('setAccess 1 {"emailNotice":false}')
    expect(root.textContent).toContain('Email notices off.')

    button(root, 'Lock').focus()
    button(root, 'Lock').click()
    await settle()
    expect(fact(root, 'Locked')).toMatch(/^Locked by staff since/)
    expect(fact(root, 'Can log on now')).toMatch(/^No: locked by staff/)
    button(root, 'Unlock').click()
    await settle()
    expect(office.clientCalls.at(-1)).toBe('setAccess 1 {"locked":false}')
    expect(fact(root, 'Locked')).toBe('No')
    expect(root.querySelector('.ok[role=status]')?.textContent).toMatch(/^Unlocked/)
    expect(document.activeElement?.id).toBe('lock-button') // focus stays on the button

    // A case of theirs opens the case's page.
    ;(root.querySelector('button[aria-label="Open case IMM-0001, Matter 1"]') as HTMLButtonElement).click()
    await settle()
    expect(root.querySelector('h1')?.textContent?.trim()).toBe('IMM-0001: Matter 1')
  })

  it('marks the policy\'s rules as the password is typed, and sets a temporary password', async () => {
    const office = new Office()
    const root = await openClient(office, 'Amina Haddad')
    const met = () => [...root.querySelectorAll('.rules li.met')].map((li) => li.getAttribute('data-rule'))
    const unmetRules = () => [...root.querySelectorAll('.rules li.unmet')].map((li) => li.getAttribute('data-rule'))
    expect(root.querySelectorAll('.rules li')).toHaveLength(6)
    type(byLabel(root, 'New password'), 'ab12')
    expect(met()).toEqual(['lower', 'digit'])
    expect(unmetRules()).toEqual(['length', 'upper', 'special'])
    expect(byLabel(root, 'New password').getAttribute('aria-describedby')).toBe('client-password-rules')

    button(root, 'Set temporary password').click()
    await settle()
    expect(root.querySelector('[role=alert]')?.textContent).toMatch(/^The password needs at least 10 characters; at least 2 capital/)
    expect(office.clientCalls.some((c) => c.startsWith('setTemporaryPassword'))).toBe(false)
    expect(document.activeElement).toBe(byLabel(root, 'New password'))

    // The service has the last word (a common password).
    type(byLabel(root, 'New password'), 'MyPassword-12!!')
    expect(unmetRules()).toEqual([])
    button(root, 'Set temporary password').click()
    await settle()
    expect(root.querySelector('[role=alert]')?.textContent).toMatch(/common passwords/)
    expect(byLabel(root, 'New password').value).toBe('MyPassword-12!!')

    type(byLabel(root, 'New password'), 'Amber-Lantern-26?Vc')
    button(root, 'Set temporary password').click()
    await settle()
    expect(office.clientCalls).toContain('setTemporaryPassword 1 Amber-Lantern-26?Vc')
    expect(root.textContent).toContain('Temporary password set')
    expect(fact(root, 'Password')).toBe('Temporary: to be changed at the next sign-in')
    expect(byLabel(root, 'New password').value).toBe('')

    // Set the client's own password instead.
    ;(root.querySelector('input[value=set]') as HTMLInputElement).click()
    flushSync()
    type(byLabel(root, 'New password'), 'Copper-Window-58!Lk')
    button(root, 'Set password').click()
    await settle()
    expect(office.clientCalls).toContain('setPassword 1 Copper-Window-58!Lk')
    expect(fact(root, 'Password')).toBe('Set')
  })

  it('checks a password the client believes they set, and sends a reset email', async () => {
    const office = new Office()
    const root = await openClient(office, 'Amina Haddad')
    button(root, 'Check password').click()
    await settle()
    expect(root.textContent).toContain('Type the password the client believes they set.')
    type(byLabel(root, 'Password the client believes they set'), 'amina-secret-11!!')
    button(root, 'Check password').click()
    await settle()
    expect(root.querySelector('.notice[role=status]')?.textContent).toBe('It does not match the client’s password.')
    type(byLabel(root, 'Password the client believes they set'), 'Amina-Secret-11!!')
    button(root, 'Check password').click()
    await settle()
    expect(root.querySelector('.notice[role=status]')?.textContent).toBe('It matches: this is the client’s password.')
    expect(byLabel(root, 'Password the client believes they set').value).toBe('')

    button(root, 'Send a reset email').click()
    await settle()
    expect(root.textContent).toContain('A password reset email was sent to amina@example.org.')
    expect(root.textContent).toMatch(/Reset link: Active until/)
  })

  it('sends, resends and revokes an invitation; says why one cannot be sent', async () => {
    const office = new Office()
    const root = await openClient(office, 'Rosa Quintero')
    expect(fact(root, 'State')).toBe('Never sent')
    expect(root.textContent).not.toContain('Check a password') // no password to check
    button(root, 'Send invitation').click()
    await settle()
    expect(root.textContent).toContain('The invitation was sent to rosa@example.org.')
    expect(fact(root, 'State')).toMatch(/^Active until/)
    expect(fact(root, 'Registration attempts')).toBe('0')
    button(root, 'Resend invitation').click()
    await settle()
    expect(root.textContent).toContain('the earlier link no longer works')
    expect(fact(root, 'Issued')).toMatch(/\(sent 2 times\)$/)
    button(root, 'Revoke invitation').click()
    await settle()
    expect(fact(root, 'State')).toMatch(/^Revoked/)
    expect(() => button(root, 'Revoke invitation')).toThrow()
    expect(document.activeElement).toBe(button(root, 'Resend invitation'))

    // Omar has no email: the service's refusal is shown.
    button(root, '← All clients').click()
    await settle()
    ;(root.querySelector('button[aria-label="Open client Omar Haddad"]') as HTMLButtonElement).click()
    await settle()
    button(root, 'Send invitation').click()
    await settle()
    expect(root.querySelector('[role=alert]')?.textContent).toMatch(/^Could not send the invitation: the client has no email address/)
  })

  it('edits the details, sending only what changed', async () => {
    const office = new Office()
    const root = await openClient(office, 'Omar Haddad')
    type(byLabel(root, 'Email (the login)'), 'omar')
    type(byLabel(root, 'Last 4 of ID number'), '12')
    button(root, 'Save details').click()
    await settle()
    expect(root.textContent).toContain('"omar" is not an email address')
    expect(byLabel(root, 'Email (the login)').getAttribute('aria-invalid')).toBe('true')
    expect(document.activeElement).toBe(byLabel(root, 'Email (the login)'))
    expect(office.clientCalls.some((c) => c.startsWith('updateClient'))).toBe(false)

    type(byLabel(root, 'Email (the login)'), ' omar@example.org ')
    type(byLabel(root, 'Last 4 of ID number'), '4821')
    type(byLabel(root, 'Language'), 'es')
    button(root, 'Save details').click()
    await settle()
    expect(office.clientCalls.at(-1)).toBe('updateClient 3 {"email":"omar@example.org","language":"es","idLast4":"4821"}')
    expect(root.textContent).toContain('Details saved.')
    expect(fact(root, 'Email (the login)')).toBe('omar@example.org')

    // Taken by another client: the service's words, the form kept.
    type(byLabel(root, 'Email (the login)'), 'amina@example.org')
    button(root, 'Save details').click()
    await settle()
    expect(root.querySelector('[role=alert]')?.textContent).toBe('Could not change the client: the email amina@example.org belongs to another client.')
    expect(byLabel(root, 'Email (the login)').value).toBe('amina@example.org')
  })
})

describe('Waiting for an invitation', () => {
  it('lists clients with cases and no account, and invites one', async () => {
    const office = new Office()
    const root = await logIn(office)
    button(root, 'Waiting for an invitation').click()
    await settle()
    expect(root.querySelector('h1')?.textContent).toBe('Waiting for an invitation')
    const rows = () => [...root.querySelectorAll('tbody tr')].map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent?.replace(/\s+/g, ' ').trim()).join(' | '))
    expect(rows()).toEqual(['Rosa Quintero rosa@example.org | 1 | Never sent | Invite', 'Omar Haddad No email address | 1 | Never sent | Invite'])
    ;(root.querySelector('button[aria-label="Send an invitation to Rosa Quintero"]') as HTMLButtonElement).click()
    await settle()
    expect(rows()[0]).toMatch(/^Rosa Quintero rosa@example.org \| 1 \| Active until .* \| Resend$/)
    expect(root.textContent).toContain('Invitation sent to Rosa Quintero.')
    ;(root.querySelector('button[aria-label="Send an invitation to Omar Haddad"]') as HTMLButtonElement).click()
    await settle()
    expect(root.querySelector('tbody [role=alert]')?.textContent).toMatch(/no email address/)
  })
})

describe('choosing cases in the case list', () => {
  it('invites the clients of the chosen cases, across pages, and says what it did', async () => {
    const office = new Office(60)
    const root = await logIn(office)
    button(root, 'Cases').click() // the first screen is the dashboard
    await settle()
    expect(root.querySelector('table input[type=checkbox], .select-bar input[type=checkbox]')).toBeNull()
    button(root, 'Choose cases to invite their clients').click()
    flushSync()
    const box = (number: string) => root.querySelector(`input[aria-label="Choose case ${number}"]`) as HTMLInputElement
    expect(box('IMM-0001')).not.toBeNull()
    expect(button(root, 'Invite their clients').disabled).toBe(true)

    box('IMM-0002').click() // Rosa
    flushSync()
    expect(root.querySelector('.select-bar [role=status]')?.textContent).toBe('1 case chosen')
    button(root, 'Next page').click()
    await settle()
    box('IMM-0051').click() // Omar (no email)
    box('IMM-0052').click() // Amina (has an account)
    box('IMM-0053').click() // Rosa again
    flushSync()
    expect(root.querySelector('.select-bar [role=status]')?.textContent).toBe('4 cases chosen')
    button(root, 'Invite their clients').click()
    await settle()
    expect(office.clientCalls.at(-1)).toBe('inviteCases 2,51,52,53')
    expect(root.querySelector('.select-bar .ok')?.textContent).toBe('1 client invited; 1 already has an account; 1 has no email address.')
    expect(document.activeElement?.id).toBe('invite-result')
    expect([...root.querySelectorAll('.outcomes li')].map((li) => li.getAttribute('data-outcome'))).toEqual(['invited', 'no_email', 'has_account'])
    expect(root.querySelector('.select-bar [role=status] + *, .count')?.textContent).toBe('No cases chosen')

    // All of a page at once; then done.
    ;(root.querySelector('.select-bar input[type=checkbox]') as HTMLInputElement).click()
    flushSync()
    expect(root.querySelector('.count')?.textContent).toBe('10 cases chosen')
    button(root, 'Done choosing').click()
    flushSync()
    expect(root.querySelector('table input[type=checkbox], .select-bar input[type=checkbox]')).toBeNull()
  })
})

describe('the client screens in Spanish', () => {
  afterEach(() => useLang('en'))

  async function startInSpanish(office: Office) {
    const root = await logIn(office)
    useLang('es')
    flushSync()
    return root
  }

  it('searches the clients in Spanish', async () => {
    const office = new Office()
    const root = await startInSpanish(office)
    button(root, 'Clientes').click()
    await settle()
    expect(root.querySelector('h1')?.textContent).toBe('Clientes')
    expect(byLabel(root, 'Buscar clientes').getAttribute('placeholder')).toBe('Nombre, correo o teléfono')
    expect([...root.querySelectorAll('thead th')].map((th) => th.textContent)).toEqual(['Nombre', 'Correo electrónico', 'Teléfono', 'Portal'])
    expect(root.querySelector('nav.pager')?.getAttribute('aria-label')).toBe('Páginas de clientes')
    expect(root.querySelector('button[aria-label="Abrir el cliente Amina Haddad"]')).not.toBeNull()
    expect(root.querySelector('[role=status][aria-live]')?.textContent).toMatch(/^Página 1: \d+ clientes\.$/)
    expect([...root.querySelectorAll('tbody .tag')].map((x) => x.textContent)).toContain('Puede entrar')
    type(byLabel(root, 'Buscar clientes'), 'zzz')
    ;(root.querySelector('form[role=search]') as HTMLFormElement).requestSubmit()
    await settle()
    expect(root.querySelector('tbody')?.textContent).toBe('Ningún cliente coincide con «zzz».')
  })

  it('shows a client\'s access panel in Spanish, and locks and unlocks', async () => {
    const office = new Office()
    office.cases = office.cases.slice(0, 1)
    const root = await openClient(office, 'Amina Haddad')
    useLang('es')
    flushSync()
    expect(root.querySelector('#access-title')?.textContent).toBe('Acceso al portal')
    expect(root.querySelector('.back')?.textContent).toBe('← Todos los clientes')
    expect(fact(root, 'Correo electrónico (para entrar)')).toBe('amina@example.org')
    expect(fact(root, 'Cuenta activada (ya inició sesión)')).toBe('Sí')
    expect(fact(root, 'Bloqueo')).toBe('No')
    expect(fact(root, 'Intentos fallidos de inicio de sesión')).toBe('0')
    expect(root.querySelector('label[for="access-allowed"]')?.textContent?.trim()).toBe('Tiene permiso para entrar al portal')
    expect(root.querySelector('button[aria-label="Abrir el caso IMM-0001, Matter 1"]')).not.toBeNull()
    expect(root.querySelector('#tf-title')?.textContent).toBe('Verificación en dos pasos')
    expect(root.querySelector('#audit-client-title')?.textContent).toBe('Registro de auditoría')
    expect(root.querySelector('.rules .hint')?.textContent).toBe('La contraseña necesita:')
    expect([...root.querySelectorAll('#client-language option')].map((o) => o.textContent)).toEqual(['El idioma de la oficina', 'Inglés', 'Español'])

    button(root, 'Bloquear').click()
    await settle()
    expect(fact(root, 'Bloqueo')).toMatch(/^Bloqueada por el personal desde el /)
    expect(fact(root, 'Puede entrar ahora')).toMatch(/^No: bloqueada por el personal/)
    expect(root.querySelector('.ok[role=status]')?.textContent).toBe('Bloqueada: el cliente no puede entrar y se cerraron sus sesiones abiertas.')
    button(root, 'Desbloquear').click()
    await settle()
    expect(fact(root, 'Bloqueo')).toBe('No')

    // The password rules and what a short password misses, in Spanish.
    type(root.querySelector('#client-password'), 'abc')
    button(root, 'Establecer la contraseña temporal').click()
    await settle()
    expect(root.querySelector('#password-title ~ form [role=alert]')?.textContent).toMatch(/^La contraseña necesita al menos \d+ caracteres/)

    // A bad details form says what to fix in Spanish.
    type(root.querySelector('#client-name'), ' ')
    type(root.querySelector('#client-idLast4'), '12')
    button(root, 'Guardar los datos').click()
    flushSync()
    expect(root.querySelector('#client-name-error')?.textContent).toBe('Escriba el nombre del cliente.')
    expect(root.querySelector('#client-idLast4-error')?.textContent).toMatch(/^Escriba exactamente las últimas 4 letras/)

    useLang('en')
    flushSync()
    expect(root.querySelector('#access-title')?.textContent).toBe('Portal access')
  })

  it('lists the clients waiting for an invitation and invites one, in Spanish', async () => {
    const office = new Office()
    const root = await startInSpanish(office)
    button(root, 'Esperan una invitación').click()
    await settle()
    expect(root.querySelector('h1')?.textContent).toBe('Esperan una invitación')
    expect(root.querySelector('.lead')?.textContent).toMatch(/^Clientes con un caso y todavía sin cuenta en el portal: 2 en total; 2 nunca recibieron una invitación\./)
    const rows = () => [...root.querySelectorAll('tbody tr')].map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent?.replace(/\s+/g, ' ').trim()).join(' | '))
    expect(rows()).toEqual(['Rosa Quintero rosa@example.org | 1 | Nunca se envió | Invitar', 'Omar Haddad Sin correo electrónico | 1 | Nunca se envió | Invitar'])
    ;(root.querySelector('button[aria-label="Enviar una invitación a Rosa Quintero"]') as HTMLButtonElement).click()
    await settle()
    expect(rows()[0]).toMatch(/^Rosa Quintero rosa@example.org \| 1 \| Activa hasta el .* \| Reenviar$/)
    expect(root.textContent).toContain('Se envió la invitación a Rosa Quintero.')
    expect(root.querySelector('.lead')?.textContent).toMatch(/1 nunca recibió una invitación\./)
  })

  it('invites the clients of chosen cases and sums it up in Spanish', async () => {
    const office = new Office(3)
    const root = await startInSpanish(office)
    button(root, 'Casos').click()
    await settle()
    button(root, 'Elegir casos para invitar a sus clientes').click()
    flushSync()
    const box = (number: string) => root.querySelector(`input[aria-label="Elegir el caso ${number}"]`) as HTMLInputElement
    box('IMM-0001').click()
    flushSync()
    expect(root.querySelector('.count')?.textContent).toBe('1 caso elegido')
    box('IMM-0002').click()
    box('IMM-0003').click()
    flushSync()
    expect(root.querySelector('.count')?.textContent).toBe('3 casos elegidos')
    button(root, 'Invitar a sus clientes').click()
    await settle()
    expect(root.querySelector('.select-bar .ok')?.textContent).toBe('1 cliente invitado; 1 ya tiene cuenta; 1 no tiene correo electrónico.')
    expect(root.querySelector('.outcomes')?.textContent).toMatch(/Invitado|Ya tiene cuenta|Sin correo electrónico/)
  })
})
