// The first-run wizard's logic: its steps, the form checks, and the words
// for what the service answered (the health wait, the configuration check,
// the test email, the certificate). The screen is screens/Wizard.svelte.
import type { PasswordPolicy } from './clientTypes'
import { unmet } from './password'
import type { AdminInput, Certificate, ConfigCheck, MailInput, MailTest, ServiceSettings } from './wizardBackend'

export type StepId = 'service' | 'wait' | 'admin' | 'login' | 'domain' | 'mail' | 'key' | 'certificate' | 'done'

export interface Step {
  id: StepId
  title: string
  // checks: the configuration check's items this step is about.
  checks: string[]
}

export const steps: Step[] = [
  { id: 'service', title: 'Install the portal service', checks: [] },
  { id: 'wait', title: 'Wait for the service', checks: [] },
  { id: 'admin', title: 'Create the first administrator', checks: [] },
  { id: 'login', title: 'Log in', checks: [] },
  { id: 'domain', title: 'The domain', checks: ['domain', 'ports', 'certificate'] },
  { id: 'mail', title: 'The mail server', checks: ['mail'] },
  { id: 'key', title: 'The documents key', checks: ['office_key'] },
  { id: 'certificate', title: 'The certificate', checks: ['certificate', 'domain', 'ports'] },
  { id: 'done', title: 'Done', checks: ['domain', 'ports', 'mail', 'certificate', 'office_key'] },
]

export function isStep(id: string): id is StepId {
  return steps.some((s) => s.id === id)
}

export function stepOf(id: StepId): Step {
  return steps.find((s) => s.id === id) ?? steps[0]
}

// position is "Step 3 of 8" (Done is not counted).
export function position(id: StepId): string {
  const i = steps.findIndex((s) => s.id === id)
  return id === 'done' ? 'Finished' : `Step ${i + 1} of ${steps.length - 1}`
}

export function nextStep(id: StepId): StepId {
  const i = steps.findIndex((s) => s.id === id)
  return steps[Math.min(i + 1, steps.length - 1)].id
}

// needsSession: the steps that talk to the service as the administrator.
export function needsSession(id: StepId): boolean {
  return steps.findIndex((s) => s.id === id) > steps.findIndex((s) => s.id === 'login')
}

// checksFor keeps the configuration check's items the step is about, the
// problems first.
export function checksFor(id: StepId, all: ConfigCheck[]): ConfigCheck[] {
  const names = stepOf(id).checks
  const rank: Record<string, number> = { problem: 0, warning: 1, ok: 2, skipped: 3 }
  return all.filter((c) => names.includes(c.name)).sort((a, b) => (rank[a.status] ?? 4) - (rank[b.status] ?? 4))
}

export const checkTitles: Record<string, string> = {
  domain: 'Domain', ports: 'Ports 80 and 443', mail: 'Mail server', certificate: 'Certificate', office_key: 'Documents key',
}

export function statusText(status: string): string {
  return ({ ok: 'OK', warning: 'Warning', problem: 'Problem', skipped: 'Not checked yet' } as Record<string, string>)[status] ?? status
}

export type SettingsErrors = Partial<Record<keyof ServiceSettings, string>>

// checkSettings checks the service step's form.
export function checkSettings(s: ServiceSettings): SettingsErrors {
  const e: SettingsErrors = {}
  const full = (p: string) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\')
  if (s.dataDir.trim() === '') e.dataDir = 'Choose the folder where the portal keeps its data.'
  else if (!full(s.dataDir.trim())) e.dataDir = 'Write the data folder as a full path, such as /var/lib/clientportal.'
  if (s.officeKey.trim() === '') e.officeKey = "Choose the documents key's file."
  else if (!full(s.officeKey.trim())) e.officeKey = "Write the documents key's file as a full path."
  else if (s.dataDir.trim() !== '' && s.officeKey.trim().startsWith(s.dataDir.trim().replace(/[\\/]+$/, '') + (s.dataDir.includes('\\') ? '\\' : '/'))) {
    e.officeKey = 'Keep the documents key outside the data folder, so a copy of the data cannot be read without it.'
  }
  if (s.logDir.trim() === '') e.logDir = 'Choose the log folder.'
  else if (!full(s.logDir.trim())) e.logDir = 'Write the log folder as a full path.'
  const m = /^(.*):(\d{1,5})$/.exec(s.address.trim())
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535) e.address = 'Write the local address as HOST:PORT, such as 127.0.0.1:8080.'
  return e
}

export type AdminErrors = Partial<Record<keyof AdminInput | 'again', string>>

