// The screens' logic, driven as a person would (typing, pressing buttons)
// in jsdom, against a stand-in for the Go side that keeps a small office in
// memory. The real Go side is tested against the real service in app/, and
// the two together in the real window (app/window_test.go).
import { flushSync } from 'svelte'
import { afterEach, describe, expect, it } from 'vitest'
import {
  EventLive, EventLiveState, EventSessionEnded,
  type CaseDetail, type CaseRow, type HistoryEntry, type Message, type OfficeInfo,
} from './lib/types'
import { settle } from './settle'
import { cleanup, showApp } from './testing/app'
import { button, byLabel, type } from './testing/dom'
import { InertOffice } from './testing/office'

class FakeOffice extends InertOffice {
  calls: string[] = []
  cases: CaseRow[]
  entries: HistoryEntry[] = []
  msgs: Message[] = []
  connected = false

  constructor(n: number) {
    super()
    this.cases = Array.from({ length: n }, (_, i) => ({
      id: i + 1, number: `IMM-${String(i + 1).padStart(4, '0')}`, title: i === 0 ? 'Asylum application' : `Matter ${i + 1}`,
      kind: 'staff', advocate: 'Marcus Oyelaran', status: 'Received', statusDate: '2026-11-01', updated: '2026-11-01T10:00:00Z',
      // The list's default order is the latest activity first: the first case's is the latest.
      activity: new Date(Date.UTC(2026, 10, 1) - i * 60000).toISOString(),
    }))
  }

  async version() { return 'v9.9.9' }

  async connect(address: string, email: string, password: string): Promise<OfficeInfo> {
    this.calls.push(`connect ${address} ${email}`)
    if (password !== 'right') throw 'could not log in: the email or password is not correct'
    this.connected = true
    return { office: 'Riverside Legal Aid', service: address, staff: 'Dana Whitfield', staffId: 1, role: 'admin' }
  }

  async logout() { this.connected = false }

  async who(): Promise<OfficeInfo> {
    if (!this.connected) throw 'not connected: connect to the portal service first'
    return { office: 'Riverside Legal Aid', service: 'http://127.0.0.1:8080', staff: 'Dana Whitfield', staffId: 1, role: 'admin' }
  }

  async listCases(query: string, after: number, limit: number) {
    this.calls.push(`list ${JSON.stringify(query)} ${after} ${limit}`)
    const q = query.trim().toLowerCase()
    const found = this.cases.filter((c) => c.id > after && (q === '' || `${c.number} ${c.title}`.toLowerCase().includes(q)))
    const items = found.slice(0, limit)
    return { items, next: found.length > limit ? items[items.length - 1].id : 0 }
  }

  async getCase(id: number): Promise<CaseDetail> {
    const row = this.cases.find((c) => c.id === id)
    if (!row) throw 'could not read the case: no such case'
    return { ...row, clients: [{ id: 1, name: 'Amina Haddad', email: 'amina@example.org' }], advocateId: 2, created: '' }
  }

  async statuses() { return [{ id: 'received', name: 'Received' }, { id: 'hearing_scheduled', name: 'Hearing scheduled' }] }
  async history() { return [...this.entries] }

  async setStatus(caseId: number, input: { status: string; date: string; info: string }) {
    this.calls.push(`setStatus ${caseId} ${input.status} ${input.date} ${input.info}`)
    const e: HistoryEntry = {
      id: this.entries.length + 1, date: input.date || '2026-11-25', status: input.status, name: 'Hearing scheduled', info: input.info,
      setBy: 'Dana Whitfield', created: '', active: true, corrects: 0, supersededBy: 0, withdrawnBy: '', withdrawnReason: '',
    }
    this.entries.unshift(e)
    this.cases[caseId - 1] = { ...this.cases[caseId - 1], status: e.name, statusDate: e.date }
    return e
  }

  async messages(_caseId: number, before: number, limit: number) {
    this.calls.push(`messages ${before}`)
    const older = this.msgs.filter((m) => before === 0 || m.id < before)
    const items = older.slice(0, limit)
    return { items, next: older.length > limit ? items[items.length - 1].id : 0, unread: this.msgs.filter((m) => m.authorKind === 'client' && !m.read).length }
  }

  async postMessage(_caseId: number, body: string, visibility: string) {
    this.calls.push(`post ${visibility} ${body}`)
    if (body.includes('refuse')) throw 'could not send the message: body has a control character'
    return this.add('staff', body, visibility)
  }

  add(authorKind: string, body: string, visibility = 'portal'): Message {
    const m: Message = {
      id: (this.msgs[0]?.id ?? 0) + 1, authorKind, authorName: authorKind === 'client' ? 'Amina Haddad' : 'Dana Whitfield',
      created: '2026-11-25T10:00:00Z', body, visibility, read: false, readAt: '',
    }
    this.msgs.unshift(m)
    return m
  }

  async markRead() {
    const n = this.msgs.filter((m) => m.authorKind === 'client' && !m.read).length
    this.msgs = this.msgs.map((m) => (m.authorKind === 'client' ? { ...m, read: true, readAt: '2026-11-25T11:00:00Z' } : m))
    return n
  }

