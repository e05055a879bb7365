// The first-run wizard's logic: its steps, the form checks, and the words
// for what the service answered (the health wait, the configuration check,
// the test email, the certificate). The screen is screens/Wizard.svelte.
import type { PasswordPolicy } from './clientTypes'
import { intlLocale, t } from './i18n.svelte'
import { unmet } from './password'
import type { AdminInput, Certificate, ConfigCheck, MailInput, MailTest, ServiceSettings } from './wizardBackend'

export type StepId = 'service' | 'wait' | 'admin' | 'login' | 'domain' | 'mail' | 'key' | 'certificate' | 'done'

export interface Step {
  id: StepId
  // checks: the configuration check's items this step is about.
  checks: string[]
}

export const steps: Step[] = [
  { id: 'service', checks: [] },
  { id: 'wait', checks: [] },
  { id: 'admin', checks: [] },
  { id: 'login', checks: [] },
  { id: 'domain', checks: ['domain', 'ports', 'certificate'] },
  { id: 'mail', checks: ['mail'] },
  { id: 'key', checks: ['office_key'] },
  { id: 'certificate', checks: ['certificate', 'domain', 'ports'] },
  { id: 'done', checks: ['domain', 'ports', 'mail', 'certificate', 'office_key'] },
]

// stepTitle is a step's heading in the panel's language.
export function stepTitle(id: StepId): string {
  return t(`wizard:steps.${id}`)
}

export function isStep(id: string): id is StepId {
  return steps.some((s) => s.id === id)
}

export function stepOf(id: StepId): Step {
  return steps.find((s) => s.id === id) ?? steps[0]
}

// position is "Step 3 of 8" (Done is not counted).
export function position(id: StepId): string {
  const i = steps.findIndex((s) => s.id === id)
  return id === 'done' ? t('wizard:finished') : t('wizard:position', { n: i + 1, total: steps.length - 1 })
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

const checkNames = ['domain', 'ports', 'mail', 'certificate', 'office_key'] as const

// checkTitle names a configuration check's item (the service's name for
// one it does not know yet).
export function checkTitle(name: string): string {
  return (checkNames as readonly string[]).includes(name) ? t(`wizard:checks.names.${name as (typeof checkNames)[number]}`) : name
}

const checkStatuses = ['ok', 'warning', 'problem', 'skipped'] as const

export function statusText(status: string): string {
  return (checkStatuses as readonly string[]).includes(status) ? t(`wizard:checks.status.${status as (typeof checkStatuses)[number]}`) : status
}

export type SettingsErrors = Partial<Record<keyof ServiceSettings, string>>

// checkSettings checks the service step's form.
export function checkSettings(s: ServiceSettings): SettingsErrors {
  const e: SettingsErrors = {}
  const full = (p: string) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\')
  if (s.dataDir.trim() === '') e.dataDir = t('wizard:settingsErrors.dataDirEmpty')
  else if (!full(s.dataDir.trim())) e.dataDir = t('wizard:settingsErrors.dataDirFull')
  if (s.officeKey.trim() === '') e.officeKey = t('wizard:settingsErrors.officeKeyEmpty')
  else if (!full(s.officeKey.trim())) e.officeKey = t('wizard:settingsErrors.officeKeyFull')
  else if (s.dataDir.trim() !== '' && s.officeKey.trim().startsWith(s.dataDir.trim().replace(/[\\/]+$/, '') + (s.dataDir.includes('\\') ? '\\' : '/'))) {
    e.officeKey = t('wizard:settingsErrors.officeKeyInside')
  }
  if (s.logDir.trim() === '') e.logDir = t('wizard:settingsErrors.logDirEmpty')
  else if (!full(s.logDir.trim())) e.logDir = t('wizard:settingsErrors.logDirFull')
  const m = /^(.*):(\d{1,5})$/.exec(s.address.trim())
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535) e.address = t('wizard:settingsErrors.address')
  return e
}

export type AdminErrors = Partial<Record<keyof AdminInput | 'again', string>>

