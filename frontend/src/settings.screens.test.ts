// The settings screens and the access panel's security parts driven as a
// person would in jsdom, against FakeSettings (through FakeClients): the
// stand-in for the Go side. The real Go side is tested against the real
// service in app/settings_test.go, and the two together in the real window
// (app/window_settings_test.go).
import { flushSync } from 'svelte'
import { afterEach, describe, expect, it } from 'vitest'
import type { CaseRow } from './lib/types'
import { settle } from './settle'
import { cleanup, logIn } from './testing/app'
import { alert, button, byLabel, check, status, type } from './testing/dom'
import { InertOffice } from './testing/office'

class Office extends InertOffice {
  constructor() {
    super()
    this.cases = [{ id: 1, number: 'IMM-0001', title: 'Matter 1', kind: 'staff', advocate: 'Marcus Oyelaran', status: 'Received', statusDate: '2026-11-01', updated: '' } as CaseRow]
  }
  async listCases() { return { items: this.cases, next: 0 } }
  async appointments() { return [] }
}

afterEach(cleanup)

async function openSettings(office: Office, section: string) {
  const root = await logIn(office)
  button(root, 'Settings').click()
  await settle()
  expect(root.querySelector('h1')?.textContent).toBe('Settings')
  button(root, section).click()
  await settle()
  expect(root.querySelector('[aria-current=page]#settings-nav-' + root.querySelector('#settings-body h2')?.parentElement?.getAttribute('aria-labelledby')?.replace('-title', ''))).toBeTruthy()
  expect(document.activeElement).toBe(root.querySelector('#settings-body h2'))
  return root
}

