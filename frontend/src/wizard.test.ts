// The first-run wizard: its logic (lib/wizard.ts) and the screen driven as
// a person would in jsdom, against a stand-in for the Go side's Wizard that
// plays a service: it installs (or answers that administrator rights are
// missing), answers /healthz after a while, keeps a setup code, refuses a
// wrong one. The real Go side is tested against the real service and
// System V in app/wizard_test.go, and the two together in the real window
// (app/window_firstrun_test.go).
import { flushSync } from 'svelte'
import { afterEach, describe, expect, it } from 'vitest'
import Wizard from './screens/Wizard.svelte'
import { useLang } from './lib/i18n.svelte'
import {
  certificateView, checkAdmin, checkDomain, checkMail, checkSettings, checksFor, mailTestText, needsSession, position, securityFor, waitText,
} from './lib/wizard'
import type {
  AdminInput, Certificate, ConfigCheck, FirstRun, InstallResult, KeyInfo, MailInput, MailTest, ServiceSettings, SetupCode, WizardBackend,
} from './lib/wizardBackend'
import type { OfficeInfo } from './lib/types'
import { cleanup, show } from './testing/app'

const nist = { minLength: 15, minUpper: 0, minLower: 0, minDigit: 0, minSpecial: 0 }
const settings: ServiceSettings = { dataDir: '/var/lib/clientportal', address: '127.0.0.1:8080', officeKey: '/etc/clientportal/office.key', logDir: '/var/log/clientportal' }