// checkAdmin checks the first administrator's form.
export function checkAdmin(a: AdminInput, again: string, policy: PasswordPolicy | null): AdminErrors {
  const e: AdminErrors = {}
  if (a.code.replace(/[\s-]/g, '') === '') e.code = t('wizard:adminErrors.code')
  if (a.name.trim() === '') e.name = t('wizard:adminErrors.name')
  const email = a.email.trim()
  if (email === '') e.email = t('wizard:adminErrors.emailEmpty')
  else if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) e.email = t('wizard:adminErrors.emailBad', { email })
  const pw = policy ? unmet(policy, a.password) : a.password === '' ? t('wizard:adminErrors.passwordEmpty') : ''
  if (pw) e.password = pw
  else if (again !== a.password) e.again = t('wizard:adminErrors.again')
  return e
}

export type DomainErrors = Partial<Record<'domain' | 'email', string>>

export function checkDomain(domain: string, email: string): DomainErrors {
  const e: DomainErrors = {}
  const d = domain.trim().toLowerCase()
  if (d === '') e.domain = t('wizard:domainErrors.empty')
  else if (d.includes('://') || d.includes('/')) e.domain = t('wizard:domainErrors.url')
  else if (!/^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/.test(d)) e.domain = t('wizard:domainErrors.bad', { domain: domain.trim() })
  if (email.trim() === '') e.email = t('wizard:domainErrors.emailEmpty')
  else if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim())) e.email = t('wizard:domainErrors.emailBad', { email: email.trim() })
  return e
}

export type MailErrors = Partial<Record<keyof MailInput, string>>

export function checkMail(m: MailInput): MailErrors {
  const e: MailErrors = {}
  if (m.host.trim() === '') e.host = t('wizard:mailErrors.host')
  if (!Number.isInteger(m.port) || m.port < 1 || m.port > 65535) e.port = t('wizard:mailErrors.port')
  if (m.from.trim() === '') e.from = t('wizard:mailErrors.fromEmpty')
  else if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(m.from.trim())) e.from = t('wizard:mailErrors.fromBad', { email: m.from.trim() })
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
    return { ok: true, text: t('wizard:mailTest.sent', { reply: r.reply }), fix: t('wizard:mailTest.sentFix') }
  }
  const fixes: Record<string, string> = {
    connect: t('wizard:mailTest.fix.connect'),
    tls: t('wizard:mailTest.fix.tls'),
    auth: t('wizard:mailTest.fix.auth'),
    'mail from': t('wizard:mailTest.fix.mailFrom'),
    'rcpt to': t('wizard:mailTest.fix.rcptTo'),
    data: t('wizard:mailTest.fix.data'),
  }
  return {
    ok: false,
    text: r.stage ? t('wizard:mailTest.refusedAt', { stage: r.stage, reply: r.reply }) : t('wizard:mailTest.refused', { reply: r.reply }),
    fix: fixes[r.stage] ?? t('wizard:mailTest.fix.other'),
  }
}

// waitText describes the wait for the service.
export function waitText(seconds: number, detail: string): string {
  if (seconds < 10 || detail === '') {
    return t('wizard:wait.waiting', { seconds })
  }
  return t('wizard:wait.still', { seconds, detail })
}

function when(iso: string, now: Date): string {
  const d = new Date(iso)
  if (Number.isNaN(d.getTime()) || d.getFullYear() < 2000) return ''
  const mins = Math.round((d.getTime() - now.getTime()) / 60000)
  const at = d.toLocaleString(intlLocale(), { dateStyle: 'medium', timeStyle: 'short' })
  if (mins <= 0) return t('wizard:when.now', { at })
  if (mins < 60) return t('wizard:when.minutes', { at, count: mins })
  const days = Math.floor(mins / (60 * 24))
  if (days >= 2) return t('wizard:when.days', { at, count: days })
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
      return { problem: t('wizard:cert.problem.domain', { domain }), fix: t('wizard:cert.problem.domainFix', { domain }) }
    case 'ca_unreachable':
      return { problem: t('wizard:cert.problem.caUnreachable'), fix: t('wizard:cert.problem.caUnreachableFix') }
    case 'https_port':
      return { problem: t('wizard:cert.problem.httpsPort'), fix: t('wizard:cert.problem.httpsPortFix') }
    case 'https_listen':
      return { problem: t('wizard:cert.problem.httpsListen'), fix: t('wizard:cert.problem.httpsListenFix') }
    case 'rate_limited':
      return { problem: t('wizard:cert.problem.rateLimited', { domain }), fix: t('wizard:cert.problem.rateLimitedFix') }
  }
  return { problem: t('wizard:cert.problem.other', { domain }), fix: t('wizard:cert.problem.otherFix') }
}