// Each test walks a screen through several saves: on a loaded 2-core machine
// that can pass Vitest's default 5 s, which says nothing about the screen.
describe('Settings', { timeout: 30_000 }, () => {
  it('is in the navigation for administrators only', async () => {
    const office = new Office()
    office.role = 'staff'
    const root = await logIn(office)
    expect([...root.querySelectorAll('nav[aria-label=Main] button')].map((b) => b.textContent)).not.toContain('Settings')
  })

  it('edits the status list: rename in both languages, reorder, retire, add; then saves it', async () => {
    const office = new Office()
    const root = await openSettings(office, 'Case statuses')
    type(root.querySelector('#status-es-1'), 'Presentado ante el tribunal')
    check(root.querySelector('#status-retired-0'), true)
    ;(root.querySelector('#status-down-0') as HTMLButtonElement).click()
    await settle()
    expect(document.activeElement?.id).toBe('status-down-1')
    expect(root.querySelector('[role=status].visually-hidden')?.textContent).toBe('Received moved to place 2 of 3. Save the list to keep it.')
    button(root, 'Add to the list').click()
    await settle()
    expect(root.querySelector('#status-new-error')?.textContent).toMatch(/English and in Spanish/)
    type(byLabel(root, 'English name'), 'Hearing set')
    type(byLabel(root, 'Spanish name'), 'Audiencia fijada')
    button(root, 'Add to the list').click()
    await settle()
    button(root, 'Save the status list').click()
    await settle()
    expect(office.settingsCalls.at(-1)).toBe('saveStatuses filed:Filed/Presentado ante el tribunal,received:Received/Recibido:retired,closed:Closed/Cerrado,hearing_set:Hearing set/Audiencia fijada')
    expect(status(root)).toBe('Saved: 3 statuses offered, 1 retired.')
  })

  it('refuses an unnamed status beside its row, sending nothing', async () => {
    const office = new Office()
    const root = await openSettings(office, 'Case statuses')
    type(root.querySelector('#status-en-2'), '')
    button(root, 'Save the status list').click()
    await settle()
    expect(root.querySelector('#status-error-2')?.textContent).toBe('Give the status an English name.')
    expect(root.querySelector('#status-en-2')?.getAttribute('aria-invalid')).toBe('true')
    expect(alert(root)).toMatch(/Nothing was saved/)
    expect(office.settingsCalls).toEqual([])
  })

  it('shows the time zone refusal beside the field and keeps what was typed', async () => {
    const office = new Office()
    const root = await openSettings(office, 'Office')
    type(byLabel(root, 'Office time zone'), 'Mars/Olympus Mons')
    type(byLabel(root, 'Office name'), 'Riverside Legal Aid Society')
    button(root, 'Save the office settings').click()
    await settle()
    const tz = byLabel(root, 'Office time zone')
    expect(tz.value).toBe('Mars/Olympus Mons')
    expect(byLabel(root, 'Office name').value).toBe('Riverside Legal Aid Society')
    expect(tz.getAttribute('aria-invalid')).toBe('true')
    expect(document.getElementById(tz.getAttribute('aria-describedby')!.split(' ').at(-1)!)?.textContent).toMatch(/time zone name such as/)
    expect(alert(root)).toMatch(/^Nothing was saved/)
    type(tz, 'Europe/Madrid')
    check(root.querySelector('#office-type-heic'), true)
    button(root, 'Save the office settings').click()
    await settle()
    expect(tz.getAttribute('aria-invalid')).toBeNull()
    expect(office.office.time_zone).toBe('Europe/Madrid')
    expect(office.office.upload_types).toEqual(['pdf', 'jpeg', 'png', 'heic'])
    expect(status(root)).toMatch(/^Saved: the office/)
  })

  it('sets the NIST preset and the lockout, each on its own', async () => {
    const office = new Office()
    const root = await openSettings(office, 'Passwords and lockout')
    button(root, 'Use the NIST preset').click()
    await settle()
    expect(office.settingsCalls.at(-1)).toMatch(/^savePasswordRules nist /)
    expect(byLabel(root, 'Least length').value).toBe('15')
    expect(byLabel(root, 'Digits').value).toBe('0')
    expect(status(root)).toMatch(/NIST preset/)
    type(byLabel(root, 'Bad attempts before the lock'), '7')
    ;(root.querySelector('#lockout-until') as HTMLInputElement).click()
    flushSync()
    button(root, 'Save the lockout').click()
    await settle()
    expect(office.settingsCalls.at(-1)).toBe('saveOffice {"lockout_mode":"until_unlocked","lockout_threshold":7}')
    expect(status(root)).toMatch(/after 7 bad attempts an account is locked until staff unlock it/)
  })

  it('explains why a second factor cannot be required of staff yet', async () => {
    const office = new Office()
    const root = await openSettings(office, 'Two-factor sign-in')
    expect(root.querySelector('#tf-staff-hint')?.textContent).toMatch(/until you have your own/)
    check(root.querySelector('#tf-staff'), true)
    button(root, 'Save the two-factor rules').click()
    await settle()
    expect(root.querySelector('#tf-staff-error')?.textContent).toMatch(/set up your own second factor first/)
    expect((root.querySelector('#tf-staff') as HTMLInputElement).checked).toBe(true)
    expect(office.twoFactor.staff).toBe(false)
  })

  it('saves the mail server keeping its password, and shows the server’s answer to a test', async () => {
    const office = new Office()
    const root = await openSettings(office, 'Email')
    expect(byLabel(root, 'Password').value).toBe('')
    expect(root.querySelector('#mail-password-hint')?.textContent).toMatch(/Leave this empty to keep it/)
    type(byLabel(root, 'Server'), 'mail.riverside.example')
    button(root, 'Save the mail server').click()
    await settle()
    expect(office.mailPassword).toBe('smtp-secret')
    expect(status(root)).toMatch(/keeping its password/)
    type(root.querySelector('#mail-test-to'), 'dana@riverside.example')
    button(root, 'Send a test email').click()
    await settle()
    expect(root.querySelector('#mail-test-reply')?.textContent).toBe('250 2.0.0 OK: queued as 7F3A')
    type(byLabel(root, 'Password'), 'wrong')
    button(root, 'Save the mail server').click()
    await settle()
    expect(byLabel(root, 'Password').value).toBe('')
    button(root, 'Send a test email').click()
    await settle()
    expect(root.querySelector('.server-answer')?.textContent).toMatch(/Not sent: the server refused the user name or password.*535 5\.7\.8/s)
    type(byLabel(root, 'Port'), '70000')
    button(root, 'Save the mail server').click()
    await settle()
    expect(root.querySelector('#mail-port-error')?.textContent).toMatch(/from 1 to 65535/)
    check(root.querySelector('#notify-documents'), false)
    ;(root.querySelector('#mail-alerts') as HTMLSelectElement).value = 'all_staff'
    root.querySelector('#mail-alerts')!.dispatchEvent(new Event('change', { bubbles: true }))
    button(root, 'Save the notifications').click()
    await settle()
    expect(office.mail.notify.documents).toBe(false)
    expect(office.mail.client_message_alerts).toBe('all_staff')
  })

  it('shows the certificate and warns about the staff API on the public address', async () => {
    const office = new Office()
    const root = await openSettings(office, 'Domain and certificate')
    expect(root.querySelector('#cert-state')?.textContent).toBe('Valid')
    const warning = root.querySelector('#domain-public-api-warning')!
    expect(warning.textContent).toMatch(/anyone on the internet/)
    check(root.querySelector('#domain-public-api'), true)
    expect(warning.classList.contains('over')).toBe(true)
    type(byLabel(root, 'Contact email for the certificate authority'), 'nobody')
    button(root, 'Save the domain').click()
    await settle()
    expect(root.querySelector('#domain-acme-error')?.textContent).toMatch(/email address/)
    expect(office.domain.public_staff_api).toBe(false)
  })

  it('backs up now, and refuses a folder that is not a full path beside it', async () => {
    const office = new Office()
    const root = await openSettings(office, 'Backups')
    expect(root.querySelector('#backup-last')?.textContent).toBe('None yet')
    button(root, 'Back up now').click()
    await settle()
    expect(root.textContent).toMatch(/Backed up: \/srv\/backups\/clientportal-20261207-150000.tar.gz \(3.2 MB\)/)
    expect(root.querySelector('#backup-last')?.textContent).toMatch(/^Done/)
    type(byLabel(root, 'Backup folder on the server'), 'backups')
    type(byLabel(root, 'At (HH:MM, office time)'), '25:00')
    button(root, 'Save the backup settings').click()
    await settle()
    expect(root.querySelector('#backup-time-error')?.textContent).toMatch(/HH:MM/)
    expect(office.settingsCalls.filter((c) => c.startsWith('saveBackup'))).toEqual([])
    type(byLabel(root, 'At (HH:MM, office time)'), '03:00')
    button(root, 'Save the backup settings').click()
    await settle()
    expect(root.querySelector('#backup-folder-error')?.textContent).toMatch(/not a full path/)
    expect(byLabel(root, 'Backup folder on the server').value).toBe('backups')
  })

  it('saves the invitation settings', async () => {
    const office = new Office()
    const root = await openSettings(office, 'Invitations')
    ;(root.querySelector('#inv-fact-id') as HTMLInputElement).click()
    check(root.querySelector('#inv-auto'), true)
    type(byLabel(root, 'Invitations last (hours)'), '48')
    button(root, 'Save the invitation settings').click()
    await settle()
    expect(office.onboardingState).toMatchObject({ fact: 'id_last4', auto_invite: true, invite_expiry_hours: 48 })
    expect(status(root)).toMatch(/invitations last 48 hours/)
  })

  it('refuses a light colour with the service’s words, uploads a logo, copies the snippet', async () => {
    const office = new Office()
    const root = await openSettings(office, 'Branding')
    const color = root.querySelector('#brand-color') as HTMLInputElement
    type(color, '#ffff00')
    expect(root.querySelector('#brand-contrast')?.textContent).toMatch(/too light/)
    button(root, 'Save the colour').click()
    await settle()
    expect(root.querySelector('#brand-color-error')?.textContent).toMatch(/a darker colour such as #6b6b00/)
    expect(color.value).toBe('#ffff00')
    type(color, '#6b3fa0')
    button(root, 'Save the colour').click()
    await settle()
    expect(office.brand.color).toBe('#6b3fa0')
    button(root, 'Choose a logo…').click()
    await settle()
    expect(status(root)).toMatch(/No file chosen/)
    office.logoFile = '/home/dana/logo.png'
    button(root, 'Choose a logo…').click()
    await settle()
    expect(root.textContent).toMatch(/shows the office’s logo \(PNG\)/)
    button(root, 'Remove the logo').click()
    await settle()
    expect(office.brand.logo).toBe(false)
    expect((root.querySelector('#snippet') as HTMLTextAreaElement).value).toContain('#6b3fa0')
    button(root, 'Copy').click()
    await settle()
    expect(office.clipboard).toContain('Client login')
    expect(status(root)).toMatch(/Copied/)
  })

  it('adds a staff member, changes one, resets a second factor after checking', async () => {
    const office = new Office()
    const root = await openSettings(office, 'Staff accounts')
    button(root, 'Add the staff member').click()
    await settle()
    expect(root.querySelector('#staff-add-name-error')?.textContent).toBe('Give their name.')
    type(byLabel(root, 'Name'), 'Noor Khan')
    type(byLabel(root, 'Email (their sign-in)'), 'marcus@riverside.example')
    type(byLabel(root, 'First password'), 'a-long-first-passphrase')
    button(root, 'Add the staff member').click()
    await settle()
    expect(root.querySelector('#staff-add-email-error')?.textContent).toMatch(/is taken/)
    expect(byLabel(root, 'Name').value).toBe('Noor Khan')
    type(byLabel(root, 'Email (their sign-in)'), 'noor@riverside.example')
    button(root, 'Add the staff member').click()
    await settle()
    expect(office.staffList.map((s) => s.name)).toContain('Noor Khan')
    expect(byLabel(root, 'Name').value).toBe('')
    ;(root.querySelector('button[aria-label="Change Marcus Oyelaran"]') as HTMLButtonElement).click()
    await settle()
    expect(document.activeElement?.id).toBe('staff-edit-title')
    type(byLabel(root, 'Title'), 'Senior attorney')
    check(root.querySelector('#staff-edit-disabled'), true)
    button(root, 'Save Marcus Oyelaran').click()
    await settle()
    expect(office.settingsCalls.at(-1)).toBe('updateStaff 2 {"title":"Senior attorney","role":"staff","disabled":true}')
    button(root, 'Reset the second factor').click()
    await settle()
    expect(root.querySelector('#staff-reset-checked-error')?.textContent).toMatch(/audit log/)
    type(byLabel(root, 'How you checked who is asking'), 'in person')
    button(root, 'Reset the second factor').click()
    await settle()
    expect(office.settingsCalls.at(-1)).toBe('resetStaffTwoFactor 2 in person')
    // Your own role and disabled state cannot be changed.
    ;(root.querySelector('button[aria-label="Change Dana Whitfield"]') as HTMLButtonElement).click()
    await settle()
    expect((root.querySelector('#staff-edit-role') as HTMLSelectElement).disabled).toBe(true)
  })

  it('shows staff who are not administrators the settings read-only, and the service’s refusal in words', async () => {
    const office = new Office()
    office.admin = false
    const root = await openSettings(office, 'Office')
    type(byLabel(root, 'Office name'), 'Mine')
    button(root, 'Save the office settings').click()
    await settle()
    expect(alert(root)).toBe('Could not save the office settings: only an administrator can do this.')
    expect(byLabel(root, 'Office name').value).toBe('Mine')
  })
})

describe('the access panel’s security', { timeout: 30_000 }, () => {
  async function openClient(office: Office, id: number) {
    const root = await logIn(office)
    button(root, 'Clients').click()
    await settle()
    const name = office.clients[id - 1].name
    ;(root.querySelector(`button[aria-label="Open client ${name}"]`) as HTMLButtonElement).click()
    await settle()
    return root
  }

  it('requires a second factor, and resets it only after saying how identity was checked', async () => {
    const office = new Office()
    const root = await openClient(office, 1)
    expect(root.querySelector('#tf-on')?.textContent).toMatch(/^On since/)
    expect(root.querySelector('#tf-required')?.textContent).toBe('No')
    const require = button(root, 'Require')
    require.focus()
    require.click()
    await settle()
    expect(root.querySelector('#tf-required')?.textContent).toBe('Yes, by staff for this client')
    expect(document.activeElement?.id).toBe('tf-require')
    button(root, 'Reset after checking identity…').click()
    await settle()
    expect(document.activeElement?.id).toBe('tf-checked')
    button(root, 'Reset the second factor').click()
    await settle()
    expect(root.querySelector('#tf-checked-error')?.textContent).toMatch(/audit log/)
    expect(office.settingsCalls.filter((c) => c.startsWith('resetClient'))).toEqual([])
    type(root.querySelector('#tf-checked'), 'called back, birth date confirmed')
    button(root, 'Reset the second factor').click()
    await settle()
    expect(office.settingsCalls.at(-1)).toBe('resetClientTwoFactor 1 called back, birth date confirmed')
    expect(root.querySelector('#tf-on')?.textContent).toBe('Off')
  })

  it('opens the preview in the browser and exports the audit trail where the person chose', async () => {
    const office = new Office()
    const root = await openClient(office, 1)
    button(root, 'Preview as the client').click()
    await settle()
    expect(office.opened).toEqual(['https://portal.riverside.example/preview/one-time-1'])
    expect(root.textContent).toMatch(/Opened in your browser/)
    button(root, 'Show the audit trail').click()
    await settle()
    expect([...root.querySelectorAll('.audit li strong')].map((x) => x.textContent)).toEqual(['Signed in', 'Client added'])
    button(root, 'Export as CSV…').click()
    await settle()
    expect(root.textContent).toMatch(/Not saved: no file was chosen/)
    office.saveFile = '/home/dana/audit-client-1.csv'
    button(root, 'Export as CSV…').click()
    await settle()
    expect(root.textContent).toMatch(/Saved: \/home\/dana\/audit-client-1.csv/)
    expect(office.settingsCalls.at(-1)).toBe('exportAudit client 1')
  })
})
