import type { CaseDocument } from './caseTypes'

// The shapes the Go side (package app) answers, as plain data. The typed
// bindings in wailsjs/ return classes with these fields; backend.ts checks
// at compile time that they still match.

export interface OfficeInfo {
  office: string
  service: string
  staff: string
  staffId: number
  role: string
}

export interface CaseRow {
  id: number
  number: string
  title: string
  kind: string
  advocate: string
  status: string
  statusDate: string
  updated: string
  // In the case list's rows (absent on a case's page): the clients' names,
  // when the case was opened and its last activity (RFC 3339).
  clientNames?: string
  opened?: string
  activity?: string
}

export interface CaseList {
  items: CaseRow[]
  next: number
}

export interface Person {
  id: number
  name: string
  email: string
}

export interface Attorney {
  name: string
  firm: string
  phone: string
  email: string
}

export interface CaseDetail extends CaseRow {
  clients: Person[]
  advocateId: number
  attorney?: Attorney
  created: string
}

export interface StatusOption {
  id: string
  name: string
}

export interface HistoryEntry {
  id: number
  date: string
  status: string
  name: string
  info: string
  setBy: string
  created: string
  active: boolean
  corrects: number
  supersededBy: number
  withdrawnBy: string
  withdrawnReason: string
}

export interface StatusInput {
  status: string
  date: string
  info: string
}

export interface Message {
  id: number
  authorKind: string
  authorName: string
  created: string
  body: string
  visibility: string
  read: boolean
  readAt: string
  // The message's attachments (caseTypes.ts).
  documents?: CaseDocument[]
}

export interface MessagePage {
  items: Message[]
  next: number
  unread: number
}

export interface Appointment {
  id: number
  title: string
  start: string
  end: string
  place: string
  link: string
  note: string
  portal: boolean
  cancelled: string
  // Start and end as wall-clock times in the office's time zone (zone).
  localStart?: string
  localEnd?: string
  zone?: string
}

// Events the Go side emits (app/live.go): names and payloads.
export const EventLive = 'live:event'
export const EventLiveState = 'live:state'
export const EventLiveReload = 'live:reload'
export const EventSessionEnded = 'session:ended'

export interface LiveEvent {
  id: number
  type: string
  caseId: number
  ref: number
  at: string
}

export interface LiveState {
  state: 'live' | 'reconnecting' | 'stopped'
  detail: string
  retry: number
}

export interface SessionEnded {
  reason: string
}
