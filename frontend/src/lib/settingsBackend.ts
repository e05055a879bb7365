// The settings screens' and the access panel's security part of the Go side
// (see backend.ts, whose Backend extends this interface): the bindings
// window.go.app.Settings, StaffAccounts and Security.
import * as SettingsBinding from '../../wailsjs/go/app/Settings'
import * as StaffBinding from '../../wailsjs/go/app/StaffAccounts'
import * as SecurityBinding from '../../wailsjs/go/app/Security'
import type { api } from '../../wailsjs/go/models'
import { ClipboardSetText } from '../../wailsjs/runtime/runtime'
import type {
  AuditRow, BackupInput, BackupResult, BackupSettings, Backups, Branding, DomainInput, DomainSettings, LogoResult, MailInput,
  MailSettings, MailTestResult, OfficeInput, OfficeSettings, OnboardingInput, OnboardingSettings, PasswordPolicy, PreviewLink,
  Snippet, StaffAccount, StaffInput, Status, TLSStatus, TwoFactorSettings, TwoFactorState,
} from './settingsTypes'

export interface SettingsBackend {
  officeSettings(): Promise<OfficeSettings>
  saveOffice(input: OfficeInput): Promise<OfficeSettings>
  statusList(): Promise<Status[]>
  saveStatuses(list: Status[]): Promise<Status[]>
  passwordRules(): Promise<PasswordPolicy>
  savePasswordRules(preset: string, p: PasswordPolicy): Promise<PasswordPolicy>
  mailSettings(): Promise<MailSettings>
  saveMail(input: MailInput): Promise<MailSettings>
  testMail(to: string): Promise<MailTestResult>
  domainSettings(): Promise<DomainSettings>
  saveDomain(input: DomainInput): Promise<DomainSettings>
  certificate(): Promise<TLSStatus>
  backups(): Promise<Backups>
  saveBackup(input: BackupInput): Promise<BackupSettings>
  backupNow(): Promise<BackupResult>
  onboardingSettings(): Promise<OnboardingSettings>
  saveOnboarding(input: OnboardingInput): Promise<OnboardingSettings>
  twoFactorSettings(): Promise<TwoFactorSettings>
  saveTwoFactor(clients: boolean, staff: boolean): Promise<TwoFactorSettings>
  branding(): Promise<Branding>
  setColor(color: string): Promise<Branding>
  chooseLogo(): Promise<LogoResult>
  removeLogo(): Promise<Branding>
  snippet(): Promise<Snippet>
  staffAccounts(): Promise<StaffAccount[]>
  addStaff(input: StaffInput): Promise<StaffAccount>
  updateStaff(id: number, input: StaffInput): Promise<StaffAccount>
  resetStaffTwoFactor(id: number, checked: string): Promise<TwoFactorState>
  clientTwoFactor(id: number): Promise<TwoFactorState>
  requireTwoFactor(id: number, required: boolean): Promise<TwoFactorState>
  resetClientTwoFactor(id: number, checked: string): Promise<TwoFactorState>
  preview(id: number): Promise<PreviewLink>
  auditTrail(kind: 'client' | 'case', id: number): Promise<AuditRow[]>
  // exportAudit answers the file written, or '' when the person cancelled.
  exportAudit(kind: 'client' | 'case', id: number): Promise<string>
  // copyText puts text on the system clipboard; false when it could not.
  copyText(text: string): Promise<boolean>
}

// The generated bindings type these with the classes of wailsjs/go/models;
// the JSON that crosses is the same, so the casts only name it.
const as = <T>(p: Promise<unknown>) => p as Promise<T>

// wailsSettings calls the bindings of the running window.
export const wailsSettings: SettingsBackend = {
  officeSettings: () => as(SettingsBinding.Office()),
  saveOffice: (input) => as(SettingsBinding.SaveOffice(input as api.SettingsInput)),
  statusList: () => as(SettingsBinding.Statuses()),
  saveStatuses: (list) => as(SettingsBinding.SaveStatuses(list as api.Status[])),
  passwordRules: () => as(SettingsBinding.PasswordPolicy()),
  savePasswordRules: (preset, p) => as(SettingsBinding.SavePasswordPolicy(preset, p)),
  mailSettings: () => as(SettingsBinding.Mail()),
  saveMail: (input) => as(SettingsBinding.SaveMail(input as api.MailSettingsInput)),
  testMail: (to) => as(SettingsBinding.TestMail(to)),
  domainSettings: () => as(SettingsBinding.Domain()),
  saveDomain: (input) => as(SettingsBinding.SaveDomain(input as api.DomainInput)),
  certificate: () => as(SettingsBinding.Certificate()),
  backups: () => as(SettingsBinding.Backups()),
  saveBackup: (input) => as(SettingsBinding.SaveBackup(input as api.BackupSettingsInput)),
  backupNow: () => as(SettingsBinding.BackupNow()),
  onboardingSettings: () => as(SettingsBinding.Onboarding()),
  saveOnboarding: (input) => as(SettingsBinding.SaveOnboarding(input as api.OnboardingInput)),
  twoFactorSettings: () => as(SettingsBinding.TwoFactor()),
  saveTwoFactor: (clients, staff) => as(SettingsBinding.SaveTwoFactor(clients, staff)),
  branding: () => as(SettingsBinding.Branding()),
  setColor: (color) => as(SettingsBinding.SetColor(color)),
  chooseLogo: () => as(SettingsBinding.ChooseLogo()),
  removeLogo: () => as(SettingsBinding.RemoveLogo()),
  snippet: () => as(SettingsBinding.Snippet()),
  staffAccounts: () => as(StaffBinding.List()),
  addStaff: (input) => as(StaffBinding.Add(input as api.StaffInput)),
  updateStaff: (id, input) => as(StaffBinding.Update(id, input as api.StaffInput)),
  resetStaffTwoFactor: (id, checked) => as(StaffBinding.ResetTwoFactor(id, checked)),
  clientTwoFactor: (id) => as(SecurityBinding.ClientTwoFactor(id)),
  requireTwoFactor: (id, required) => as(SecurityBinding.RequireTwoFactor(id, required)),
  resetClientTwoFactor: (id, checked) => as(SecurityBinding.ResetTwoFactor(id, checked)),
  preview: (id) => as(SecurityBinding.Preview(id)),
  auditTrail: (kind, id) => as(SecurityBinding.AuditTrail(kind, id)),
  exportAudit: (kind, id) => SecurityBinding.ExportAudit(kind, id),
  copyText: (text) => ClipboardSetText(text),
}
