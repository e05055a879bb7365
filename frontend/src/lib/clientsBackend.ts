// The client screens' part of the Go side (see backend.ts, whose Backend
// extends this interface): the bindings window.go.app.Clients and
// window.go.app.Invitations.
import * as ClientsBinding from '../../wailsjs/go/app/Clients'
import * as InvitationsBinding from '../../wailsjs/go/app/Invitations'
import type { CaseRow } from './types'
import type {
  Access, AccessInput, BulkInvite, ClientDetail, ClientInput, ClientList, Onboarding, PasswordPolicy, WaitingClient,
} from './clientTypes'

export interface ClientsBackend {
  listClients(query: string, after: number, limit: number): Promise<ClientList>
  getClient(id: number): Promise<ClientDetail>
  updateClient(id: number, input: ClientInput): Promise<ClientDetail>
  clientCases(id: number): Promise<CaseRow[]>
  setAccess(id: number, input: AccessInput): Promise<Access>
  setPassword(id: number, password: string): Promise<Access>
  setTemporaryPassword(id: number, password: string): Promise<Access>
  verifyPassword(id: number, password: string): Promise<boolean>
  passwordPolicy(): Promise<PasswordPolicy>
  invitation(clientId: number): Promise<Onboarding>
  invite(clientId: number): Promise<Onboarding>
  revokeInvitation(clientId: number): Promise<Onboarding>
  sendReset(clientId: number): Promise<Onboarding>
  waiting(): Promise<WaitingClient[]>
  inviteCases(caseIds: number[]): Promise<BulkInvite>
}

// wailsClients calls the bindings of the running window.
export const wailsClients: ClientsBackend = {
  listClients: ClientsBinding.List,
  getClient: ClientsBinding.Get,
  updateClient: (id, input) => ClientsBinding.Update(id, { ...input }),
  clientCases: ClientsBinding.Cases,
  setAccess: (id, input) => ClientsBinding.SetAccess(id, { ...input }),
  setPassword: ClientsBinding.SetPassword,
  setTemporaryPassword: ClientsBinding.SetTemporaryPassword,
  verifyPassword: ClientsBinding.VerifyPassword,
  passwordPolicy: ClientsBinding.PasswordPolicy,
  invitation: InvitationsBinding.Get,
  invite: InvitationsBinding.Send,
  revokeInvitation: InvitationsBinding.Revoke,
  sendReset: InvitationsBinding.SendReset,
  waiting: InvitationsBinding.Waiting,
  inviteCases: InvitationsBinding.InviteCases,
}