// technicalDetail is what IT support reads of a failure: the CA's own
// error, or the service's words on a listener it could not open.
export function technicalDetail(c: Certificate): string {
  return c.lastError || (c.problem.startsWith('https_') ? c.message : '')
}

// validText says the certificate is in place, with what is known of it.
function validText(names: string, until: string, issuer: string): string {
  if (until && issuer) return t('wizard:cert.validUntilFrom', { names, until, issuer })
  if (until) return t('wizard:cert.validUntil', { names, until })
  if (issuer) return t('wizard:cert.validFrom', { names, issuer })
  return t('wizard:cert.valid', { names })
}

// certificateView says how getting the certificate stands: its stages
// (asking the CA, the CA proving the domain, the certificate received with
// its expiry), and a problem in plain words with what to do.
export function certificateView(c: Certificate, now: Date): CertView {
  const labels = (until: string) => [
    t('wizard:cert.stage.asking'),
    t('wizard:cert.stage.proving', { domain: c.domain }),
    until ? t('wizard:cert.stage.receivedUntil', { until }) : t('wizard:cert.stage.received'),
  ]
  const view = (states: StageState[], until = ''): CertStage[] => {
    const l = labels(until)
    return (['asking', 'proving', 'received'] as const).map((id, i) => ({ id, label: l[i], state: states[i] }))
  }
  const trouble = c.problem ? problemWords(c.problem, c.domain) : { problem: '', fix: '' }
  switch (c.state) {
    case 'off':
      return { busy: false, ok: false, text: t('wizard:cert.off'), stages: [], problem: '', fix: '', detail: t('wizard:cert.offDetail') }
    case 'obtaining': {
      const proving = c.stage === 'proving'
      return {
        busy: true, ok: false, stages: view(stageStates(proving ? 1 : 0, false)), ...trouble,
        text: proving ? t('wizard:cert.proving', { domain: c.domain }) : t('wizard:cert.asking', { domain: c.domain }),
        detail: t('wizard:cert.obtainingDetail'),
      }
    }
    case 'valid': {
      const until = when(c.notAfter, now)
      return {
        busy: false, ok: !c.problem, stages: view(stageStates(3, false), until), ...trouble,
        text: validText((c.names ?? [c.domain]).join(', '), until, c.issuer),
        detail: t('wizard:cert.renews'),
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
        text: until ? t('wizard:cert.renewFailed', { domain: c.domain, until }) : t('wizard:cert.failed', { domain: c.domain }),
        detail: next ? t('wizard:cert.tryAgainAt', { when: next }) : t('wizard:cert.tryAgain'),
      }
    }
  }
  return { busy: false, ok: false, text: c.message, stages: [], problem: '', fix: '', detail: '' }
}

const platforms = ['unix-systemv', 'linux-systemd', 'darwin-launchd', 'windows-service'] as const

// platformName names the service manager in words.
export function platformName(p: string): string {
  return (platforms as readonly string[]).includes(p) ? t(`wizard:platform.${p as (typeof platforms)[number]}`) : p
}

const statuses = ['running', 'stopped', 'not installed'] as const

// serviceStatus is the service's state in words ("running", "stopped").
export function serviceStatus(s: string): string {
  return (statuses as readonly string[]).includes(s) ? t(`wizard:status.${s as (typeof statuses)[number]}`) : s
}
