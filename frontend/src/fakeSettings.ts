// A stand-in for the settings' and the access panel's security part of the
// Go side (SettingsBackend), keeping the office's settings in memory:
// FakeClients (fakeClients.ts) extends it, so every test office has it. It
// refuses what the service refuses, in the shapes the window receives: a
// string, or {message, field} when the service names the field.
import type { SettingsBackend } from './lib/settingsBackend'
import { FakeDashboard } from './fakeDashboard'
import type {
  AuditRow, BackupInput, Backups, Branding, DomainInput, DomainSettings, MailInput, MailSettings, OfficeInput, OfficeSettings,
  OnboardingInput, OnboardingSettings, PasswordPolicy, StaffAccount, StaffInput, Status, TwoFactorSettings, TwoFactorState,
} from './lib/settingsTypes'
import { contrast } from './lib/settings'

// field is a refusal naming its field as the window receives it: the Wails
// runtime rejects with an Error holding the JSON the Go side sent.
const field = (field: string, message: string) => new Error(JSON.stringify({ message, field }))

export class FakeSettings extends FakeDashboard implements SettingsBackend {
  settingsCalls: string[] = []
  // admin false: every change is refused as the service refuses non-admins.
  admin = true
  office: OfficeSettings = {
    office_name: 'Riverside Legal Aid', office_phone: '+1 555 0100', office_email: 'office@riverside.example', office_address: '1 River St',
    lockout_threshold: 5, lockout_mode: 'temporary', staff_language: 'en', session_idle_minutes: 30, session_lifetime_hours: 12,
    time_zone: 'America/New_York', password_policy: { min_length: 10, min_upper: 2, min_lower: 2, min_digit: 2, min_special: 2 },
    statuses: [
      { id: 'received', names: { en: 'Received', es: 'Recibido' } },
      { id: 'filed', names: { en: 'Filed', es: 'Presentado' } },
      { id: 'closed', names: { en: 'Closed', es: 'Cerrado' } },
    ],
    upload_max_mb: 25, upload_types: ['pdf', 'jpeg', 'png'],
  }
  mail: MailSettings = {
    host: 'smtp.riverside.example', port: 587, security: 'starttls', username: 'portal', password_set: true, from: 'portal@riverside.example',
    office_address: 'office@riverside.example', notify: { status: true, messages: true, appointments: true, documents: true, requests: true },
    client_message_alerts: 'advocate',
  }
  mailPassword = 'smtp-secret'
  domain: DomainSettings = { domain: 'portal.riverside.example', acme_email: 'it@riverside.example', acme_ca: '', acme_root_pem: '', public_staff_api: false }
  backup: Backups = { settings: { folder: '/srv/backups', time: '02:30', retention: 14, nightly: true }, next: '2026-12-08T07:30:00Z', files: [] }
  onboardingState: OnboardingSettings = { fact: 'birth_date', invite_expiry_hours: 168, reset_expiry_minutes: 60, max_attempts: 5, auto_invite: false, easy_login: false }
  twoFactor: TwoFactorSettings = { clients: false, staff: false, mineOn: false }
  brand: Branding = { office_name: 'Riverside Legal Aid', color: '#1d4f91', logo: false }
  logoFile = '' // what the file dialog answers ('' as if cancelled)
  saveFile = '' // what the Save dialog answers
  opened: string[] = [] // links opened in the browser
  clipboard = ''
  staffList: StaffAccount[] = [
    { id: 1, email: 'dana@riverside.example', name: 'Dana Whitfield', title: 'Office manager', role: 'admin', mail_alerts: true },
    { id: 2, email: 'marcus@riverside.example', name: 'Marcus Oyelaran', title: 'Attorney', role: 'staff', mail_alerts: true },
  ]
  clientTf = new Map<number, TwoFactorState>()
  audit: AuditRow[] = [
    { id: 1, at: '2026-11-20T10:00:00Z', actor: 'Dana Whitfield', kind: 'staff', ip: '10.0.0.5', action: 'client.create', target: 'client:1', detail: '' },
    { id: 2, at: '2026-11-21T10:00:00Z', actor: 'Amina Haddad', kind: 'client', ip: '203.0.113.7', action: 'login', target: 'client:1', detail: '' },
  ]

  private mustAdmin(doing: string) {
    if (!this.admin) throw `could not ${doing}: only an administrator can do this`
  }

