// A stand-in for a case page's documents, checklist and appointments part
// of the Go side (CaseBackend), in memory: the unit tests' FakeOffice
// (screens.test.ts) extends it. The native file dialogs and the transfers
// are played by `choose` (what the person picks) and by emitting the
// progress events the Go side would.
import { lang } from './lib/i18n.svelte'
import { FakeClients } from './fakeClients'
import type { CaseBackend } from './lib/caseBackend'
import {
  EventTransfer,
  type AppointmentChange, type AppointmentInput, type CaseDocument, type DownloadResult, type NewRequest,
  type OutgoingMessage, type RequestItem, type Transfer, type UploadResult,
} from './lib/caseTypes'
import type { Appointment, CaseDetail, CaseRow, HistoryEntry, Message, StatusInput } from './lib/types'
import type { CaseFilter, CaseInput } from './lib/caseTypes'

export class FakeCase extends FakeClients implements CaseBackend {
  caseCalls: string[] = []
  docs: CaseDocument[] = []
  items: RequestItem[] = []
  appts: Appointment[] = [
    { id: 1, title: 'Hearing', start: '2026-12-01T14:00:00Z', end: '2026-12-01T15:00:00Z', place: 'Room 4', link: '', note: '',
      portal: true, cancelled: '', localStart: '2026-12-01T09:00', localEnd: '2026-12-01T10:00', zone: 'America/New_York' },
  ]
  zone = 'America/New_York'
  // The files the person "chooses" in the next open dialog (names and
  // sizes), and where the next save dialog "saves" ('' cancels).
  choose: { name: string; size: number }[] = []
  saveAs = '/home/dana/Documents/copy.pdf'
  // Transfers emitted while uploading; a test may hold an upload open.
  hold: Promise<void> | null = null

  // emit is overridden by the test's office, which routes events to the
  // screens' handlers.
  emit(_name: string, _data: unknown) {}

  addDoc(d: Partial<CaseDocument>): CaseDocument {
    const doc: CaseDocument = {
      id: this.docs.length + 100, caseId: 1, name: 'file.pdf', type: 'application/pdf', size: 1000, sha256: 'ab'.repeat(32),
      uploaderKind: 'staff', uploaderName: 'Dana Whitfield', uploaded: '2026-11-25T10:00:00Z', portal: false, ...d,
    }
    this.docs.push(doc)
    return doc
  }

  async documents(caseId: number) { return this.docs.filter((d) => d.caseId === caseId).map((d) => ({ ...d })) }

  async sharePortal(id: number, portal: boolean) {
    this.caseCalls.push(`sharePortal ${id} ${portal}`)
    const d = this.docs.find((x) => x.id === id)
    if (!d) throw 'could not share the document: no such document'
    d.portal = portal
    return { ...d }
  }

  async upload(caseId: number, portal: boolean): Promise<UploadResult> {
    this.caseCalls.push(`upload ${caseId} ${portal}`)
    if (this.choose.length === 0) return { documents: [], cancelled: true }
    const total = this.choose.reduce((n, f) => n + f.size, 0)
    // The Go side names a transfer of several files in the panel's language.
    const name = this.choose.length === 1 ? this.choose[0].name : lang() === 'es' ? `${this.choose.length} archivos` : `${this.choose.length} files`
    const t: Transfer = { id: 'upload-1', caseId, direction: 'upload', name, done: 0, total, state: 'running', detail: '' }
    this.emit(EventTransfer, { ...t })
    this.emit(EventTransfer, { ...t, done: Math.floor(total / 2) })
    if (this.hold) await this.hold
    if (this.choose.some((f) => f.name.endsWith('.exe'))) {
      const detail = `could not upload ${name}: ${this.choose.find((f) => f.name.endsWith('.exe'))!.name}: this kind of file is not accepted`
      this.emit(EventTransfer, { ...t, state: 'failed', detail })
      throw detail
    }
    const docs = this.choose.map((f) => this.addDoc({ caseId, name: f.name, size: f.size, portal }))
    this.emit(EventTransfer, { ...t, done: total, state: 'done' })
    this.choose = []
    return { documents: docs, cancelled: false }
  }

