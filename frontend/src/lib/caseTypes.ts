// The shapes of a case page's documents, checklist and appointments as the
// Go side answers them (app/documents.go, requests.go, appointments.go).

export interface CaseDocument {
  id: number
  caseId: number
  name: string
  type: string
  size: number
  sha256: string
  uploaderKind: string // "staff" or "client"
  uploaderName: string
  uploaded: string
  portal: boolean
}

// Transfer is the progress of an upload or download (event EventTransfer).
export interface Transfer {
  id: string
  caseId: number
  direction: 'upload' | 'download'
  name: string
  done: number
  total: number
  state: 'running' | 'done' | 'failed' | 'cancelled'
  detail: string
}

export const EventTransfer = 'transfer:progress'

export interface UploadResult {
  documents: CaseDocument[]
  cancelled: boolean
}

export interface DownloadResult {
  path: string
  size: number
  sha256: string
  cancelled: boolean
}

export interface RequestItem {
  id: number
  title: string
  due: string
  note: string
  state: 'requested' | 'submitted' | 'accepted' | 'returned' | 'cancelled' | string
  documentIds: number[]
  earlierDocumentIds: number[]
  reason: string
  submitted: string
  overdue: boolean
  created: string
  updated: string
}

export interface NewRequest {
  title: string
  due: string
  note: string
}

// Start and end as "YYYY-MM-DDTHH:MM" in the office's time zone.
export interface AppointmentInput {
  title: string
  start: string
  end: string
  place: string
  link: string
  note: string
  portal: boolean
}

export type AppointmentChange = Partial<AppointmentInput>

export interface OutgoingMessage {
  body: string
  visibility: string
  documents: number[]
}

// CaseInput opens a case, or changes the fields it gives.
export interface CaseInput {
  number?: string
  title?: string
  clientIds?: number[]
  kind?: string // "staff" or "pro_bono"
  advocateId?: number
  attorney?: { name: string; firm: string; phone: string; email: string }
}

// CaseFilter narrows the case list; empty fields do not narrow.
export interface CaseFilter {
  query: string
  status: string // the current status's id
  advocateId: number // the staff advocate
  unread: boolean // client messages no staff member has read
  waiting: boolean // a client upload waits for staff (the dashboard's "uploads waiting")
  // sort: 'activity', 'number', 'client', 'status' or 'opened' ('': the
  // order cases were opened in); order: 'asc' or 'desc' ('': the order's own).
  sort: string
  order: string
}
