// A stand-in for the client screens' part of the Go side (ClientsBackend),
// keeping a few clients, their cases and invitations in memory: the unit
// tests' FakeOffice (screens.test.ts) extends it. It refuses what the
// service refuses in the ways the screens must show.
import type { ClientsBackend } from './lib/clientsBackend'
import type {
  Access, AccessInput, BulkInvite, ClientDetail, ClientInput, ClientList, LinkState, Onboarding, PasswordPolicy, WaitingClient,
} from './lib/clientTypes'
import { unmet } from './lib/password'
import { FakeSettings } from './fakeSettings'
import type { CaseRow } from './lib/types'

const access = (extra: Partial<Access> = {}): Access => ({
  passwordSet: true, allowedToLogOn: true, emailNotice: true, activated: true, locked: false, lockedAt: '',
  temporarilyLocked: false, lockedUntil: '', lockedOut: false, badLoginAttempts: 0, lastLoginAt: '2026-11-20T15:04:00Z',
  lastLoginIp: '203.0.113.7', canLogOn: true, missing: [], mustChangePassword: false, ...extra,
})

const link = (extra: Partial<LinkState> = {}): LinkState => ({
  active: true, expired: false, voided: false, attempts: 0, email: '', issued: '2026-11-25T10:00:00Z',
  expires: '2026-12-02T10:00:00Z', used: '', revoked: '', easyLogin: false, sends: 1, ...extra,
})

export class FakeClients extends FakeSettings implements ClientsBackend {
  clientCalls: string[] = []
  policy: PasswordPolicy = { minLength: 10, minUpper: 2, minLower: 2, minDigit: 2, minSpecial: 2 }
  clients: ClientDetail[] = [
    { id: 1, name: 'Amina Haddad', email: 'amina@example.org', phone: '+1 555 0142', language: 'en', birthDate: '', idLast4: '',
      created: '', updated: '', access: access() },
    { id: 2, name: 'Rosa Quintero', email: 'rosa@example.org', phone: '', language: 'es', birthDate: '1984-06-02', idLast4: '',
      created: '', updated: '', access: access({ passwordSet: false, activated: false, canLogOn: false, lastLoginAt: '', lastLoginIp: '', missing: ['a password'] }) },
    { id: 3, name: 'Omar Haddad', email: '', phone: '', language: '', birthDate: '', idLast4: '',
      created: '', updated: '', access: access({ passwordSet: false, activated: false, canLogOn: false, lastLoginAt: '', lastLoginIp: '', missing: ['a password'] }) },
  ]
  invitations = new Map<number, LinkState>()
  resets = new Map<number, LinkState>()
  passwords = new Map<number, string>([[1, 'Amina-Secret-11!!']])
  // caseClients[case id] lists the case's clients (default: case n has
  // client ((n - 1) % 3) + 1).
  caseClients = new Map<number, number[]>()
  cases: CaseRow[] = []

  private client(id: number): ClientDetail {
    const c = this.clients.find((x) => x.id === id)
    if (!c) throw 'could not read the client: no such client'
    return c
  }

  private clientsOf(caseId: number): number[] {
    return this.caseClients.get(caseId) ?? [((caseId - 1) % this.clients.length) + 1]
  }

  private onboarding(id: number): Onboarding {
    const c = this.client(id)
    return { clientId: id, hasAccount: c.access.passwordSet, activated: c.access.activated, mustChangePassword: c.access.mustChangePassword,
      invitation: this.invitations.get(id), reset: this.resets.get(id) }
  }

  async listClients(query: string, after: number, limit: number): Promise<ClientList> {
    this.clientCalls.push(`listClients ${JSON.stringify(query)} ${after} ${limit}`)
    const q = query.trim().toLowerCase()
    const found = this.clients.filter((c) => c.id > after && (q === '' || `${c.name} ${c.email}`.toLowerCase().includes(q)))
    const items = found.slice(0, limit).map((c) => ({ id: c.id, name: c.name, email: c.email, phone: c.phone, canLogOn: c.access.canLogOn,
      locked: c.access.locked || c.access.lockedOut || c.access.temporarilyLocked, activated: c.access.activated }))
    return { items, next: found.length > limit ? items[items.length - 1].id : 0 }
  }

  async getClient(id: number) { return structuredClone(this.client(id)) }

  async updateClient(id: number, input: ClientInput) {
    this.clientCalls.push(`updateClient ${id} ${JSON.stringify(input)}`)
    const c = this.client(id)
    if (input.email && this.clients.some((x) => x.id !== id && x.email === input.email)) {
      throw `could not change the client: the email ${input.email} belongs to another client`
    }
    Object.assign(c, input)
    return structuredClone(c)
  }