  async download(caseId: number, id: number): Promise<DownloadResult> {
    this.caseCalls.push(`download ${caseId} ${id}`)
    const d = this.docs.find((x) => x.id === id)
    if (!d) throw 'could not read the document: no such document'
    if (this.saveAs === '') return { path: '', size: 0, sha256: '', cancelled: true }
    return { path: this.saveAs, size: d.size, sha256: d.sha256, cancelled: false }
  }

  async cancelTransfer(id: string) {
    this.caseCalls.push(`cancelTransfer ${id}`)
    return true
  }

  async requests() { return this.items.map((i) => ({ ...i })) }

  async addRequests(caseId: number, items: NewRequest[]) {
    this.caseCalls.push(`addRequests ${caseId} ${JSON.stringify(items)}`)
    const added = items.map((it, i): RequestItem => ({
      id: this.items.length + i + 1, title: it.title, due: it.due, note: it.note, state: 'requested', documentIds: [],
      earlierDocumentIds: [], reason: '', submitted: '', overdue: false, created: '', updated: '',
    }))
    this.items.push(...added)
    return added
  }

  private item(id: number) {
    const it = this.items.find((x) => x.id === id)
    if (!it) throw 'no such item'
    return it
  }

  // submit plays the client sending a file into an item through the portal.
  submit(id: number, name: string): CaseDocument {
    const d = this.addDoc({ name, uploaderKind: 'client', uploaderName: 'Amina Haddad' })
    const it = this.item(id)
    if (it.documentIds.length) it.earlierDocumentIds.push(...it.documentIds)
    it.state = 'submitted'
    it.documentIds = [d.id]
    it.submitted = '2026-11-26T09:00:00Z'
    return d
  }

  async acceptRequest(id: number) {
    this.caseCalls.push(`accept ${id}`)
    const it = this.item(id)
    if (it.state !== 'submitted') throw 'could not accept the item: nothing was sent for it yet'
    it.state = 'accepted'
    return { ...it }
  }

  async returnRequest(id: number, reason: string) {
    this.caseCalls.push(`return ${id} ${reason}`)
    const it = this.item(id)
    it.state = 'returned'
    it.reason = reason
    return { ...it }
  }

  async cancelRequest(id: number) {
    this.caseCalls.push(`cancel ${id}`)
    const it = this.item(id)
    it.state = 'cancelled'
    return { ...it }
  }

  async timeZone() { return this.zone }

  async appointments(): Promise<Appointment[]> { return this.appts.map((a) => ({ ...a })) }

  private appt(id: number, input: AppointmentInput): Appointment {
    // The fake office's zone is five hours behind UTC.
    const utc = (local: string) => new Date(Date.parse(local + ':00Z') + 5 * 3600_000).toISOString().replace('.000', '')
    return { id, title: input.title, start: utc(input.start), end: utc(input.end), place: input.place, link: input.link, note: input.note,
      portal: input.portal, cancelled: '', localStart: input.start, localEnd: input.end, zone: this.zone }
  }

  async addAppointment(caseId: number, input: AppointmentInput) {
    this.caseCalls.push(`addAppointment ${caseId} ${JSON.stringify(input)}`)
    if (input.title.includes('refuse')) throw 'could not add the appointment: the start is too far in the past'
    const a = this.appt(this.appts.length + 1, input)
    this.appts.push(a)
    return a
  }

  async updateAppointment(id: number, change: AppointmentChange) {
    this.caseCalls.push(`updateAppointment ${id} ${JSON.stringify(change)}`)
    const i = this.appts.findIndex((a) => a.id === id)
    const old = this.appts[i]
    const merged: AppointmentInput = { title: old.title, start: old.localStart ?? '', end: old.localEnd ?? '', place: old.place, link: old.link,
      note: old.note, portal: old.portal, ...change }
    this.appts[i] = this.appt(id, merged)
    return this.appts[i]
  }

