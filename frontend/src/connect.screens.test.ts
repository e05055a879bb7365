// The Connect screen's pairing, second factor and kept session, driven as
// a person would in jsdom against FakeServer: the stand-in for the Go
// side's Session (the real one is tested against the real service and a
// real staff listener in app/pairing_test.go and app/signin_test.go).
import { afterEach, describe, expect, it } from 'vitest'
import App from './App.svelte'
import type { KeptSession, LoginStep, PairingBackend, ServerCheck } from './lib/pairing'
import type { OfficeInfo } from './lib/types'
import { useLang } from './lib/i18n.svelte'
import { settle } from './settle'
import { cleanup, close, show } from './testing/app'
import { button, byLabel, type } from './testing/dom'
import { InertOffice } from './testing/office'

const FP = 'AB:12:CD:34:EF:56:78:90:AB:12:CD:34:EF:56:78:90:AB:12:CD:34:EF:56:78:90:AB:12:CD:34:EF:56:78:90'
const OTHER = '00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF'
const spoken = (fp: string) => fp.replaceAll(':', '').replace(/(.{4})(?!$)/g, '$1 ')
const dana: OfficeInfo = { office: 'Riverside Legal Aid', service: 'https://192.168.1.10:8443', staff: 'Dana Whitfield', staffId: 1, role: 'admin' }

// FakeServer is one office server on the network as the Go side sees it:
// its certificate, what this PC paired, the second factor it asks for.
class FakeServer implements PairingBackend {
  calls: string[] = []
  presented = FP
  pinned = ''
  need = '' // '' | 'code' | 'setup'
  keptSession: KeptSession = { kept: false, service: '', staff: '', email: '', canKeep: true, why: '' }
  resumeFails = ''

  view(): ServerCheck {
    const trust = this.pinned === '' ? 'unpaired' : this.pinned === this.presented ? 'paired' : 'changed'
    return { service: dana.service, trust, fingerprint: this.presented, spoken: spoken(this.presented), pinned: this.pinned, pinnedSpoken: spoken(this.pinned) }
  }
  async check(address: string) { this.calls.push(`check ${address}`); return this.view() }
  async pair(address: string, fingerprint: string) {
    this.calls.push(`pair ${address} ${fingerprint}`)
    this.pinned = fingerprint
    return this.view()
  }
  async forget(address: string) { this.calls.push(`forget ${address}`); this.pinned = '' }
  async logIn(address: string, email: string, password: string, keep: boolean): Promise<LoginStep> {
    this.calls.push(`logIn ${address} ${email} ${password} keep=${keep}`)
    if (this.view().trust !== 'paired') throw 'not paired'
    if (password !== 'right') throw 'could not log in: the email or password is not correct'
    const step = { done: false, office: dana, need: this.need, setupKey: '', setupQr: '', setupUntil: '', recoveryCodes: [], kept: false, keepProblem: '' }
    if (this.need === 'setup') return { ...step, setupKey: 'JBSWY3DPEHPK3PXP', setupQr: 'data:image/png;base64,iVBORw0KGgo=' }
    if (this.need === 'code') return step
    return { ...step, done: true, kept: keep }
  }
  async secondFactor(code: string): Promise<LoginStep> {
    this.calls.push(`secondFactor ${code}`)
    if (code !== '123456') throw 'could not check the code: the code is not correct'
    const codes = this.need === 'setup' ? Array.from({ length: 10 }, (_, i) => `RC${i}-XXXX`) : []
    return { done: true, office: dana, need: '', setupKey: '', setupQr: '', setupUntil: '', recoveryCodes: codes, kept: false, keepProblem: '' }
  }
  async kept() { return this.keptSession }
  async resume() {
    this.calls.push('resume')
    if (this.resumeFails) {
      this.keptSession = { ...this.keptSession, kept: false }
      throw this.resumeFails
    }
    return dana
  }
}

class Office extends InertOffice {
  pairing: FakeServer
  constructor(server: FakeServer) {
    super()
    this.pairing = server
  }
  on() { return () => {} }
  async connect(): Promise<OfficeInfo> { throw 'the Connect screen must use the pairing calls' }
  async listCases() { return { items: [], next: 0 } }
  async getCase(): Promise<never> { throw 'no' }
  async appointments() { return [] }
}

afterEach(cleanup)

async function start(server: FakeServer) {
  const root = show(App, { backend: new Office(server) })
  await settle()
  return root
}

async function fill(root: HTMLElement, password = 'right') {
  type(byLabel(root, 'Service address'), '192.168.1.10')
  type(byLabel(root, 'Email'), 'dana@riverside.example')
  type(byLabel(root, 'Password'), password)
  button(root, 'Connect').click()
  await settle()
}