  async officeSettings() { return structuredClone(this.office) }
  async saveOffice(input: OfficeInput) {
    this.settingsCalls.push(`saveOffice ${JSON.stringify(input)}`)
    this.mustAdmin('save the office settings')
    if (input.time_zone !== undefined && !/^([A-Z][A-Za-z_]+\/[A-Za-z_]+|UTC)$/.test(input.time_zone.trim())) {
      throw field('time_zone', 'could not save the office settings: time_zone must be a time zone name such as "America/New_York" or "UTC"')
    }
    Object.assign(this.office, structuredClone(input))
    if (input.office_name) this.brand.office_name = input.office_name
    return structuredClone(this.office)
  }
  async statusList() { return structuredClone(this.office.statuses) }
  async saveStatuses(list: Status[]) {
    this.settingsCalls.push(`saveStatuses ${list.map((s) => `${s.id}:${s.names.en}/${s.names.es}${s.retired ? ':retired' : ''}`).join(',')}`)
    this.mustAdmin('save the status list')
    const kept = this.office.statuses.filter((o) => !list.some((s) => s.id === o.id)).map((o) => ({ ...o, retired: true }))
    this.office.statuses = [...structuredClone(list), ...kept]
    return structuredClone(this.office.statuses)
  }
  async passwordRules() { return { ...this.office.password_policy } }
  async savePasswordRules(preset: string, p: PasswordPolicy) {
    this.settingsCalls.push(`savePasswordRules ${preset} ${JSON.stringify(p)}`)
    this.mustAdmin('save the password policy')
    const next = preset === 'nist' ? { min_length: 15, min_upper: 0, min_lower: 0, min_digit: 0, min_special: 0 } : { ...p }
    if (next.min_length < 8) throw field('password_policy', 'could not save the password policy: passwords must be at least 8 characters')
    this.office.password_policy = next
    return { ...next }
  }
  async mailSettings() { return structuredClone(this.mail) }
  async saveMail(input: MailInput) {
    this.settingsCalls.push(`saveMail ${JSON.stringify(input)}`)
    this.mustAdmin('save the mail settings')
    if (input.port !== undefined && (input.port < 1 || input.port > 65535)) throw field('port', 'could not save the mail settings: port must be from 1 to 65535')
    const { password, ...rest } = structuredClone(input)
    if (password) this.mailPassword = password
    Object.assign(this.mail, rest)
    this.mail.password_set = this.mailPassword !== ''
    return structuredClone(this.mail)
  }
  async testMail(to: string) {
    this.settingsCalls.push(`testMail ${to}`)
    this.mustAdmin('send a test email')
    return this.mailPassword === 'smtp-secret'
      ? { sent: true, reply: '250 2.0.0 OK: queued as 7F3A' }
      : { sent: false, stage: 'auth', reply: '535 5.7.8 Authentication credentials invalid' }
  }
  async domainSettings() { return { ...this.domain } }
  async saveDomain(input: DomainInput) {
    this.settingsCalls.push(`saveDomain ${JSON.stringify(input)}`)
    this.mustAdmin('save the domain settings')
    if (input.acme_email !== undefined && input.acme_email !== '' && !input.acme_email.includes('@')) {
      throw field('acme_email', 'could not save the domain settings: acme_email must be an email address')
    }
    Object.assign(this.domain, input)
    return { ...this.domain }
  }
  async certificate() {
    return { state: 'valid', domain: this.domain.domain, issuer: "Let's Encrypt R11", not_after: '2027-02-01T00:00:00Z', message: 'The certificate is valid; it renews by itself.' }
  }
  async backups() { return structuredClone(this.backup) }
  async saveBackup(input: BackupInput) {
    this.settingsCalls.push(`saveBackup ${JSON.stringify(input)}`)
    this.mustAdmin('save the backup settings')
    if (input.folder !== undefined && input.folder !== '' && !input.folder.startsWith('/')) {
      throw field('folder', `could not save the backup settings: "${input.folder}" is not a full path: give the folder's full path on the server, such as /srv/backups or D:\\Backups`)
    }
    Object.assign(this.backup.settings, input)
    return { ...this.backup.settings }
  }
  async backupNow() {
    this.settingsCalls.push('backupNow')
    this.mustAdmin('make a backup')
    const r = { started: '2026-12-07T15:00:00Z', finished: '2026-12-07T15:00:02Z', file: `${this.backup.settings.folder}/clientportal-20261207-150000.tar.gz`, size: 3_400_000, ok: true, nightly: false }
    this.backup.last = r
    this.backup.files = [{ name: 'clientportal-20261207-150000.tar.gz', size: r.size, modified: r.finished }]
    return r
  }
  async onboardingSettings() { return { ...this.onboardingState } }
  async saveOnboarding(input: OnboardingInput) {
    this.settingsCalls.push(`saveOnboarding ${JSON.stringify(input)}`)
    this.mustAdmin('save the invitation settings')
    Object.assign(this.onboardingState, input)
    return { ...this.onboardingState }
  }
  async twoFactorSettings() { return { ...this.twoFactor } }
  async saveTwoFactor(clients: boolean, staff: boolean) {
    this.settingsCalls.push(`saveTwoFactor ${clients} ${staff}`)
    this.mustAdmin('save the two-factor requirements')
    if (staff && !this.twoFactor.mineOn) {
      throw field('staff', 'could not save the two-factor requirements: set up your own second factor first, so that requiring it of staff cannot lock you out')
    }
    this.twoFactor = { ...this.twoFactor, clients, staff }
    return { ...this.twoFactor }
  }
  async branding() { return { ...this.brand } }
  async setColor(color: string) {
    this.settingsCalls.push(`setColor ${color}`)
    this.mustAdmin('save the colour')
    if (color !== '' && contrast(color) < 4.5) {
      throw field('color', `could not save the colour: white text on ${color} has contrast ${contrast(color).toFixed(2)}:1, below 4.5:1; a darker colour such as #6b6b00 works`)
    }
    this.brand.color = color || undefined
    return { ...this.brand }
  }
  async chooseLogo() {
    this.settingsCalls.push('chooseLogo')
    if (!this.logoFile) return { chosen: false, file: '', branding: { ...this.brand } }
    this.mustAdmin('upload the logo')
    this.brand = { ...this.brand, logo: true, logo_type: 'image/png', logo_url: '/branding/logo' }
    return { chosen: true, file: this.logoFile, branding: { ...this.brand } }
  }
  async removeLogo() {
    this.mustAdmin('remove the logo')
    this.brand = { ...this.brand, logo: false, logo_type: undefined, logo_url: undefined }
    return { ...this.brand }
  }
  async snippet() {
    const url = `https://${this.domain.domain}/login`
    return { url, html: `<a href="${url}" style="background:${this.brand.color ?? '#1d4f91'};color:#fff">Client login</a>` }
  }
  async staffAccounts() { return structuredClone(this.staffList) }
  async addStaff(input: StaffInput) {
    this.settingsCalls.push(`addStaff ${input.email}`)
    this.mustAdmin('add the staff account')
    if (this.staffList.some((s) => s.email === input.email?.trim())) throw field('email', `could not add the staff account: the email ${input.email} is taken`)
    const s: StaffAccount = { id: this.staffList.length + 1, email: input.email!.trim(), name: input.name!.trim(), title: input.title, role: input.role ?? 'staff', mail_alerts: true }
    this.staffList.push(s)
    return { ...s }
  }
  async updateStaff(id: number, input: StaffInput) {
    this.settingsCalls.push(`updateStaff ${id} ${JSON.stringify(input)}`)
    this.mustAdmin('change the staff account')
    const s = this.staffList.find((x) => x.id === id)
    if (!s) throw 'could not change the staff account: no such record'
    Object.assign(s, input)
    return { ...s }
  }
  async resetStaffTwoFactor(id: number, checked: string) {
    this.settingsCalls.push(`resetStaffTwoFactor ${id} ${checked}`)
    this.mustAdmin('reset the second factor')
    return { on: false, required: false, required_by_staff: false, recovery_codes_left: 0, passkeys: 0 }
  }
  private tf(id: number): TwoFactorState {
    let s = this.clientTf.get(id)
    if (!s) {
      s = { on: id === 1, since: id === 1 ? '2026-10-01T09:00:00Z' : undefined, required: false, required_by_staff: false, recovery_codes_left: id === 1 ? 8 : 0, passkeys: 0 }
      this.clientTf.set(id, s)
    }
    return s
  }
  async clientTwoFactor(id: number) { return { ...this.tf(id) } }
  async requireTwoFactor(id: number, required: boolean) {
    this.settingsCalls.push(`requireTwoFactor ${id} ${required}`)
    const s = this.tf(id)
    Object.assign(s, { required_by_staff: required, required: required || this.twoFactor.clients })
    return { ...s }
  }
  async resetClientTwoFactor(id: number, checked: string) {
    this.settingsCalls.push(`resetClientTwoFactor ${id} ${checked}`)
    if (checked.trim() === '') throw field('checked', 'could not reset the client’s second factor: say how you checked who the client is')
    const s = this.tf(id)
    Object.assign(s, { on: false, since: undefined, recovery_codes_left: 0 })
    return { ...s }
  }
  async preview(id: number) {
    this.settingsCalls.push(`preview ${id}`)
    const url = `https://portal.riverside.example/preview/one-time-${id}`
    this.opened.push(url)
    return { url, expires: '2026-12-07T15:02:00Z' }
  }
  async auditTrail(kind: 'client' | 'case', id: number) {
    this.settingsCalls.push(`auditTrail ${kind} ${id}`)
    return this.audit.slice().reverse()
  }
  async exportAudit(kind: 'client' | 'case', id: number) {
    this.settingsCalls.push(`exportAudit ${kind} ${id}`)
    return this.saveFile
  }
  async copyText(text: string) {
    this.clipboard = text
    return true
  }
}