// checkAdmin checks the first administrator's form.
export function checkAdmin(a: AdminInput, again: string, policy: PasswordPolicy | null): AdminErrors {
  const e: AdminErrors = {}
  if (a.code.replace(/[\s-]/g, '') === '') e.code = 'Paste the setup code from the file the service wrote.'
  if (a.name.trim() === '') e.name = 'Enter your name, as colleagues and clients will see it.'
  const email = a.email.trim()
  if (email === '') e.email = 'Enter your email address: it is your login.'
  else if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) e.email = `"${email}" is not an email address: it needs a name, an @ and a domain.`
  const pw = policy ? unmet(policy, a.password) : a.password === '' ? 'Type the new password first.' : ''
  if (pw) e.password = pw
  else if (again !== a.password) e.again = 'The two passwords are not the same: type it again.'
  return e
}

export type DomainErrors = Partial<Record<'domain' | 'email', string>>

export function checkDomain(domain: string, email: string): DomainErrors {
  const e: DomainErrors = {}
  const d = domain.trim().toLowerCase()
  if (d === '') e.domain = 'Enter the domain clients will type, such as portal.yourlawoffice.org, or choose "Later".'
  else if (d.includes('://') || d.includes('/')) e.domain = 'Write only the name, such as portal.yourlawoffice.org (no https:// and no path).'
  else if (!/^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/.test(d)) e.domain = `"${domain.trim()}" is not a domain name: letters, digits, hyphens and dots, such as portal.yourlawoffice.org.`
  if (email.trim() === '') e.email = 'Enter an email address the certificate authority may write to about the certificate.'
  else if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim())) e.email = `"${email.trim()}" is not an email address.`
  return e
}

export type MailErrors = Partial<Record<keyof MailInput, string>>

export function checkMail(m: MailInput): MailErrors {
  const e: MailErrors = {}
  if (m.host.trim() === '') e.host = "Enter the mail server's name, such as smtp.yourprovider.com."
  if (!Number.isInteger(m.port) || m.port < 1 || m.port > 65535) e.port = 'Enter the port: 587 for STARTTLS, 465 for TLS.'
  if (m.from.trim() === '') e.from = 'Enter the address the emails come from.'
  else if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(m.from.trim())) e.from = `"${m.from.trim()}" is not an email address.`
  return e
}

// securityFor proposes the security that goes with a common port.
export function securityFor(port: number, current: string): string {
  if (port === 465) return 'tls'
  if (port === 587) return 'starttls'
  return current
}

// mailTestText says what the mail server answered to the test email, and
// what to do when it refused.
export function mailTestText(r: MailTest): { ok: boolean; text: string; fix: string } {
  if (r.sent) {
    return { ok: true, text: `The mail server accepted the test email. It said: ${r.reply}`, fix: 'Check that it arrived (look in the spam folder too).' }
  }
  const fixes: Record<string, string> = {
    connect: "The mail server could not be reached: check its name and port, and that this computer may connect to it (a firewall, or the provider's own rules).",
    tls: 'The secure connection failed: check the security setting (STARTTLS on port 587, TLS on port 465) and the server name.',
    auth: 'The mail server refused the login: check the user name and password; some providers need an app password made for this.',
    'mail from': 'The mail server refused the From address: use an address of the account you log in with.',
    'rcpt to': 'The mail server refused the recipient: check the address you sent the test to.',
    data: 'The mail server refused the message itself: ask your mail provider why, with the answer above.',
  }
  return { ok: false, text: `The mail server did not take the test email${r.stage ? ` (at ${r.stage})` : ''}. It said: ${r.reply}`, fix: fixes[r.stage] ?? 'Check the mail settings and try again.' }
}

// waitText describes the wait for the service.
export function waitText(seconds: number, detail: string): string {
  if (seconds < 10 || detail === '') {
    return `Waiting for the service to answer… ${seconds} s`
  }
  return `Still waiting after ${seconds} s. ${detail}`
}

function when(iso: string, now: Date): string {
  const t = new Date(iso)
  if (Number.isNaN(t.getTime()) || t.getFullYear() < 2000) return ''
  const mins = Math.round((t.getTime() - now.getTime()) / 60000)
  const at = t.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })
  if (mins <= 0) return `${at} (now)`
  if (mins < 60) return `${at} (in ${mins} minute${mins === 1 ? '' : 's'})`
  const days = Math.floor(mins / (60 * 24))
  if (days >= 2) return `${at} (in ${days} days)`
  return at
}

export type StageState = 'done' | 'current' | 'failed' | 'waiting'

export interface CertStage {
  id: 'asking' | 'proving' | 'received'
  label: string
  state: StageState
}

export interface CertView {
  // busy: the service is still at it (or will try again by itself).
  busy: boolean
  ok: boolean
  text: string // the state, in a sentence
  stages: CertStage[] // empty without a domain
  problem: string // what went wrong, in plain words ('' without)
  fix: string // what to do about it
  detail: string // when it tries again, or that it renews by itself
}