const h2 = (root: HTMLElement) => root.querySelector('h2')?.textContent

describe('pairing', () => {
  it('shows the fingerprint to compare before the password is sent, then pins it and logs in', async () => {
    const server = new FakeServer()
    const root = await start(server)
    await fill(root)
    expect(h2(root)).toBe("Compare the server's fingerprint")
    expect(document.activeElement).toBe(root.querySelector('h2'))
    const codes = [...root.querySelectorAll('.fingerprint code')]
    expect(codes.map((c) => c.textContent)).toEqual(spoken(FP).split(' '))
    expect(root.querySelector('.fingerprint')?.textContent?.replace(/\s+/g, ' ').trim()).toBe(spoken(FP))
    expect(codes[0].getAttribute('aria-label')).toBe('A B 1 2')
    expect(root.querySelectorAll('.fp-row')).toHaveLength(4)
    expect(root.textContent).toContain('clientportal staff-fingerprint')
    expect(server.calls).toEqual(['check 192.168.1.10'])

    button(root, 'They match').click()
    await settle()
    expect(server.calls).toEqual(['check 192.168.1.10', `pair ${dana.service} ${FP}`, `logIn ${dana.service} dana@riverside.example right keep=false`])
    expect(root.querySelector('h1')?.textContent).toBe('Dashboard')
  })

  it('sends nothing when the fingerprints differ', async () => {
    const server = new FakeServer()
    const root = await start(server)
    await fill(root)
    button(root, 'They differ').click()
    await settle()
    expect(root.querySelector('[role=alert]')?.textContent).toContain('Not connected. The fingerprints differ')
    expect(server.calls).toEqual(['check 192.168.1.10'])
    expect(byLabel(root, 'Service address').value).toBe('192.168.1.10')
  })

  it('refuses a changed certificate in plain words; Forget compares again', async () => {
    const server = new FakeServer()
    server.pinned = OTHER
    const root = await start(server)
    await fill(root)
    expect(h2(root)).toBe("The server's certificate changed")
    const alert = root.querySelector('[role=alert]')?.textContent ?? ''
    expect(alert).toContain('different machine, or someone intercepting')
    expect(alert).toContain('Nothing was sent')
    expect(root.textContent).toContain(spoken(OTHER))
    expect(server.calls.some((c) => c.startsWith('logIn'))).toBe(false)

    button(root, 'Forget this server').click()
    await settle()
    expect(server.calls).toContain(`forget ${dana.service}`)
    expect(h2(root)).toBe("Compare the server's fingerprint")
  })
})

describe('second factor', () => {
  it('asks for the code, says what is wrong, and logs in', async () => {
    const server = new FakeServer()
    server.pinned = FP
    server.need = 'code'
    const root = await start(server)
    await fill(root)
    expect(h2(root)).toBe('Enter your code')
    expect(byLabel(root, 'Code').getAttribute('autocomplete')).toBe('one-time-code')
    button(root, 'Verify').click()
    await settle()
    expect(root.textContent).toContain('Enter the 6-digit code')
    expect(document.activeElement).toBe(byLabel(root, 'Code'))
    type(byLabel(root, 'Code'), '654321')
    button(root, 'Verify').click()
    await settle()
    expect(root.querySelector('[role=alert]')?.textContent).toBe('Could not check the code: the code is not correct.')
    type(byLabel(root, 'Code'), '123456')
    button(root, 'Verify').click()
    await settle()
    expect(root.querySelector('h1')?.textContent).toBe('Dashboard')
  })

  it('sets it up: the key as text and QR code, then the recovery codes once', async () => {
    const server = new FakeServer()
    server.pinned = FP
    server.need = 'setup'
    const root = await start(server)
    await fill(root)
    expect(h2(root)).toBe('Set up your second factor')
    expect(root.querySelector('.key')?.textContent).toBe('JBSW Y3DP EHPK 3PXP')
    expect(root.querySelector('img.qr')?.getAttribute('alt')).toContain('QR code')
    type(byLabel(root, 'Code'), '123456')
    button(root, 'Verify').click()
    await settle()
    expect(h2(root)).toBe('Keep your recovery codes')
    expect(root.querySelectorAll('.recovery li')).toHaveLength(10)
    expect(root.textContent).toContain('shown only now')
    button(root, 'I have kept them: continue').click()
    await settle()
    expect(root.querySelector('h1')?.textContent).toBe('Dashboard')
  })
})