describe('wizard logic', () => {
  it('checks the service settings', () => {
    expect(checkSettings(settings)).toEqual({})
    expect(checkSettings({ ...settings, dataDir: 'data' }).dataDir).toMatch(/full path/)
    expect(checkSettings({ ...settings, officeKey: '/var/lib/clientportal/office.key' }).officeKey).toMatch(/outside the data folder/)
    expect(checkSettings({ ...settings, officeKey: '/var/lib/clientportal-keys/office.key' }).officeKey).toBeUndefined()
    expect(checkSettings({ ...settings, address: '127.0.0.1' }).address).toMatch(/HOST:PORT/)
    expect(checkSettings({ ...settings, address: '127.0.0.1:70000' }).address).toMatch(/HOST:PORT/)
    expect(checkSettings({ ...settings, dataDir: 'C:\\ProgramData\\clientportal', officeKey: 'C:\\ProgramData\\clientportal-keys\\office.key', logDir: 'C:\\logs' })).toEqual({})
  })

  it('checks the first administrator against the staff rules', () => {
    const a: AdminInput = { code: 'AAAAA-BBBBB', email: 'alex@office.example', name: 'Alex', password: 'harbor lantern cobalt' }
    expect(checkAdmin(a, a.password, nist)).toEqual({})
    expect(checkAdmin({ ...a, password: 'short' }, 'short', nist).password).toMatch(/at least 15 characters/)
    expect(checkAdmin(a, 'other', nist).again).toMatch(/not the same/)
    expect(checkAdmin({ ...a, code: ' - ' }, a.password, nist).code).toMatch(/setup code/)
    expect(checkAdmin({ ...a, email: 'alex' }, a.password, nist).email).toMatch(/not an email/)
  })

  it('checks the domain and the mail server', () => {
    expect(checkDomain('portal.riverside-law.org', 'it@riverside-law.org')).toEqual({})
    expect(checkDomain('https://portal.riverside-law.org/', 'it@x.org').domain).toMatch(/only the name/)
    expect(checkDomain('portal riverside', 'it@x.org').domain).toMatch(/not a domain/)
    expect(checkDomain('', '').domain).toMatch(/Later/)
    const m: MailInput = { host: 'smtp.x.org', port: 587, security: 'starttls', username: '', password: '', from: 'portal@x.org' }
    expect(checkMail(m)).toEqual({})
    expect(checkMail({ ...m, port: 0 }).port).toMatch(/587/)
    expect(checkMail({ ...m, from: 'portal' }).from).toMatch(/not an email/)
    expect(securityFor(465, 'starttls')).toBe('tls')
    expect(securityFor(2525, 'none')).toBe('none')
  })

  it('says what the mail server answered and what to do', () => {
    expect(mailTestText({ sent: true, reply: '250 2.0.0 OK queued', stage: '' })).toMatchObject({ ok: true, text: expect.stringContaining('250 2.0.0 OK queued') })
    const refused = mailTestText({ sent: false, reply: '535 5.7.8 Username and Password not accepted', stage: 'auth' })
    expect(refused.ok).toBe(false)
    expect(refused.text).toContain('(at auth)')
    expect(refused.text).toContain('535 5.7.8')
    expect(refused.fix).toMatch(/refused the login/)
    expect(mailTestText({ sent: false, reply: 'dial tcp: connection refused', stage: 'connect' }).fix).toMatch(/could not be reached/)
  })

  it('keeps the checks a step is about, problems first', () => {
    const all: ConfigCheck[] = [
      { name: 'domain', status: 'skipped', summary: 'No domain' }, { name: 'ports', status: 'ok', summary: 'free' },
      { name: 'mail', status: 'problem', summary: 'refused', fix: 'check the password' }, { name: 'certificate', status: 'problem', summary: 'none' },
      { name: 'office_key', status: 'ok', summary: 'there' },
    ]
    expect(checksFor('mail', all).map((c) => c.name)).toEqual(['mail'])
    expect(checksFor('domain', all).map((c) => c.name)).toEqual(['certificate', 'ports', 'domain'])
    expect(checksFor('done', all)[0].status).toBe('problem')
    expect(needsSession('login')).toBe(false)
    expect(needsSession('domain')).toBe(true)
    expect(position('service')).toBe('Step 1 of 8')
    expect(position('done')).toBe('Finished')
  })

  it('describes the wait and the certificate', () => {
    expect(waitText(3, 'log says x')).toBe('Waiting for the service to answer… 3 s')
    expect(waitText(12, 'Its log says: port in use')).toContain('port in use')
    const now = new Date('2026-12-07T10:00:00Z')
    const base: Certificate = { state: 'failed', domain: 'portal.x.org', stage: '', problem: 'domain', names: null, issuer: '', notAfter: '', lastError: 'urn:ietf:params:acme:error:connection', nextTry: '2026-12-07T10:05:00Z', message: 'The service tries again.' }
    const failed = certificateView(base, now)
    expect(failed.busy).toBe(true)
    expect(failed.text).toBe('Getting the certificate for portal.x.org failed.')
    expect(failed.problem).toBe('The certificate authority could not reach this computer at portal.x.org.')
    expect(failed.fix).toContain('point portal.x.org at the office\'s internet address')
    expect(failed.detail).toContain('in 5 minutes')
    expect(failed.stages.map((s) => s.state)).toEqual(['done', 'failed', 'waiting'])
    const unreachable = certificateView({ ...base, problem: 'ca_unreachable' }, now)
    expect(unreachable.stages.map((s) => s.state)).toEqual(['failed', 'waiting', 'waiting'])
    expect(unreachable.fix).toContain('internet connection')
    expect(certificateView({ ...base, state: 'obtaining', problem: 'https_port', lastError: '' }, now).problem).toContain('Another program uses the HTTPS port')
    expect(certificateView({ ...base, state: 'obtaining', problem: 'https_listen', lastError: '' }, now).problem).toBe('The portal could not open its HTTPS port.')
    const asking = certificateView({ ...base, state: 'obtaining', stage: 'asking', problem: '', lastError: '' }, now)
    expect([asking.busy, asking.problem, asking.stages.map((s) => s.state)]).toEqual([true, '', ['current', 'waiting', 'waiting']])
    const proving = certificateView({ ...base, state: 'obtaining', stage: 'proving', problem: '', lastError: '' }, now)
    expect(proving.stages.map((s) => s.state)).toEqual(['done', 'current', 'waiting'])
    expect(proving.text).toContain('checking that portal.x.org leads to this computer')
    const valid = certificateView({ ...base, state: 'valid', problem: '', lastError: '', names: ['portal.x.org'], issuer: "Let's Encrypt", notAfter: '2027-03-07T10:00:00Z' }, now)
    expect(valid.text).toMatch(/in place, valid until .*2027/)
    expect([valid.ok, valid.busy, valid.stages.map((s) => s.state)]).toEqual([true, false, ['done', 'done', 'done']])
    expect(valid.stages[2].label).toMatch(/^Certificate received, valid until .*2027.* \(in 90 days\)$/)
    expect(certificateView({ ...base, state: 'off' }, now).busy).toBe(false)
    expect(certificateView({ ...base, state: 'off' }, now).stages).toEqual([])
  })
})