  async appointments() {
    return [{ id: 1, title: 'Hearing', start: '2026-12-01T14:00:00Z', end: '2026-12-01T15:00:00Z', place: 'Room 4', link: '', note: '', portal: true, cancelled: '' }]
  }
}

afterEach(cleanup)

// connect logs in from the Connect screen, which opens the dashboard; then,
// unless told to stay there, it opens the case list (where most tests start).
async function connect(root: HTMLElement, office: FakeOffice, toCases = true) {
  type(byLabel(root, 'Email'), 'dana@riverside.example')
  type(byLabel(root, 'Password'), 'right')
  button(root, 'Connect').click()
  await settle()
  expect(office.connected).toBe(true)
  if (toCases) {
    button(root, 'Cases').click()
    await settle()
  }
}

describe('Connect', () => {
  it('names what is missing, without calling the service, and focuses the first such field', async () => {
    const office = new FakeOffice(3)
    const root = showApp(office)
    type(byLabel(root, 'Service address'), '')
    button(root, 'Connect').click()
    await settle()
    expect(root.textContent).toContain("Enter the portal service's address")
    expect(root.textContent).toContain('Enter your staff email address.')
    expect(byLabel(root, 'Password').getAttribute('aria-invalid')).toBe('true')
    expect(document.activeElement).toBe(byLabel(root, 'Service address'))
    expect(office.calls).toEqual([])
  })

  it("shows the service's refusal in an alert and stays", async () => {
    const office = new FakeOffice(3)
    const root = showApp(office)
    type(byLabel(root, 'Email'), 'dana@riverside.example')
    type(byLabel(root, 'Password'), 'wrong')
    button(root, 'Connect').click()
    await settle()
    expect(root.querySelector('[role=alert]')?.textContent).toBe('Could not log in: the email or password is not correct.')
    expect(root.querySelector('h1')?.textContent).toBe('Connect to your office')
    expect(office.calls).toEqual(['connect http://127.0.0.1:8080 dana@riverside.example'])
  })

  it('goes to the dashboard, remembers address and email but never the password, and comes back when the session ends', async () => {
    const office = new FakeOffice(3)
    const root = showApp(office)
    await connect(root, office, false)
    expect(root.querySelector('h1')?.textContent).toBe('Dashboard')
    expect(document.activeElement).toBe(root.querySelector('h1'))
    expect(root.textContent).toContain('Riverside Legal Aid')
    expect(localStorage.getItem('clientportal.email')).toBe('dana@riverside.example')
    expect(JSON.stringify({ ...localStorage })).not.toContain('right')

    office.emit(EventLiveState, { state: 'live', detail: '', retry: 0 })
    flushSync()
    expect(root.querySelector('.live')?.textContent).toBe('Live updates on')

    office.emit(EventSessionEnded, { reason: 'the service ended your session: connect again' })
    await settle()
    expect(root.querySelector('h1')?.textContent).toBe('Connect to your office')
    expect(root.textContent).toContain('the service ended your session: connect again')
  })
})

describe('a reloaded page', () => {
  it('carries on with the session the Go side still holds', async () => {
    const office = new FakeOffice(3)
    office.connected = true
    const root = showApp(office)
    await settle()
    expect(root.querySelector('h1')?.textContent).toBe('Dashboard')
    expect(root.textContent).toContain('Dana Whitfield')
  })
})

describe('Cases', () => {
  it('pages with the cursor the service answered, and searches', async () => {
    const office = new FakeOffice(120)
    const root = showApp(office)
    await connect(root, office)
    const rows = () => [...root.querySelectorAll('tbody tr')].map((r) => r.querySelector('td')?.textContent?.trim())
    expect(rows()).toHaveLength(50)
    expect(rows()[0]).toBe('IMM-0001')
    expect(button(root, 'Previous page').disabled).toBe(true)

    button(root, 'Next page').click()
    await settle()
    expect(rows()[0]).toBe('IMM-0051')
    expect(root.querySelector('.pager span')?.textContent).toBe('Page 2')
    button(root, 'Next page').click()
    await settle()
    expect(rows()).toHaveLength(20)
    expect(button(root, 'Next page').disabled).toBe(true)
    button(root, 'Previous page').click()
    await settle()
    expect(rows()[0]).toBe('IMM-0051')
    expect(office.caseCalls.filter((c) => c.startsWith('findCases')).map((c) => c.split(' ').slice(-2).join(' '))).toEqual(['0 50', '50 50', '100 50', '50 50'])

    type(byLabel(root, 'Search cases'), 'asylum')
    ;(root.querySelector('form[role=search]') as HTMLFormElement).requestSubmit()
    await settle()
    expect(rows()).toEqual(['IMM-0001'])
    expect(root.querySelector('.pager span')?.textContent).toBe('Page 1')
    expect(root.querySelector('[role=status][aria-live]')?.textContent).toBe('Page 1: 1 case.')

    type(byLabel(root, 'Search cases'), 'nothing like it')
    ;(root.querySelector('form[role=search]') as HTMLFormElement).requestSubmit()
    await settle()
    expect(root.querySelector('tbody')?.textContent).toContain('No cases match “nothing like it”.')
  })
})

