// The logic of a case page's documents, checklist and appointments, apart
// from the components so it can be tested alone.
import type { AppointmentInput, CaseDocument, NewRequest, RequestItem, Transfer } from './caseTypes'
import { intlLocale, t } from './i18n.svelte'

// decimal writes a number in the panel's language ("4.2", "4,2").
function decimal(v: number, digits: number): string {
  return new Intl.NumberFormat(intlLocale(), { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(v)
}

// size writes a byte count for people: "812 bytes", "4.2 KB", "12.6 MB".
export function size(n: number): string {
  if (n < 1000) return t('case:size.bytes', { count: n })
  const units = ['KB', 'MB', 'GB', 'TB']
  let v = n / 1000
  let i = 0
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000
    i++
  }
  return t('case:size.unit', { value: v < 10 ? decimal(v, 1) : decimal(Math.round(v), 0), unit: units[i] })
}

// percent is how far a transfer is, 0 to 100.
export function percent(t: Transfer): number {
  if (t.total <= 0) return t.state === 'done' ? 100 : 0
  return Math.min(100, Math.floor((t.done / t.total) * 100))
}

// transferText says where a transfer stands, for the bar's label and for
// screen readers.
export function transferText(t_: Transfer): string {
  const up = t_.direction === 'upload'
  switch (t_.state) {
    case 'done':
      return up ? t('case:transfer.uploaded', { name: t_.name, size: size(t_.total) }) : t('case:transfer.downloaded', { name: t_.name, size: size(t_.total) })
    case 'failed':
      return up ? t('case:transfer.uploadFailed', { name: t_.name, detail: t_.detail }) : t('case:transfer.downloadFailed', { name: t_.name, detail: t_.detail })
    case 'cancelled':
      return up ? t('case:transfer.uploadCancelled', { name: t_.name }) : t('case:transfer.downloadCancelled', { name: t_.name })
  }
  const values = {
    name: t_.name, done: size(t_.done), total: size(t_.total),
    percent: new Intl.NumberFormat(intlLocale(), { style: 'percent' }).format(percent(t_) / 100),
  }
  return up ? t('case:transfer.uploading', values) : t('case:transfer.downloading', values)
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
      return item.overdue ? t('case:checklist.state.requestedOverdue') : t('case:checklist.state.requested')
    case 'submitted':
      return t('case:checklist.state.submitted')
    case 'accepted':
      return t('case:checklist.state.accepted')
    case 'returned':
      return item.overdue ? t('case:checklist.state.returnedOverdue') : t('case:checklist.state.returned')
    case 'cancelled':
      return t('case:checklist.state.cancelled')
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
      errors.set(i, t('case:checklist.needTitle'))
    } else if (due !== '' && due < today) {
      errors.set(i, t('case:checklist.pastDue', { date: due }))
    } else {
      items.push({ title, due, note })
    }
  })
  if (items.length === 0 && errors.size === 0) {
    errors.set(0, t('case:checklist.needOne'))
  }
  return { items, errors }
}

export type AppointmentErrors = Partial<Record<'title' | 'start' | 'end', string>>

// checkAppointment checks the appointment form before it is sent; the
// service checks again.
export function checkAppointment(a: AppointmentInput): AppointmentErrors {
  const errors: AppointmentErrors = {}
  const local = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/
  if (a.title.trim() === '') errors.title = t('case:appointments.needTitle')
  if (!local.test(a.start)) errors.start = t('case:appointments.needStart')
  if (!local.test(a.end)) errors.end = t('case:appointments.needEnd')
  else if (!errors.start && a.end <= a.start) errors.end = t('case:appointments.endAfter')
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
  return t('case:appointments.zoneCity', { city, zone })
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
  if (f.number.trim() === '') e.number = t('case:form.needNumber')
  if (f.title.trim() === '') e.title = t('case:form.needTitle')
  if (f.clientIds.length === 0) e.clients = t('case:form.needClient')
  if (f.kind === 'staff' && f.advocateId === 0) e.advocate = t('case:form.needAdvocate')
  if (f.kind === 'pro_bono' && f.attorney.name.trim() === '') e.attorney = t('case:form.needAttorney')
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

// statusNamer names statuses in the panel's language. The service names a
// case's current status and its history entries in English; the office's
// list gives each status (by id) in English and in the panel's language,
// so an entry is renamed by its id and the current status by its English
// name. A status not in the list (retired) keeps the name it came with.
export function statusNamer(english: { id: string; name: string }[], local: { id: string; name: string }[]): (name: string, id?: string) => string {
  const byId = new Map(local.map((s) => [s.id, s.name]))
  const idOf = new Map(english.map((s) => [s.name, s.id]))
  return (name, id) => byId.get(id ?? idOf.get(name) ?? '') || name
}