  async cancelAppointment(caseId: number, id: number) {
    this.caseCalls.push(`cancelAppointment ${caseId} ${id}`)
    const a = this.appts.find((x) => x.id === id)!
    a.cancelled = '2026-11-26T10:00:00Z'
    return { ...a }
  }

  async correctStatus(caseId: number, entryId: number, input: StatusInput): Promise<HistoryEntry> {
    this.caseCalls.push(`correct ${caseId} ${entryId} ${input.status} ${input.info}`)
    throw 'not in this stand-in'
  }

  async withdrawStatus(caseId: number, entryId: number, reason: string): Promise<HistoryEntry> {
    this.caseCalls.push(`withdraw ${caseId} ${entryId} ${reason}`)
    throw 'not in this stand-in'
  }

  // Cases with client messages no staff member has read.
  unread = new Set<number>()

  // statusOf and advocateOf: the filters' facts of the fake's cases.
  statusOf = new Map<number, string>()
  advocateOf = new Map<number, number>()

  // Cases with a client upload waiting for staff.
  uploadsWaiting = new Set<number>()

  // findCases filters and sorts as the service does (ties by id, in the
  // same direction), and pages after the case after in that order.
  async findCases(f: CaseFilter, after: number, limit: number) {
    this.caseCalls.push(`findCases ${JSON.stringify(f)} ${after} ${limit}`)
    const q = f.query.trim().toLowerCase()
    const passed = this.cases.filter((c) => (q === '' || `${c.number} ${c.title} ${c.clientNames ?? ''}`.toLowerCase().includes(q))
      && (!f.unread || this.unread.has(c.id)) && (!f.waiting || this.uploadsWaiting.has(c.id))
      && (f.status === '' || this.statusOf.get(c.id) === f.status)
      && (f.advocateId === 0 || this.advocateOf.get(c.id) === f.advocateId))
    const key = (c: CaseRow): string => {
      switch (f.sort) {
        case 'activity': return c.activity ?? ''
        case 'number': return c.number
        case 'client': return (c.clientNames ?? '').toLowerCase()
        case 'status': return this.statusOf.get(c.id) ?? '~'
        case 'opened': return c.opened ?? ''
      }
      return ''
    }
    const dir = f.order === 'desc' || (f.order === '' && f.sort === 'activity') ? -1 : 1
    const sorted = [...passed].sort((a, b) => dir * (key(a).localeCompare(key(b)) || a.id - b.id))
    const start = after === 0 ? 0 : sorted.findIndex((c) => c.id === after) + 1
    const found = sorted.slice(start)
    const items = found.slice(0, limit)
    return { items, next: found.length > limit ? items[items.length - 1].id : 0 }
  }

  // Cases opened or changed (the office's own getCase reads its rows).
  saved: CaseInput[] = []

  async createCase(input: CaseInput): Promise<CaseDetail> {
    this.caseCalls.push(`createCase ${JSON.stringify(input)}`)
    if (input.number === 'TAKEN') throw 'could not open the case: case number "TAKEN" is taken'
    this.saved.push(input)
    return { id: 500, number: input.number ?? '', title: input.title ?? '', kind: input.kind ?? 'staff', advocate: '', status: '', statusDate: '',
      updated: '', clients: (input.clientIds ?? []).map((id) => ({ id, name: `Client ${id}`, email: '' })), advocateId: input.advocateId ?? 0,
      attorney: input.attorney, created: '' }
  }

  async updateCase(id: number, input: CaseInput): Promise<CaseDetail> {
    this.caseCalls.push(`updateCase ${id} ${JSON.stringify(input)}`)
    return { id, number: input.number ?? 'IMM-0001', title: input.title ?? 'Asylum application', kind: input.kind ?? 'staff', advocate: '',
      status: '', statusDate: '', updated: '', clients: [{ id: 1, name: 'Amina Haddad', email: '' }], advocateId: input.advocateId ?? 2,
      attorney: input.attorney, created: '' }
  }

  async sendMessage(caseId: number, m: OutgoingMessage): Promise<Message> {
    this.caseCalls.push(`sendMessage ${caseId} ${m.visibility} ${m.body} [${m.documents}]`)
    throw 'not in this stand-in'
  }
}