describe('Case page', () => {
  async function openFirstCase(office: FakeOffice) {
    const root = showApp(office)
    await connect(root, office)
    ;(root.querySelector('.case-link') as HTMLButtonElement).click()
    await settle()
    return root
  }

  it('sets a status from the list and shows it in the history and the summary', async () => {
    const office = new FakeOffice(3)
    const root = await openFirstCase(office)
    expect(root.querySelector('h1')?.textContent?.trim()).toBe('IMM-0001: Asylum application')
    expect(document.activeElement).toBe(root.querySelector('h1'))
    expect(root.textContent).toContain('Amina Haddad')
    button(root, 'Set status').click()
    await settle()
    expect(root.textContent).toContain('Choose the new status.')
    expect(office.calls.some((c) => c.startsWith('setStatus'))).toBe(false)

    // (A date input holds only real dates; checkDate is tested in lib.)
    type(byLabel(root, 'New status'), 'hearing_scheduled')
    type(byLabel(root, 'Additional information for the client'), 'Court on Monday.')
    button(root, 'Set status').click()
    await settle()
    expect(office.calls).toContain('setStatus 1 hearing_scheduled  Court on Monday.')
    expect(root.querySelector('.timeline')?.textContent).toContain('Court on Monday.')
    expect(root.querySelector('.summary')?.textContent).toContain('Hearing scheduled')
    expect(byLabel<HTMLSelectElement>(root, 'New status').value).toBe('')
  })

  it('sends messages and notes, keeps the text of a refused one, and shows client messages arriving live', async () => {
    const office = new FakeOffice(3)
    office.add('client', 'Hello, I have a question.')
    const root = await openFirstCase(office)
    expect(root.querySelector('.badge')?.textContent).toBe('1 unread')

    button(root, 'Send message').click()
    await settle()
    expect(root.textContent).toContain('Write the message first.')

    type(byLabel(root, 'Message'), 'Please bring your passport.')
    button(root, 'Send message').click()
    await settle()
    const bodies = () => [...root.querySelectorAll('.message .body')].map((b) => b.textContent)
    expect(bodies()).toEqual(['Please bring your passport.', 'Hello, I have a question.'])
    expect(byLabel<HTMLTextAreaElement>(root, 'Message').value).toBe('')

    const internal = root.querySelector('input[value=internal]') as HTMLInputElement
    internal.click()
    flushSync()
    type(byLabel(root, 'Note'), 'please refuse this')
    button(root, 'Save note').click()
    await settle()
    expect(root.querySelector('[role=alert]')?.textContent).toBe('Could not send the message: body has a control character.')
    expect(byLabel<HTMLTextAreaElement>(root, 'Note').value).toBe('please refuse this')

    // The client writes; the Go side forwards the event; the page reads
    // the messages again and announces the new one.
    const m = office.add('client', 'Thank you, I will.')
    office.emit(EventLive, { id: 99, type: 'message.created', caseId: 1, ref: m.id, at: '' })
    await settle()
    expect(bodies()[0]).toBe('Thank you, I will.')
    expect(root.querySelector('.case-page > [role=status]')?.textContent).toBe('New message from Amina Haddad.')
    expect(root.querySelector('.badge')?.textContent).toBe('2 unread')

    // An event of another case changes nothing.
    const before = office.calls.length
    office.emit(EventLive, { id: 100, type: 'message.created', caseId: 2, ref: 1, at: '' })
    await settle()
    expect(office.calls.length).toBe(before)

    button(root, 'Mark client messages read').click()
    await settle()
    expect(root.querySelector('.badge')).toBeNull()
    expect(root.textContent).toContain('2 messages marked read.')
  })

  it('shows what people typed as text, never as markup', async () => {
    const office = new FakeOffice(3)
    office.add('client', '<img src=x onerror="window.__pwned=1"><b>bold</b>')
    const root = await openFirstCase(office)
    const body = root.querySelector('.message .body')
    expect(body?.textContent).toBe('<img src=x onerror="window.__pwned=1"><b>bold</b>')
    expect(body?.querySelector('img, b')).toBeNull()
    expect((window as unknown as { __pwned?: number }).__pwned).toBeUndefined()
  })

  it('loads older messages page by page', async () => {
    const office = new FakeOffice(3)
    for (let i = 1; i <= 45; i++) office.add(i % 2 ? 'client' : 'staff', `message ${i}`)
    const root = await openFirstCase(office)
    expect(root.querySelectorAll('.message')).toHaveLength(20)
    button(root, 'Load older messages').click()
    await settle()
    button(root, 'Load older messages').click()
    await settle()
    expect(root.querySelectorAll('.message')).toHaveLength(45)
    expect(root.textContent).not.toContain('Load older messages')
    expect(root.querySelector('.message:last-child .body')?.textContent).toBe('message 1')
  })
})