// FakeWizard plays the Go side's Wizard and a service behind it.
class FakeWizard implements WizardBackend {
  calls: string[] = []
  admin = true
  step = 'service'
  healthyAfter = 2
  polls = 0
  code = 'RETTT-ZBPD7-SNKMW-ZYFS4'
  readable = true
  created: AdminInput | null = null
  mailPassword = ''
  savedKey = ''

  async open(): Promise<FirstRun> {
    return { resume: false, step: this.step, status: 'not installed', platform: 'unix-systemv', admin: this.admin, service: { ...settings }, adminEmail: '', problem: '' }
  }
  async saveStep(step: string) { this.step = step; this.calls.push(`step ${step}`) }
  async install(s: ServiceSettings): Promise<InstallResult> {
    this.calls.push(`install ${s.dataDir} ${s.address}`)
    if (s.address.endsWith(':80')) throw 'another program already uses port 80 on this computer (127.0.0.1:80): choose another port'
    if (!this.admin) {
      return { done: false, needsAdmin: true, commands: [`sudo /usr/bin/clientportal service install --data ${s.dataDir}`, 'sudo /usr/bin/clientportal service start'], message: 'Installing needs administrator rights.', settings: s }
    }
    return { done: true, needsAdmin: false, commands: [], message: 'installed', settings: s }
  }
  async health() {
    this.polls++
    return this.polls >= this.healthyAfter ? { ok: true, detail: '' } : { ok: false, detail: 'The service does not answer yet.' }
  }
  async setupCode(): Promise<SetupCode> {
    return this.readable ? { code: this.code, path: '/var/lib/clientportal/setup-code.txt', why: '' }
      : { code: '', path: '/var/lib/clientportal/setup-code.txt', why: 'Only the service\'s account may read the setup code: paste it here.' }
  }
  async passwordRules() { return nist }
  async createAdmin(input: AdminInput) {
    if (input.code.trim().toUpperCase() !== this.code) throw 'could not create the administrator: the setup code is not correct'
    this.created = input
  }
  async login(email: string, password: string): Promise<OfficeInfo> {
    if (!this.created || email !== this.created.email || password !== this.created.password) throw 'could not log in: the email or password is not correct'
    return { office: 'Our office', service: 'http://127.0.0.1:8080', staff: this.created.name, staffId: 1, role: 'admin' }
  }
  async check(): Promise<ConfigCheck[]> {
    return [
      { name: 'domain', status: 'skipped', summary: 'No domain is set.', fix: 'Set the domain.' },
      { name: 'ports', status: 'problem', summary: 'Port 80 is held by nginx.', fix: 'Stop nginx or forward another port.' },
      { name: 'mail', status: this.mailPassword === 'right' ? 'ok' : 'problem', summary: this.mailPassword === 'right' ? 'The mail server accepts the login.' : 'The mail server refused the login.', fix: 'Check the user name and password.' },
      { name: 'certificate', status: 'skipped', summary: 'No domain.' },
      { name: 'office_key', status: 'ok', summary: 'The key is there.' },
    ]
  }
  async setDomain(domain: string, email: string) { this.calls.push(`domain ${domain} ${email}`) }
  async setMail(input: MailInput) { this.calls.push(`mail ${input.host}:${input.port} ${input.security}`); if (input.password) this.mailPassword = input.password }
  async testMail(to: string): Promise<MailTest> {
    this.calls.push(`test ${to}`)
    return this.mailPassword === 'right' ? { sent: true, reply: '250 OK: queued as 12345', stage: '' } : { sent: false, reply: '535 5.7.8 Username and Password not accepted', stage: 'auth' }
  }
  async officeKey(): Promise<KeyInfo> { return { path: '/etc/clientportal/office.key', exists: true, readable: true, why: '' } }
  async saveKeyCopy() { this.savedKey = '/media/usb/office-key.txt'; return this.savedKey }
  async certificate(): Promise<Certificate> {
    return { state: 'off', domain: '', stage: '', problem: '', names: null, issuer: '', notAfter: '', lastError: '', nextTry: '', message: '' }
  }
  async retryCertificate() { this.calls.push('retry certificate') }
}

