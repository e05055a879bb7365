// The logic of a case page's documents, checklist and appointments, apart
// from the components so it can be tested alone.
import type { AppointmentInput, CaseDocument, NewRequest, RequestItem, Transfer } from './caseTypes'

// size writes a byte count for people: "812 bytes", "4.2 KB", "12.6 MB".
export function size(n: number): string {
  if (n < 1000) return `${n} ${n === 1 ? 'byte' : 'bytes'}`
  const units = ['KB', 'MB', 'GB', 'TB']
  let v = n / 1000
  let i = 0
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000
    i++
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`
}

// percent is how far a transfer is, 0 to 100.
export function percent(t: Transfer): number {
  if (t.total <= 0) return t.state === 'done' ? 100 : 0
  return Math.min(100, Math.floor((t.done / t.total) * 100))
}

// transferText says where a transfer stands, for the bar's label and for
// screen readers.
export function transferText(t: Transfer): string {
  const verb = t.direction === 'upload' ? 'Uploading' : 'Downloading'
  switch (t.state) {
    case 'done':
      return `${t.direction === 'upload' ? 'Uploaded' : 'Downloaded'} ${t.name} (${size(t.total)}).`
    case 'failed':
      return `${t.direction === 'upload' ? 'Upload' : 'Download'} of ${t.name} failed: ${t.detail}`
    case 'cancelled':
      return `${t.direction === 'upload' ? 'Upload' : 'Download'} of ${t.name} cancelled.`
  }
  return `${verb} ${t.name}: ${size(t.done)} of ${size(t.total)} (${percent(t)}%)`
}

// track puts a transfer's latest news into the list shown: one line per
// transfer, running ones first, at most keep finished ones (newest).
export function track(list: Transfer[], t: Transfer, keep = 3): Transfer[] {
  const others = list.filter((x) => x.id !== t.id)
  const all = [t, ...others]
  const running = all.filter((x) => x.state === 'running')
  const finished = all.filter((x) => x.state !== 'running').slice(0, keep)
  return [...running, ...finished]
}

// arrivals are the client uploads in fresh that were not known: what is
// marked new and announced when they arrive live.
export function arrivals(known: Set<number>, fresh: CaseDocument[]): CaseDocument[] {
  return fresh.filter((d) => d.uploaderKind === 'client' && !known.has(d.id))
}

// stateLabel names an item's state for staff.
export function stateLabel(item: RequestItem): string {
  switch (item.state) {
    case 'requested':
      return item.overdue ? 'Overdue: not sent yet' : 'Not sent yet'
    case 'submitted':
      return 'Sent by the client: waiting for you'
    case 'accepted':
      return 'Accepted'
    case 'returned':
      return item.overdue ? 'Returned, overdue' : 'Returned to the client'
    case 'cancelled':
      return 'Cancelled'
  }
  return item.state
}

// open tells whether staff may still cancel the item.
export function open(item: RequestItem): boolean {
  return item.state === 'requested' || item.state === 'returned' || item.state === 'submitted'
}

// checkRequests turns the rows of the "ask for documents" form into items:
// empty rows are left out; a row with a note or due day but no title is an
// error (by row index).
export function checkRequests(rows: NewRequest[], today: string): { items: NewRequest[]; errors: Map<number, string> } {
  const items: NewRequest[] = []
  const errors = new Map<number, string>()
  rows.forEach((r, i) => {
    const title = r.title.trim()
    const due = r.due.trim()
    const note = r.note.trim()
    if (title === '' && due === '' && note === '') return
    if (title === '') {
      errors.set(i, 'Name the document the client should send, such as “Copy of your lease”.')
    } else if (due !== '' && due < today) {
      errors.set(i, `The due day ${due} is in the past: choose today or later, or leave it empty.`)
    } else {
      items.push({ title, due, note })
    }
  })
  if (items.length === 0 && errors.size === 0) {
    errors.set(0, 'Name at least one document to ask for.')
  }
  return { items, errors }
}

export type AppointmentErrors = Partial<Record<'title' | 'start' | 'end', string>>

// checkAppointment checks the appointment form before it is sent; the
// service checks again.
export function checkAppointment(a: AppointmentInput): AppointmentErrors {
  const errors: AppointmentErrors = {}
  const local = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/
  if (a.title.trim() === '') errors.title = 'Give the appointment a title, such as “Interview preparation”.'
  if (!local.test(a.start)) errors.start = 'Fill in the start date and time.'
  if (!local.test(a.end)) errors.end = 'Fill in the end date and time.'
  else if (!errors.start && a.end <= a.start) errors.end = 'The end must be after the start.'
  return errors
}

// laterBy adds minutes to a "YYYY-MM-DDTHH:MM" wall-clock time (for a
// default end an hour after the start).
export function laterBy(local: string, minutes: number): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local)
  if (!m) return ''
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5] + minutes))
  return d.toISOString().slice(0, 16)
}

// zoneName says which time zone the times are in, for people: "New York
// time (America/New_York)".
export function zoneName(zone: string): string {
  if (zone === '' || zone === 'UTC') return 'UTC'
  const city = zone.split('/').pop()?.replaceAll('_', ' ') ?? zone
  return `${city} time (${zone})`
}

// CaseForm is the case form's fields.
export interface CaseForm {
  number: string
  title: string
  clientIds: number[]
  kind: string
  advocateId: number
  attorney: { name: string; firm: string; phone: string; email: string }
}

// checkCase says what is missing before a case is opened or changed.
export function checkCase(f: CaseForm): Partial<Record<'number' | 'title' | 'clients' | 'advocate' | 'attorney', string>> {
  const e: Partial<Record<'number' | 'title' | 'clients' | 'advocate' | 'attorney', string>> = {}
  if (f.number.trim() === '') e.number = 'Give the case its number, such as IMM-2026-0142.'
  if (f.title.trim() === '') e.title = 'Give the case a title.'
  if (f.clientIds.length === 0) e.clients = 'Add at least one client: search by name, email or phone.'
  if (f.kind === 'staff' && f.advocateId === 0) e.advocate = 'Choose the advocate.'
  if (f.kind === 'pro_bono' && f.attorney.name.trim() === '') e.attorney = 'Name the outside attorney who takes the case pro bono.'
  return e
}

// caseChanges is what differs from the case as it was: only those fields
// are sent, so a colleague's change of another field stands. Without a
// case before, everything is sent.
export function caseChanges(f: CaseForm, before?: CaseForm): import('./caseTypes').CaseInput {
  const out: import('./caseTypes').CaseInput = {}
  const trimmed = { ...f, number: f.number.trim(), title: f.title.trim() }
  if (!before || trimmed.number !== before.number) out.number = trimmed.number
  if (!before || trimmed.title !== before.title) out.title = trimmed.title
  if (!before || [...f.clientIds].sort().join() !== [...before.clientIds].sort().join()) out.clientIds = [...f.clientIds]
  if (!before || f.kind !== before.kind) out.kind = f.kind
  if (f.kind === 'staff' && (!before || f.advocateId !== before.advocateId || f.kind !== before.kind)) out.advocateId = f.advocateId
  if (f.kind === 'pro_bono' && (!before || JSON.stringify(f.attorney) !== JSON.stringify(before.attorney) || f.kind !== before.kind)) {
    out.attorney = { ...f.attorney }
  }
  return out
}