// stageStates places the three stages of getting a certificate: the first
// not done is current, or failed when the try failed there.
function stageStates(doneCount: number, failedHere: boolean): StageState[] {
  return [0, 1, 2].map((i) => (i < doneCount ? 'done' : i === doneCount ? (failedHere ? 'failed' : 'current') : 'waiting'))
}

// problemWords says a failure of the given kind in plain words, with what
// to do.
export function problemWords(problem: string, domain: string): { problem: string; fix: string } {
  switch (problem) {
    case 'domain':
      return {
        problem: `The certificate authority could not reach this computer at ${domain}.`,
        fix: `At your domain's DNS provider, point ${domain} at the office's internet address, and have the router forward ports 80 and 443 to this computer. The configuration check below shows where ${domain} points now.`,
      }
    case 'ca_unreachable':
      return {
        problem: 'This computer could not reach the certificate authority.',
        fix: "Check this computer's internet connection, and that the firewall lets the portal service connect out to the internet.",
      }
    case 'https_port':
      return {
        problem: 'Another program uses the HTTPS port, so the portal cannot serve HTTPS.',
        fix: 'Stop that program or move it to another port (often a web server such as IIS, Apache or nginx), then press "Try again now".',
      }
    case 'rate_limited':
      return {
        problem: `The certificate authority asks to wait: there were too many requests for ${domain} lately.`,
        fix: 'Nothing to do: the service tries again later by itself.',
      }
  }
  return {
    problem: `The certificate authority did not issue the certificate for ${domain}.`,
    fix: 'Check the domain and the contact email in the Domain step; the technical details below say what the certificate authority answered.',
  }
}

// certificateView says how getting the certificate stands: its stages
// (asking the CA, the CA proving the domain, the certificate received with
// its expiry), and a problem in plain words with what to do.
export function certificateView(c: Certificate, now: Date): CertView {
  const labels = (until: string) => [
    'Asking the certificate authority',
    `The certificate authority checks that ${c.domain} leads to this computer`,
    until ? `Certificate received, valid until ${until}` : 'Certificate received',
  ]
  const view = (states: StageState[], until = ''): CertStage[] => {
    const l = labels(until)
    return (['asking', 'proving', 'received'] as const).map((id, i) => ({ id, label: l[i], state: states[i] }))
  }
  const trouble = c.problem ? problemWords(c.problem, c.domain) : { problem: '', fix: '' }
  switch (c.state) {
    case 'off':
      return { busy: false, ok: false, text: 'No domain is set, so there is no certificate to get: the portal serves this computer only.', stages: [], problem: '', fix: '', detail: 'Set the domain later in the settings; the certificate then comes by itself.' }
    case 'obtaining': {
      const proving = c.stage === 'proving'
      return {
        busy: true, ok: false, stages: view(stageStates(proving ? 1 : 0, false)), ...trouble,
        text: proving ? `The certificate authority is checking that ${c.domain} leads to this computer…` : `Asking the certificate authority for a certificate for ${c.domain}…`,
        detail: 'This usually takes under a minute once the domain points at this computer and ports 80 and 443 reach it.',
      }
    }
    case 'valid': {
      const until = when(c.notAfter, now)
      return {
        busy: false, ok: !c.problem, stages: view(stageStates(3, false), until), ...trouble,
        text: `The certificate for ${(c.names ?? [c.domain]).join(', ')} is in place${until ? `, valid until ${until}` : ''}${c.issuer ? `, from ${c.issuer}` : ''}.`,
        detail: 'The service renews it by itself.',
      }
    }
    case 'failed': {
      const next = when(c.nextTry, now)
      const until = when(c.notAfter, now)
      // A failure at the domain's check got past the first stage.
      const states = until ? stageStates(3, false) : stageStates(c.problem === 'domain' ? 1 : 0, true)
      const words = problemWords(c.problem, c.domain)
      return {
        busy: true, ok: false, stages: view(states, until), ...words,
        text: until ? `Renewing the certificate for ${c.domain} failed; the current one is still served until ${until}.` : `Getting the certificate for ${c.domain} failed.`,
        detail: next ? `The service tries again by itself at ${next}.` : 'The service tries again by itself.',
      }
    }
  }
  return { busy: false, ok: false, text: c.message, stages: [], problem: '', fix: '', detail: '' }
}

// platformName names the service manager in words.
export function platformName(p: string): string {
  return ({
    'unix-systemv': 'System V init', 'linux-systemd': 'systemd', 'darwin-launchd': 'launchd',
    'windows-service': 'the Windows service manager',
  } as Record<string, string>)[p] ?? p
}