afterEach(cleanup)

const settle = async (ms = 0) => {
  for (let i = 0; i < 5; i++) {
    await new Promise((r) => setTimeout(r, ms))
    flushSync()
  }
}
const h1 = () => document.querySelector('h1')?.textContent?.trim()
function fill(id: string, value: string) {
  const el = document.getElementById(id) as HTMLInputElement
  el.value = value
  el.dispatchEvent(new Event('input', { bubbles: true }))
  flushSync()
}
function click(text: string) {
  const b = [...document.querySelectorAll('button')].find((x) => x.textContent?.trim() === text)
  if (!b) throw new Error(`no button ${text}: ${document.body.textContent}`)
  b.click()
  flushSync()
}
function submit(id: string) {
  ;(document.getElementById(id)?.closest('form') as HTMLFormElement).requestSubmit()
  flushSync()
}

describe('the wizard screen', () => {
  it('goes from installing the service to the end, each heading taking the focus', async () => {
    const fake = new FakeWizard()
    let opened: OfficeInfo | null = null
    show(Wizard, { wizard: fake, onconnected: (i: OfficeInfo) => (opened = i), onleave: () => {} })
    await settle()
    expect(h1()).toBe('Install the portal service')
    expect(document.activeElement).toBe(document.querySelector('h1'))
    expect(document.body.textContent).toContain('It is not installed yet; this computer\'s service manager is System V init.')
    expect(document.querySelector('li[aria-current="step"]')?.textContent).toContain('Install the portal service')

    // A port another program holds: the Go side's words.
    fill('svc-address', '127.0.0.1:80')
    submit('svc-dataDir')
    await settle()
    expect(document.querySelector('[role=alert]')?.textContent).toContain('Another program already uses port 80')
    fill('svc-address', 'nonsense')
    submit('svc-dataDir')
    await settle()
    expect(document.getElementById('svc-address-error')?.textContent).toMatch(/HOST:PORT/)
    expect(document.activeElement?.id).toBe('svc-address')
    fill('svc-address', '127.0.0.1:8080')
    submit('svc-dataDir')
    await settle(20)
    // Waiting, with progress, then the administrator (the service answers
    // at the second poll, a second later).
    await new Promise((r) => setTimeout(r, 1100))
    await settle()
    expect(h1()).toBe('Create the first administrator')
    expect(document.activeElement).toBe(document.querySelector('h1'))
    expect((document.getElementById('adm-code') as HTMLInputElement).value).toBe(fake.code)
    expect(document.body.textContent).toContain('The setup code was read from /var/lib/clientportal/setup-code.txt')

    fill('adm-name', 'Alex Morgan')
    fill('adm-email', 'alex@office.example')
    fill('adm-password', 'short')
    expect(document.querySelector('.rules li[data-rule="length"]')?.classList.contains('unmet')).toBe(true)
    submit('adm-code')
    expect(document.getElementById('adm-password-error')?.textContent).toMatch(/at least 15 characters/)
    fill('adm-password', 'harbor lantern cobalt mist')
    expect(document.querySelector('.rules li[data-rule="length"]')?.classList.contains('met')).toBe(true)
    fill('adm-again', 'harbor lantern cobalt mist')
    fill('adm-code', 'WRONG-CODE')
    submit('adm-code')
    await settle()
    expect(document.querySelector('[role=alert]')?.textContent).toBe('Could not create the administrator: the setup code is not correct.')
    fill('adm-code', fake.code.toLowerCase())
    submit('adm-code')
    await settle()
    expect(h1()).toBe('Log in')
    expect((document.getElementById('login-email') as HTMLInputElement).value).toBe('alex@office.example')
    fill('login-password', 'harbor lantern cobalt mist')
    submit('login-email')
    await settle()

    expect(h1()).toBe('The domain')
    // The step's checks: the port problem with what to do.
    const ports = document.querySelector('.check-list li[data-check="ports"]')
    expect(ports?.getAttribute('data-status')).toBe('problem')
    expect(ports?.textContent).toContain('What to do: Stop nginx')
    expect(document.querySelector('.check-list li[data-check="mail"]')).toBeNull()
    fill('dom-domain', 'https://portal.x.org')
    submit('dom-domain')
    expect(document.getElementById('dom-domain-error')?.textContent).toMatch(/only the name/)
    click('Later')
    await settle()
    expect(fake.calls.some((c) => c.startsWith('domain'))).toBe(false)

    expect(h1()).toBe('The mail server')
    fill('mail-host', 'smtp.office.example')
    fill('mail-username', 'portal@office.example')
    fill('mail-password', 'wrong')
    fill('mail-from', 'portal@office.example')
    submit('mail-host')
    await settle()
    click('Send a test email')
    await settle()
    expect(fake.calls).toContain('test alex@office.example')
    expect(document.querySelector('.test-result')?.textContent).toContain('535 5.7.8 Username and Password not accepted')
    expect(document.querySelector('.test-result')?.textContent).toContain('refused the login')
    fill('mail-password', 'right')
    submit('mail-host')
    await settle()
    click('Send a test email')
    await settle()
    expect(document.querySelector('.test-result')?.textContent).toContain('The mail server accepted the test email. It said: 250 OK: queued as 12345')
    expect(document.querySelector('.check-list li[data-check="mail"]')?.getAttribute('data-status')).toBe('ok')
    click('Next')
    await settle()

    expect(h1()).toBe('The documents key')
    expect(document.body.textContent).toContain('/etc/clientportal/office.key')
    click('Save a copy of the key…')
    await settle()
    expect(document.body.textContent).toContain('A copy of the key is saved at /media/usb/office-key.txt')
    click('Next')
    await settle()
    expect(h1()).toBe('The certificate')
    expect(document.body.textContent).toContain('No domain is set')
    click('Finish')
    await settle()
    expect(h1()).toBe('Done')
    click('Open the control panel')
    expect(opened).toMatchObject({ staff: 'Alex Morgan', role: 'admin' })
    expect(fake.step).toBe('done')
  })

  it('without administrator rights, shows the commands and goes on once the service answers', async () => {
    const fake = new FakeWizard()
    fake.admin = false
    fake.readable = false
    show(Wizard, { wizard: fake, onconnected: () => {}, onleave: () => {} })
    await settle()
    expect(document.body.textContent).toContain('without administrator rights')
    submit('svc-dataDir')
    await settle()
    const region = document.getElementById('svc-commands')
    expect(document.activeElement).toBe(region)
    expect(region?.querySelectorAll('pre.command')[0].textContent).toBe('sudo /usr/bin/clientportal service install --data /var/lib/clientportal')
    click('I have run them: continue')
    await settle(20)
    await new Promise((r) => setTimeout(r, 1100))
    await settle()
    expect(h1()).toBe('Create the first administrator')
    // The code cannot be read: the person is told how, and pastes it.
    expect((document.getElementById('adm-code') as HTMLInputElement).value).toBe('')
    expect(document.body.textContent).toContain("Only the service's account may read the setup code")
  })

  it('resumes after a login where the person was', async () => {
    const fake = new FakeWizard()
    fake.step = 'mail'
    fake.created = { code: '', email: 'alex@office.example', name: 'Alex', password: 'harbor lantern cobalt mist' }
    show(Wizard, { wizard: fake, onconnected: () => {}, onleave: () => {} })
    await settle()
    expect(h1()).toBe('Log in')
    expect(document.body.textContent).toContain('Log in again to go on where you left off.')
    fill('login-email', 'alex@office.example')
    fill('login-password', 'harbor lantern cobalt mist')
    submit('login-email')
    await settle()
    expect(h1()).toBe('The mail server')
  })
})

