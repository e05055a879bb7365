import { describe, expect, it } from 'vitest'
import { arrivals, checkAppointment, checkRequests, laterBy, percent, size, stateLabel, track, transferText, zoneName } from './caseLogic'
import type { CaseDocument, RequestItem, Transfer } from './caseTypes'

const t = (x: Partial<Transfer>): Transfer => ({ id: 'upload-1', caseId: 1, direction: 'upload', name: 'a.pdf', done: 0, total: 0, state: 'running', detail: '', ...x })

describe('transfers', () => {
  it('writes sizes and progress for people', () => {
    expect(size(1)).toBe('1 byte')
    expect(size(812)).toBe('812 bytes')
    expect(size(4200)).toBe('4.2 KB')
    expect(size(12_600_000)).toBe('13 MB')
    expect(size(2_500_000_000)).toBe('2.5 GB')
    expect(percent(t({ done: 5, total: 10 }))).toBe(50)
    expect(percent(t({ done: 0, total: 0, state: 'done' }))).toBe(100)
    expect(transferText(t({ done: 4_200_000, total: 12_600_000 }))).toBe('Uploading a.pdf: 4.2 MB of 13 MB (33%)')
    expect(transferText(t({ direction: 'download', state: 'done', total: 1000 }))).toBe('Downloaded a.pdf (1.0 KB).')
    expect(transferText(t({ state: 'failed', detail: 'could not upload a.pdf: too large' }))).toBe('Upload of a.pdf failed: could not upload a.pdf: too large')
  })

  it('keeps one line per transfer, running first, and a few finished ones', () => {
    let list: Transfer[] = []
    list = track(list, t({ id: 'a', done: 1 }))
    list = track(list, t({ id: 'a', done: 2 }))
    expect(list).toHaveLength(1)
    expect(list[0].done).toBe(2)
    list = track(list, t({ id: 'b', state: 'done' }))
    list = track(list, t({ id: 'c' }))
    expect(list.map((x) => x.id)).toEqual(['c', 'a', 'b'])
    for (const id of ['d', 'e', 'f', 'g']) list = track(list, t({ id, state: 'done' }), 3)
    expect(list.map((x) => x.id)).toEqual(['c', 'a', 'g', 'f', 'e'])
  })
})

describe('documents', () => {
  it('marks client uploads that were not known as arrivals', () => {
    const d = (id: number, uploaderKind: string) => ({ id, uploaderKind }) as CaseDocument
    expect(arrivals(new Set([1]), [d(1, 'client'), d(2, 'client'), d(3, 'staff')]).map((x) => x.id)).toEqual([2])
  })
})

describe('checklist', () => {
  it('names states for staff', () => {
    const it = (x: Partial<RequestItem>) => ({ state: 'requested', overdue: false, ...x }) as RequestItem
    expect(stateLabel(it({}))).toBe('Not sent yet')
    expect(stateLabel(it({ overdue: true }))).toBe('Overdue: not sent yet')
    expect(stateLabel(it({ state: 'submitted' }))).toBe('Sent by the client: waiting for you')
  })

  it('turns the form rows into items, leaving empty rows out', () => {
    const r = checkRequests([
      { title: ' Lease ', due: '2026-12-10', note: ' all pages ' }, { title: '', due: '', note: '' }, { title: 'Pay slips', due: '', note: '' },
    ], '2026-12-01')
    expect(r.errors.size).toBe(0)
    expect(r.items).toEqual([{ title: 'Lease', due: '2026-12-10', note: 'all pages' }, { title: 'Pay slips', due: '', note: '' }])
    const bad = checkRequests([{ title: '', due: '', note: 'x' }, { title: 'Old', due: '2026-11-01', note: '' }], '2026-12-01')
    expect(bad.errors.get(0)).toContain('Name the document')
    expect(bad.errors.get(1)).toContain('is in the past')
    expect(checkRequests([{ title: ' ', due: '', note: '' }], '2026-12-01').errors.get(0)).toBe('Name at least one document to ask for.')
  })
})

describe('appointments', () => {
  it('checks the form', () => {
    const ok = { title: 'Interview', start: '2026-12-10T09:00', end: '2026-12-10T10:00', place: '', link: '', note: '', portal: true }
    expect(checkAppointment(ok)).toEqual({})
    expect(checkAppointment({ ...ok, title: ' ', start: '' })).toEqual({
      title: 'Give the appointment a title, such as “Interview preparation”.', start: 'Fill in the start date and time.',
    })
    expect(checkAppointment({ ...ok, end: '2026-12-10T08:00' }).end).toBe('The end must be after the start.')
  })

  it('adds an hour across midnight and names the zone', () => {
    expect(laterBy('2026-12-31T23:30', 60)).toBe('2027-01-01T00:30')
    expect(laterBy('', 60)).toBe('')
    expect(zoneName('America/New_York')).toBe('New York time (America/New_York)')
    expect(zoneName('UTC')).toBe('UTC')
  })
})