  async clientCases(id: number) {
    return this.cases.filter((k) => this.clientsOf(k.id).includes(id))
  }

  async setAccess(id: number, input: AccessInput) {
    this.clientCalls.push(`setAccess ${id} ${JSON.stringify(input)}`)
    const a = this.client(id).access
    if (input.allowedToLogOn !== undefined) a.allowedToLogOn = input.allowedToLogOn
    if (input.emailNotice !== undefined) a.emailNotice = input.emailNotice
    if (input.locked === true) Object.assign(a, { locked: true, lockedAt: '2026-11-25T12:00:00Z' })
    if (input.locked === false) Object.assign(a, { locked: false, lockedAt: '', lockedOut: false, temporarilyLocked: false, lockedUntil: '', badLoginAttempts: 0 })
    a.canLogOn = a.passwordSet && a.allowedToLogOn && !a.locked
    return { ...a }
  }

  private set(id: number, password: string, temporary: boolean) {
    const problem = unmet(this.policy, password)
    if (problem) throw `could not set the password: Password not accepted: ${problem}`
    if (password.toLowerCase().includes('password')) {
      throw 'could not set the password: Password not accepted: this password is on a list of common passwords; choose another.'
    }
    this.passwords.set(id, password)
    const a = this.client(id).access
    Object.assign(a, { passwordSet: true, mustChangePassword: temporary })
    a.canLogOn = a.allowedToLogOn && !a.locked
    return { ...a }
  }

  async setPassword(id: number, password: string) {
    this.clientCalls.push(`setPassword ${id} ${password}`)
    return this.set(id, password, false)
  }

  async setTemporaryPassword(id: number, password: string) {
    this.clientCalls.push(`setTemporaryPassword ${id} ${password}`)
    return this.set(id, password, true)
  }

  async verifyPassword(id: number, password: string) {
    this.clientCalls.push(`verifyPassword ${id}`)
    return this.passwords.get(id) === password
  }

  async passwordPolicy() { return { ...this.policy } }

  async invitation(clientId: number) { return this.onboarding(clientId) }

  async invite(clientId: number) {
    this.clientCalls.push(`invite ${clientId}`)
    const c = this.client(clientId)
    if (!c.email) throw 'could not send the invitation: the client has no email address: add one under the client’s details'
    if (c.access.passwordSet) throw 'could not send the invitation: the client already has an account'
    const before = this.invitations.get(clientId)
    this.invitations.set(clientId, link({ email: c.email, sends: (before?.sends ?? 0) + 1 }))
    return this.onboarding(clientId)
  }

  async revokeInvitation(clientId: number) {
    this.clientCalls.push(`revoke ${clientId}`)
    const l = this.invitations.get(clientId)
    if (!l?.active) throw 'could not revoke the invitation: the client has no active invitation to revoke'
    this.invitations.set(clientId, { ...l, active: false, revoked: '2026-11-25T11:00:00Z' })
    return this.onboarding(clientId)
  }

  async sendReset(clientId: number) {
    this.clientCalls.push(`reset ${clientId}`)
    this.resets.set(clientId, link({ email: this.client(clientId).email, expires: '2026-11-25T11:00:00Z' }))
    return this.onboarding(clientId)
  }

  async waiting(): Promise<WaitingClient[]> {
    return this.clients.filter((c) => !c.access.passwordSet).map((c) => ({
      clientId: c.id, name: c.name, email: c.email, cases: this.cases.filter((k) => this.clientsOf(k.id).includes(c.id)).length,
      invitation: this.invitations.get(c.id),
    }))
  }

  async inviteCases(caseIds: number[]): Promise<BulkInvite> {
    this.clientCalls.push(`inviteCases ${caseIds.join(',')}`)
    const out: BulkInvite = { invited: 0, items: [] }
    const seen = new Set<number>()
    for (const id of caseIds) {
      for (const cid of this.clientsOf(id)) {
        if (seen.has(cid)) continue
        seen.add(cid)
        const c = this.client(cid)
        let outcome = 'invited'
        if (c.access.passwordSet) outcome = 'has_account'
        else if (!c.email) outcome = 'no_email'
        else if (this.invitations.get(cid)?.active) outcome = 'already_invited'
        if (outcome === 'invited') {
          this.invitations.set(cid, link({ email: c.email }))
          out.invited++
        }
        out.items.push({ clientId: cid, name: c.name, email: c.email, outcome, invitation: this.invitations.get(cid) })
      }
    }
    return out
  }
}