// CertWizard's service cannot reach the CA until "Try again now".
class CertWizard extends FakeWizard {
  retried = 0
  async certificate(): Promise<Certificate> {
    const base = { domain: 'portal.x.org', names: null, issuer: '', notAfter: '', nextTry: '', message: '' }
    if (this.retried === 0) return { ...base, state: 'failed', stage: '', problem: 'ca_unreachable', lastError: 'dial tcp 1.2.3.4:443: connect: connection refused' }
    return { ...base, state: 'valid', stage: '', problem: '', lastError: '', names: ['portal.x.org'], issuer: 'R11', notAfter: new Date(Date.now() + 90 * 86400000).toISOString() }
  }
  async retryCertificate() { this.retried++ }
}

describe('the certificate step', () => {
  it('says a failure in plain words, keeps the CA\'s error apart, and tries again', async () => {
    const fake = new CertWizard()
    fake.step = 'certificate'
    fake.created = { code: '', email: 'alex@office.example', name: 'Alex', password: 'harbor lantern cobalt mist' }
    show(Wizard, { wizard: fake, onconnected: () => {}, onleave: () => {} })
    await settle()
    fill('login-email', 'alex@office.example')
    fill('login-password', 'harbor lantern cobalt mist')
    submit('login-email')
    await settle()
    expect(h1()).toBe('The certificate')
    const problem = document.querySelector('.cert-problem')
    expect(problem?.getAttribute('role')).toBe('alert')
    expect(problem?.textContent).toContain('This computer could not reach the certificate authority.')
    expect(problem?.textContent).not.toContain('dial tcp')
    expect(document.querySelector('.wizard details .technical')?.textContent).toContain('dial tcp 1.2.3.4:443')
    expect([...document.querySelectorAll('.cert-stages li')].map((l) => l.getAttribute('data-state'))).toEqual(['failed', 'waiting', 'waiting'])
    click('Try again now')
    await settle()
    expect(fake.retried).toBe(1)
    expect(document.querySelector('.cert-problem')).toBeNull()
    expect([...document.querySelectorAll('.cert-stages li')].map((l) => l.getAttribute('data-state'))).toEqual(['done', 'done', 'done'])
    expect(document.querySelector('.cert-stages li[data-stage="received"]')?.textContent).toMatch(/Certificate received, valid until .+ \(in (89|90) days\)/)
  })
})

