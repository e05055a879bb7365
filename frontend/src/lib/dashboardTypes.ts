// The dashboard's data as the Go side (app/dashboard.go) answers it.

export interface ServiceState {
  installed: boolean
  state: string // "running", "stopped", "not installed" or "unknown"
  platform: string
  message: string
}

export interface WaitingMessage {
  id: number
  caseId: number
  caseNumber: string
  caseTitle: string
  authorName: string
  created: string
  excerpt: string
}

export interface WaitingUpload {
  kind: string // "request" (a checklist item) or "document"
  id: number
  caseId: number
  caseNumber: string
  caseTitle: string
  title: string
  at: string
  files: number
}

export interface OutboxFailure {
  id: number
  to: string
  kind: string
  lastError: string
  attempts: number
  nextTry: string
  created: string
}

export interface Certificate {
  state: string
  domain: string
  notAfter: string
  daysLeft: number
  message: string
  error: string
  // The staff listener's fingerprint in groups of four ("" without one).
  staffFingerprint: string
}

export interface BackupState {
  available: boolean
  note: string
  hasLast: boolean
  finished: string
  size: number
  ok: boolean
  error: string
  next: string
}

export interface ActivityWeek {
  week: string
  signIns: number
  messages: number
  uploads: number
}

export interface Summary {
  clientsOnline: number
  messagesTotal: number
  messages: WaitingMessage[]
  uploadsTotal: number
  uploads: WaitingUpload[]
  outboxFailed: number
  outboxFailures: OutboxFailure[]
  certificate: Certificate
  backup: BackupState
  activity: ActivityWeek[]
  read: string
}
