// The shapes the client screens' bindings (app/clients.go,
// app/invitations.go) answer, as plain data. The generated classes in
// wailsjs/ must stay assignable to them: clientsBackend.ts checks that at
// compile time.

export interface ClientRow {
  id: number
  name: string
  email: string
  phone: string
  canLogOn: boolean
  locked: boolean
  activated: boolean
}

export interface ClientList {
  items: ClientRow[]
  next: number
}

export interface Access {
  passwordSet: boolean
  allowedToLogOn: boolean
  emailNotice: boolean
  activated: boolean
  locked: boolean
  lockedAt: string
  temporarilyLocked: boolean
  lockedUntil: string
  lockedOut: boolean
  badLoginAttempts: number
  lastLoginAt: string
  lastLoginIp: string
  canLogOn: boolean
  missing: string[]
  mustChangePassword: boolean
}

export interface ClientDetail {
  id: number
  name: string
  email: string
  phone: string
  language: string
  birthDate: string
  idLast4: string
  created: string
  updated: string
  access: Access
}

export interface ClientInput {
  name?: string
  email?: string
  phone?: string
  language?: string
  birthDate?: string
  idLast4?: string
}

export interface AccessInput {
  allowedToLogOn?: boolean
  emailNotice?: boolean
  locked?: boolean
}

export interface PasswordPolicy {
  minLength: number
  minUpper: number
  minLower: number
  minDigit: number
  minSpecial: number
}

export interface LinkState {
  active: boolean
  expired: boolean
  voided: boolean
  attempts: number
  email: string
  issued: string
  expires: string
  used: string
  revoked: string
  easyLogin: boolean
  sends: number
}

export interface Onboarding {
  clientId: number
  hasAccount: boolean
  activated: boolean
  mustChangePassword: boolean
  invitation?: LinkState
  reset?: LinkState
}

export interface WaitingClient {
  clientId: number
  name: string
  email: string
  cases: number
  invitation?: LinkState
}

export interface InviteOutcome {
  clientId: number
  name: string
  email: string
  outcome: string
  invitation?: LinkState
}

export interface BulkInvite {
  invited: number
  items: InviteOutcome[]
}
