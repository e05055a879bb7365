// A case page's documents, checklist, appointments, status corrections and
// message attachments as the screens see them (Backend extends this): the
// bindings window.go.app.Documents, Requests, Appointments and the newer
// CasePage methods.
import * as DocumentsBinding from '../../wailsjs/go/app/Documents'
import * as RequestsBinding from '../../wailsjs/go/app/Requests'
import * as AppointmentsBinding from '../../wailsjs/go/app/Appointments'
import * as CasePageBinding from '../../wailsjs/go/app/CasePage'
import * as CasesBinding from '../../wailsjs/go/app/Cases'
import { app } from '../../wailsjs/go/models'
import type { Appointment, CaseDetail, CaseList, HistoryEntry, Message, StatusInput } from './types'
import type {
  AppointmentChange, AppointmentInput, CaseDocument, CaseFilter, CaseInput, DownloadResult, NewRequest, OutgoingMessage, RequestItem, UploadResult,
} from './caseTypes'

export interface CaseBackend {
  documents(caseId: number): Promise<CaseDocument[]>
  sharePortal(id: number, portal: boolean): Promise<CaseDocument>
  // upload opens the file dialog and sends what the person chose.
  upload(caseId: number, portal: boolean): Promise<UploadResult>
  // download opens the save dialog and streams the document there.
  download(caseId: number, id: number): Promise<DownloadResult>
  cancelTransfer(id: string): Promise<boolean>
  requests(caseId: number): Promise<RequestItem[]>
  addRequests(caseId: number, items: NewRequest[]): Promise<RequestItem[]>
  acceptRequest(id: number): Promise<RequestItem>
  returnRequest(id: number, reason: string): Promise<RequestItem>
  cancelRequest(id: number): Promise<RequestItem>
  timeZone(): Promise<string>
  addAppointment(caseId: number, input: AppointmentInput): Promise<Appointment>
  updateAppointment(id: number, change: AppointmentChange): Promise<Appointment>
  cancelAppointment(caseId: number, id: number): Promise<Appointment>
  correctStatus(caseId: number, entryId: number, input: StatusInput): Promise<HistoryEntry>
  withdrawStatus(caseId: number, entryId: number, reason: string): Promise<HistoryEntry>
  sendMessage(caseId: number, message: OutgoingMessage): Promise<Message>
  // findCases is listCases narrowed by a filter (status, advocate, unread
  // client messages, documents waiting) and sorted (filter.sort, .order).
  findCases(filter: CaseFilter, after: number, limit: number): Promise<CaseList>
  createCase(input: CaseInput): Promise<CaseDetail>
  updateCase(id: number, input: CaseInput): Promise<CaseDetail>
}

// wailsCase calls the bindings of the running window.
export const wailsCase: CaseBackend = {
  documents: DocumentsBinding.List,
  sharePortal: DocumentsBinding.SetPortal,
  upload: DocumentsBinding.Upload,
  download: DocumentsBinding.Download,
  cancelTransfer: DocumentsBinding.Cancel,
  requests: RequestsBinding.List,
  addRequests: (caseId, items) => RequestsBinding.Add(caseId, items.map((i) => ({ ...i }))),
  acceptRequest: RequestsBinding.Accept,
  returnRequest: RequestsBinding.Return,
  cancelRequest: RequestsBinding.Cancel,
  timeZone: AppointmentsBinding.TimeZone,
  addAppointment: (caseId, input) => AppointmentsBinding.Add(caseId, { ...input }),
  updateAppointment: (id, change) => AppointmentsBinding.Update(id, { ...change }),
  cancelAppointment: AppointmentsBinding.Cancel,
  correctStatus: (caseId, entryId, input) => CasePageBinding.CorrectStatus(caseId, entryId, { ...input }),
  withdrawStatus: CasePageBinding.WithdrawStatus,
  sendMessage: (caseId, m) => CasePageBinding.SendMessage(caseId, { ...m }),
  findCases: (filter, after, limit) => CasesBinding.Find({ ...filter }, after, limit),
  createCase: (input) => CasesBinding.Create(caseInput(input)),
  updateCase: (id, input) => CasesBinding.Update(id, caseInput(input)),
}

// caseInput makes the input the binding's class.
function caseInput(input: CaseInput): app.CaseInput {
  return app.CaseInput.createFrom({ ...input })
}
