// The first-run wizard's part of the Go side: the binding window.go.app.Wizard
// (app/wizard.go). It is its own interface, so the screens that do not use it
// (and their test stand-ins) need not know it.
import * as WizardBinding from '../../wailsjs/go/app/Wizard'
import type { OfficeInfo } from './types'
import type { PasswordPolicy } from './clientTypes'

export interface ServiceSettings {
  dataDir: string
  address: string
  officeKey: string
  logDir: string
}

export interface FirstRun {
  resume: boolean
  step: string
  status: string
  platform: string
  admin: boolean
  service: ServiceSettings
  adminEmail: string
  problem: string
}

export interface InstallResult {
  done: boolean
  needsAdmin: boolean
  commands: string[]
  message: string
  settings: ServiceSettings
}

export interface Health { ok: boolean; detail: string }
export interface SetupCode { code: string; path: string; why: string }
export interface AdminInput { code: string; email: string; name: string; password: string }
export interface ConfigCheck { name: string; status: string; summary: string; fix?: string }
export interface MailInput { host: string; port: number; security: string; username: string; password: string; from: string }
export interface MailTest { sent: boolean; reply: string; stage: string }
export interface KeyInfo { path: string; exists: boolean; readable: boolean; why: string }
export interface Certificate {
  state: string
  domain: string
  // stage, while obtaining: 'asking' (the service asks the CA), 'proving'
  // (the CA checks that the domain leads here).
  stage: string
  // problem sorts a failure: 'domain', 'ca_unreachable', 'rate_limited',
  // 'refused', 'https_port', 'other'; '' without one.
  problem: string
  names: string[] | null
  issuer: string
  notAfter: string
  lastError: string
  nextTry: string
  message: string
}

export interface WizardBackend {
  open(): Promise<FirstRun>
  saveStep(step: string): Promise<void>
  install(s: ServiceSettings): Promise<InstallResult>
  health(): Promise<Health>
  setupCode(): Promise<SetupCode>
  passwordRules(): Promise<PasswordPolicy>
  createAdmin(input: AdminInput): Promise<void>
  login(email: string, password: string): Promise<OfficeInfo>
  check(): Promise<ConfigCheck[]>
  setDomain(domain: string, email: string): Promise<void>
  setMail(input: MailInput): Promise<void>
  testMail(to: string): Promise<MailTest>
  officeKey(): Promise<KeyInfo>
  saveKeyCopy(): Promise<string>
  certificate(): Promise<Certificate>
  retryCertificate(): Promise<void>
}

// wailsWizard calls the binding of the running window.
export const wailsWizard: WizardBackend = {
  open: WizardBinding.Open as () => Promise<FirstRun>,
  saveStep: WizardBinding.SaveStep,
  install: (s) => WizardBinding.Install({ ...s }) as Promise<InstallResult>,
  health: WizardBinding.Health,
  setupCode: WizardBinding.SetupCode,
  passwordRules: WizardBinding.PasswordRules,
  createAdmin: (input) => WizardBinding.CreateAdmin({ ...input }),
  login: WizardBinding.Login,
  check: WizardBinding.Check as () => Promise<ConfigCheck[]>,
  setDomain: WizardBinding.SetDomain,
  setMail: (input) => WizardBinding.SetMail({ ...input }),
  testMail: WizardBinding.TestMail,
  officeKey: WizardBinding.OfficeKey,
  saveKeyCopy: WizardBinding.SaveKeyCopy,
  certificate: WizardBinding.Certificate as unknown as () => Promise<Certificate>,
  retryCertificate: WizardBinding.RetryCertificate,
}
