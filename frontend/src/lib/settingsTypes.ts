// The settings screens' records as the Go side sends them: the staff API's
// own JSON (snake_case), so the field a refusal names (FieldError.field) is
// the form's field. See app/settings.go, app/staffaccounts.go, app/security.go.

export interface Status { id: string; names: Record<string, string>; retired?: boolean }

export interface PasswordPolicy {
  min_length: number
  min_upper: number
  min_lower: number
  min_digit: number
  min_special: number
}

export interface OfficeSettings {
  office_name: string
  office_phone: string
  office_email: string
  office_address: string
  lockout_threshold: number
  lockout_mode: string // "temporary" or "until_unlocked"
  staff_language: string // "en" or "es"
  session_idle_minutes: number
  session_lifetime_hours: number
  time_zone: string
  password_policy: PasswordPolicy
  statuses: Status[]
  upload_max_mb: number
  upload_types: string[]
}

export type OfficeInput = Partial<Omit<OfficeSettings, 'password_policy' | 'statuses'>>

export interface MailNotify { status: boolean; messages: boolean; appointments: boolean; documents: boolean; requests: boolean }

export interface MailSettings {
  host: string
  port: number
  security: string // "starttls", "tls" or "none"
  username: string
  password_set: boolean
  from: string
  office_address: string
  notify: MailNotify
  client_message_alerts: string // "advocate", "all_staff", "office" or "none"
}

export interface MailInput {
  host?: string
  port?: number
  security?: string
  username?: string
  password?: string // empty or absent: keep
  from?: string
  office_address?: string
  notify?: MailNotify
  client_message_alerts?: string
}

export interface MailTestResult { sent: boolean; reply: string; stage?: string }

export interface DomainSettings { domain: string; acme_email: string; acme_ca: string; acme_root_pem: string; public_staff_api: boolean }
export type DomainInput = Partial<DomainSettings>

export interface TLSStatus {
  state: string // "off", "obtaining", "valid", "failed"
  domain?: string
  names?: string[]
  issuer?: string
  not_before?: string
  not_after?: string
  last_error?: string
  next_try?: string
  message: string
  staff_fingerprint?: string
  staff_address?: string
}

export interface BackupSettings { folder: string; time: string; retention: number; nightly: boolean }
export type BackupInput = Partial<BackupSettings>
export interface BackupResult { started: string; finished: string; file?: string; size: number; ok: boolean; error?: string; nightly: boolean }
export interface Backups { settings: BackupSettings; last?: BackupResult; next?: string; files: { name: string; size: number; modified: string }[] }

export interface OnboardingSettings {
  fact: string // "birth_date" or "id_last4"
  invite_expiry_hours: number
  reset_expiry_minutes: number
  max_attempts: number
  auto_invite: boolean
  easy_login: boolean
}
export type OnboardingInput = Partial<OnboardingSettings>

export interface TwoFactorSettings { clients: boolean; staff: boolean; mineOn: boolean }

export interface Branding { office_name: string; color?: string; logo: boolean; logo_type?: string; logo_url?: string }
export interface Snippet { html: string; url: string }
export interface LogoResult { chosen: boolean; file: string; branding: Branding }

export interface StaffAccount {
  id: number
  email: string
  name: string
  title?: string
  role: string // "admin" or "staff"
  phone?: string
  address?: string
  disabled?: boolean
  mail_alerts: boolean
}

export interface StaffInput {
  email?: string
  name?: string
  title?: string
  role?: string
  password?: string
  disabled?: boolean
}

export interface TwoFactorState {
  on: boolean
  since?: string
  required: boolean
  required_by_staff: boolean
  recovery_codes_left: number
  passkeys: number
}

export interface PreviewLink { url: string; expires: string }

export interface AuditRow { id: number; at: string; actor: string; kind: string; ip: string; action: string; target: string; detail: string }