describe('the wizard in Spanish', () => {
  afterEach(() => useLang('en'))

  it('says its steps and the certificate\'s problems in Spanish', async () => {
    useLang('es')
    const now = new Date('2026-12-07T10:00:00Z')
    const c: Certificate = { state: 'failed', domain: 'portal.x.org', stage: '', problem: 'domain', names: null, issuer: '', notAfter: '', lastError: 'urn:ietf:params:acme:error:connection', nextTry: '2026-12-07T10:05:00Z', message: '' }
    const v = certificateView(c, now)
    expect(v.text).toBe('No se pudo obtener el certificado para portal.x.org.')
    expect(v.problem).toBe('La autoridad de certificación no pudo llegar a este equipo a través de portal.x.org.')
    expect(v.detail).toMatch(/^El servicio lo volverá a intentar por sí mismo el .+ \(dentro de 5 minutos\)\.$/)
    expect(v.stages[1].label).toBe('La autoridad de certificación comprueba que portal.x.org lleva a este equipo')
    expect(position('service')).toBe('Paso 1 de 8')

    show(Wizard, { wizard: new FakeWizard(), onconnected: () => {}, onleave: () => {} })
    await settle()
    expect(h1()).toBe('Instalar el servicio del portal')
    expect(document.body.textContent).toContain('Todavía no está instalado; el administrador de servicios de este equipo es System V init.')
    submit('svc-dataDir')
    await settle()
    expect(h1()).toBe('Esperar al servicio')
  })
})