describe('keep me signed in', () => {
  it('offers to keep the session, and resumes a kept one at start', async () => {
    const server = new FakeServer()
    server.pinned = FP
    const root = await start(server)
    byLabel(root, 'Keep me signed in on this computer').click()
    await fill(root)
    expect(server.calls.at(-1)).toBe(`logIn ${dana.service} dana@riverside.example right keep=true`)

    close()
    server.keptSession = { kept: true, service: dana.service, staff: 'Dana Whitfield', email: 'dana@riverside.example', canKeep: true, why: '' }
    const again = await start(server)
    expect(h2(again)).toBe('Welcome back')
    button(again, 'Continue as Dana Whitfield').click()
    await settle()
    expect(again.querySelector('h1')?.textContent).toBe('Dashboard')
  })

  it('a dead kept session goes back to the login with the reason', async () => {
    const server = new FakeServer()
    server.keptSession = { kept: true, service: dana.service, staff: 'Dana Whitfield', email: 'dana@riverside.example', canKeep: true, why: '' }
    server.resumeFails = 'your kept session has ended (logged out elsewhere, expired or ended by an administrator): log in again'
    const root = await start(server)
    button(root, 'Continue as Dana Whitfield').click()
    await settle()
    expect(root.querySelector('[role=alert]')?.textContent).toContain('Your kept session has ended')
    expect(byLabel(root, 'Password')).toBeTruthy()
  })

  it('says why it cannot keep the session where there is no credential store', async () => {
    const server = new FakeServer()
    server.keptSession = { kept: false, service: '', staff: '', email: '', canKeep: false, why: 'This computer has no credential store: you will log in each time.' }
    const root = await start(server)
    expect(root.textContent).toContain('you will log in each time')
    expect(() => byLabel(root, 'Keep me signed in on this computer')).toThrow()
  })
})

describe('Connect in Spanish', () => {
  afterEach(() => useLang('en'))

  it('logs in, compares the fingerprint and asks for the code in Spanish', async () => {
    useLang('es')
    const server = new FakeServer()
    server.need = 'code'
    const root = await start(server)
    expect(root.querySelector('h1')?.textContent).toBe('Conéctese a su oficina')
    type(byLabel(root, 'Dirección del servicio'), '192.168.1.10')
    type(byLabel(root, 'Correo electrónico'), 'dana@riverside.example')
    type(byLabel(root, 'Contraseña'), 'right')
    expect(byLabel(root, 'Mantener mi sesión abierta en esta computadora').type).toBe('checkbox')
    button(root, 'Conectar').click()
    await settle()

    expect(h2(root)).toBe('Compare la huella digital del servidor')
    // The server's address, in bold, where the Spanish sentence puts it.
    expect(root.querySelector('#compare-why')?.textContent).toMatch(/^Esta computadora nunca se ha conectado a https:\/\/192\.168\.1\.10:8443\. Antes de enviar su contraseña/)
    expect(root.querySelector('#compare-why strong')?.textContent).toBe(dana.service)
    expect(root.querySelector('.fingerprint')?.getAttribute('aria-label')).toBe(`Huella digital de ${dana.service}`)
    expect([...root.querySelectorAll('details li code')].map((c) => c.textContent)).toEqual(
      ['clientportal serve', 'GET /api/v1/tls', 'staff_fingerprint', 'clientportal staff-fingerprint', '--data FOLDER'])
    expect(root.querySelector('details li:nth-child(3)')?.textContent).toBe(
      'En el servidor, en una terminal: clientportal staff-fingerprint (agregue --data FOLDER si la carpeta de datos no es la habitual).')

    button(root, 'Coinciden').click()
    await settle()
    expect(h2(root)).toBe('Escriba su código')
    button(root, 'Verificar').click()
    await settle()
    expect(root.querySelector('#connect-code-error')?.textContent).toBe(
      'Escriba el código de 6 dígitos de su aplicación de autenticación, o uno de sus códigos de recuperación.')
    type(byLabel(root, 'Código'), '12345')
    button(root, 'Verificar').click()
    await settle()
    expect(root.querySelector('#connect-code-error')?.textContent).toBe('El código de la aplicación tiene 6 dígitos.')
    type(byLabel(root, 'Código'), '123456')
    button(root, 'Verificar').click()
    await settle()
    expect(root.querySelector('h1')?.textContent).toBe('Panel')
  })

  it('refuses a changed certificate in Spanish', async () => {
    useLang('es')
    const server = new FakeServer()
    server.pinned = OTHER
    const root = await start(server)
    type(byLabel(root, 'Dirección del servicio'), '192.168.1.10')
    type(byLabel(root, 'Correo electrónico'), 'dana@riverside.example')
    type(byLabel(root, 'Contraseña'), 'right')
    button(root, 'Conectar').click()
    await settle()
    expect(h2(root)).toBe('El certificado del servidor cambió')
    expect(root.querySelector('[role=alert]')?.textContent).toContain('No se le envió nada.')
    expect(button(root, 'Olvidar este servidor')).toBeTruthy()
  })
})
