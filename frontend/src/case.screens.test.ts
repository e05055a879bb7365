// A case's page, completed: its documents (upload with progress, share,
// download, client uploads arriving live), the checklist, appointments in
// the office's zone, corrections of the history and message attachments,
// driven as a person would in jsdom against a stand-in for the Go side
// (fakeCase.ts). The real Go side is tested in app/ against the real
// service, and the two together in app/window_casepage_test.go.
import { flushSync } from 'svelte'
import { afterEach, describe, expect, it } from 'vitest'
import CaseForm from './components/case/CaseForm.svelte'
import { EventTransfer, type CaseDocument, type OutgoingMessage } from './lib/caseTypes'
import { EventLive, type CaseDetail, type HistoryEntry, type Message, type StatusInput } from './lib/types'
import { settle } from './settle'
import { cleanup, openCase, show } from './testing/app'
import { byLabel, named as button, section, type } from './testing/dom'
import { InertOffice } from './testing/office'

class Office extends InertOffice {
  entries: HistoryEntry[] = [
    { id: 1, date: '2026-11-20', status: 'received', name: 'Received', info: 'We have your file.', setBy: 'Dana Whitfield', created: '',
      active: true, corrects: 0, supersededBy: 0, withdrawnBy: '', withdrawnReason: '' },
  ]
  msgs: Message[] = []

  async listCases(query: string, after: number, limit: number) {
    const found = this.cases.filter((c) => c.id > after && (query === '' || c.number.includes(query)))
    return { items: found.slice(0, limit), next: found.length > limit ? found[limit - 1].id : 0 }
  }
  async getCase(id: number): Promise<CaseDetail> {
    const current = this.entries.find((e) => e.active)
    return { id, number: 'IMM-0001', title: 'Asylum application', kind: 'staff', advocate: 'Marcus Oyelaran', status: current?.name ?? '',
      statusDate: current?.date ?? '', updated: '', clients: [{ id: 1, name: 'Amina Haddad', email: '' }], advocateId: 2, created: '' }
  }
  async staff() { return [{ id: 2, name: 'Marcus Oyelaran', email: '' }, { id: 3, name: 'Lucía Fernández', email: '' }] }
  async statuses() { return [{ id: 'received', name: 'Received' }, { id: 'hearing_scheduled', name: 'Hearing scheduled' }] }
  async history() { return this.entries.map((e) => ({ ...e })) }
  async messages() { return { items: [...this.msgs], next: 0, unread: 0 } }
  async postMessage(_c: number, body: string, visibility: string) { return this.message(body, visibility, []) }

  message(body: string, visibility: string, documents: CaseDocument[], authorKind = 'staff'): Message {
    const m: Message = { id: this.msgs.length + 1, authorKind, authorName: authorKind === 'staff' ? 'Dana Whitfield' : 'Amina Haddad',
      created: '2026-11-25T10:00:00Z', body, visibility, read: false, readAt: '', documents }
    this.msgs.unshift(m)
    return m
  }

  async sendMessage(caseId: number, m: OutgoingMessage) {
    this.caseCalls.push(`sendMessage ${caseId} ${m.visibility} ${m.body} [${m.documents}]`)
    return this.message(m.body, m.visibility, this.docs.filter((d) => m.documents.includes(d.id)).map((d) => ({ ...d, portal: true })))
  }

  async correctStatus(caseId: number, entryId: number, input: StatusInput) {
    this.caseCalls.push(`correct ${caseId} ${entryId} ${input.status} ${input.date} ${input.info}`)
    const old = this.entries.find((e) => e.id === entryId)!
    const e: HistoryEntry = { ...old, id: 9, status: input.status, name: 'Hearing scheduled', info: input.info, date: input.date, corrects: entryId }
    old.active = false
    old.supersededBy = 9
    this.entries.unshift(e)
    return e
  }

  async withdrawStatus(caseId: number, entryId: number, reason: string) {
    this.caseCalls.push(`withdraw ${caseId} ${entryId} ${reason}`)
    const e = this.entries.find((x) => x.id === entryId)!
    Object.assign(e, { active: false, withdrawnBy: 'Dana Whitfield', withdrawnReason: reason })
    return { ...e }
  }
}

afterEach(cleanup)

describe('Documents', () => {
  it('uploads the chosen files with a progress bar, shares one and downloads it', async () => {
    const office = new Office()
    let release = () => {}
    office.hold = new Promise((r) => (release = r))
    office.choose = [{ name: 'passport.pdf', size: 3_000_000 }, { name: 'birth certificate.pdf', size: 1_000_000 }]
    const root = await openCase(office)
    const docs = section(root, 'Documents')
    expect(docs.textContent).toContain('No documents yet.')

    button(docs, 'Upload files…').click()
    await settle()
    const bar = docs.querySelector('progress') as HTMLProgressElement
    expect(bar.value).toBe(50)
    expect(bar.getAttribute('aria-label')).toBe('Upload of 2 files')
    expect(bar.getAttribute('aria-valuetext')).toBe('Uploading 2 files: 2.0 MB of 4.0 MB (50%)')
    expect(button(docs, 'Upload files…').disabled).toBe(true)
    button(docs, 'Cancel upload').click()
    await settle()
    expect(office.caseCalls).toContain('cancelTransfer upload-1')

    release()
    await settle()
    expect(docs.querySelector('[role=status]')?.textContent).toBe('Uploaded 2 files.')
    expect(docs.querySelector('progress')?.getAttribute('aria-valuetext')).toBe('Uploaded 2 files (4.0 MB).')
    expect([...docs.querySelectorAll('.documents .name strong')].map((x) => x.textContent)).toEqual(['passport.pdf', 'birth certificate.pdf'])
    expect(office.caseCalls).toContain('upload 1 false')

    button(docs, 'Share passport.pdf on the portal').click()
    await settle()
    expect(office.caseCalls).toContain('sharePortal 100 true')
    expect(docs.querySelector('.documents li')?.textContent).toContain('on the portal')
    button(docs, 'Withdraw passport.pdf from the portal').click()
    await settle()
    expect(office.caseCalls).toContain('sharePortal 100 false')

    button(docs, 'Download passport.pdf').click()
    await settle()
    expect(docs.querySelector('[role=status]')?.textContent).toBe('Saved passport.pdf to /home/dana/Documents/copy.pdf (checked: SHA-256 matches).')
  })

  it("says why a file was refused, and a cancelled dialog changes nothing", async () => {
    const office = new Office()
    const root = await openCase(office)
    const docs = section(root, 'Documents')
    button(docs, 'Upload files…').click()
    await settle()
    expect(docs.querySelector('[role=alert]')).toBeNull()
    expect(docs.textContent).toContain('No documents yet.')

    office.choose = [{ name: 'setup.exe', size: 100 }]
    button(docs, 'Upload files…').click()
    await settle()
    expect(docs.querySelector('[role=alert]')?.textContent).toBe('Could not upload setup.exe: setup.exe: this kind of file is not accepted.')
    expect(docs.querySelector('.transfers .error')?.textContent).toContain('failed')
  })

  it('marks a client upload arriving live as new and announces it', async () => {
    const office = new Office()
    office.addDoc({ name: 'old.pdf' })
    const root = await openCase(office)
    const docs = section(root, 'Documents')
    expect(docs.querySelector('.tag.new')).toBeNull()
    const d = office.addDoc({ name: 'lease.jpg', uploaderKind: 'client', uploaderName: 'Amina Haddad' })
    office.emit(EventLive, { id: 5, type: 'document.uploaded', caseId: 1, ref: d.id, at: '' })
    await settle()
    expect(docs.querySelector('h2 .badge')?.textContent).toBe('1 new')
    expect(docs.querySelector('[data-new] strong')?.textContent).toBe('lease.jpg')
    expect(docs.querySelector('[data-new]')?.textContent).toContain('From the client Amina Haddad')
    expect(docs.querySelector('[role=status]')?.textContent).toBe('New document from the client: lease.jpg.')
    // Another case's event changes nothing; an upload's own event is ignored by other cases.
    office.emit(EventTransfer, { id: 'x', caseId: 2, direction: 'upload', name: 'other', done: 1, total: 2, state: 'running', detail: '' })
    await settle()
    expect(docs.querySelector('progress')).toBeNull()
  })
})

describe('Checklist', () => {
  it('asks for several documents at once, shows a submission live, returns it with a reason, accepts and cancels', async () => {
    const office = new Office()
    const root = await openCase(office)
    const list = section(root, 'Document checklist')
    button(list, 'Ask the client').click()
    await settle()
    expect(list.querySelector('[role=alert]')?.textContent).toBe('Name at least one document to ask for.')
    expect(document.activeElement?.id).toBe('request-title-0')

    type(list.querySelector('#request-title-0'), 'Copy of your lease')
    type(list.querySelector('#request-note-0'), 'All pages, please.')
    button(list, 'Add another document').click()
    await settle()
    expect(document.activeElement?.id).toBe('request-title-1')
    type(list.querySelector('#request-title-1'), 'Pay slips')
    button(list, 'Ask the client').click()
    await settle()
    expect(office.caseCalls).toContain('addRequests 1 [{"title":"Copy of your lease","due":"","note":"All pages, please."},{"title":"Pay slips","due":"","note":""}]')
    expect(list.querySelector('[role=status]')?.textContent).toBe('Asked the client for 2 documents.')
    expect((list.querySelector('#request-title-0') as HTMLInputElement).value).toBe('')
    expect([...list.querySelectorAll('.items > li .what')].map((x) => x.textContent?.trim())).toEqual([
      'Copy of your lease Not sent yet', 'Pay slips Not sent yet'])

    // The client sends the lease through the portal.
    office.submit(1, 'lease.jpg')
    office.emit(EventLive, { id: 7, type: 'request.submitted', caseId: 1, ref: 1, at: '' })
    await settle()
    const lease = list.querySelector('.items > li') as HTMLElement
    expect(lease.textContent).toContain('Sent by the client: waiting for you')
    expect(lease.textContent).toContain('lease.jpg')
    expect(list.querySelector('h2 .badge')?.textContent).toBe('1 waiting')
    expect(list.querySelector('[role=status]')?.textContent).toBe('The client sent documents for the checklist.')

    button(lease, 'Return Copy of your lease with a reason').click()
    await settle()
    expect(document.activeElement?.id).toBe('return-reason-1')
    button(lease, 'Return to the client').click()
    await settle()
    expect(lease.querySelector('[role=alert]')?.textContent).toContain('Say why')
    expect(office.caseCalls.some((c) => c.startsWith('return'))).toBe(false)
    type(byLabel(lease, 'Why is it returned? (the client reads this)'), 'The second page is missing.')
    button(lease, 'Return to the client').click()
    await settle()
    expect(office.caseCalls).toContain('return 1 The second page is missing.')
    expect(lease.textContent).toContain('Returned: The second page is missing.')

    office.submit(1, 'lease-2.jpg')
    office.emit(EventLive, { id: 8, type: 'request.submitted', caseId: 1, ref: 1, at: '' })
    await settle()
    button(list, 'Accept Copy of your lease').click()
    await settle()
    expect(list.querySelector('.items > li')?.textContent).toContain('Accepted')
    // The Accept button is gone: the keyboard stays on the item.
    expect(document.activeElement?.id).toBe('request-item-1')

    button(list, 'Cancel Pay slips').click()
    await settle()
    expect(list.querySelectorAll('.items > li')).toHaveLength(1)
    ;([...list.querySelectorAll('label')].find((l) => l.textContent?.trim() === 'Show cancelled items')?.querySelector('input') as HTMLInputElement).click()
    flushSync()
    expect(list.querySelectorAll('.items > li')).toHaveLength(2)
  })
})

describe('Appointments', () => {
  it("adds, moves and cancels, in the office's named time zone", async () => {
    const office = new Office()
    const root = await openCase(office)
    const ap = section(root, 'Appointments')
    expect(ap.textContent).toContain("Times in New York time (America/New_York), the office's time zone.")
    // 14:00 UTC is 09:00 in New York: shown in the office's zone.
    expect(ap.querySelector('.appointments li')?.textContent).toMatch(/9:00/)

    button(ap, 'Add appointment').click()
    await settle()
    expect(ap.textContent).toContain('Give the appointment a title')
    expect(document.activeElement?.id).toBe('appointment-title')
    type(byLabel(ap, 'Title'), 'Interview preparation')
    const start = byLabel(ap, 'Starts')
    type(start, '2026-12-10T09:30')
    start.dispatchEvent(new Event('change', { bubbles: true }))
    flushSync()
    expect(byLabel(ap, 'Ends').value).toBe('2026-12-10T10:30')
    type(byLabel(ap, 'Phone or video link (optional)'), 'https://meet.example.org/abc')
    button(ap, 'Add appointment').click()
    await settle()
    expect(office.caseCalls).toContain('addAppointment 1 {"title":"Interview preparation","start":"2026-12-10T09:30","end":"2026-12-10T10:30","place":"","link":"https://meet.example.org/abc","note":"","portal":true}')
    expect(ap.querySelector('[role=status]')?.textContent).toBe('Added “Interview preparation”, shown on the portal.')

    button(ap, 'Move or change Interview preparation').click()
    await settle()
    expect(byLabel(ap, 'Starts').value).toBe('2026-12-10T09:30')
    type(byLabel(ap, 'Starts'), '2026-12-11T11:00')
    type(byLabel(ap, 'Ends'), '2026-12-11T12:00')
    button(ap, 'Save changes').click()
    await settle()
    expect(office.caseCalls.at(-1)).toContain('updateAppointment 2 {"title":"Interview preparation","start":"2026-12-11T11:00"')

    button(ap, 'Cancel Interview preparation').click()
    await settle()
    expect(office.caseCalls).toContain('cancelAppointment 1 2')
    expect(document.activeElement?.id).toBe('appointment-2')
    expect(ap.querySelectorAll('.appointments li.inactive')).toHaveLength(1)

    type(byLabel(ap, 'Title'), 'please refuse')
    type(byLabel(ap, 'Starts'), '2026-12-10T09:30')
    type(byLabel(ap, 'Ends'), '2026-12-10T10:30')
    button(ap, 'Add appointment').click()
    await settle()
    expect(ap.querySelector('[role=alert]')?.textContent).toBe('Could not add the appointment: the start is too far in the past.')
    expect(byLabel(ap, 'Title').value).toBe('please refuse')
  })
})

describe('History', () => {
  it('corrects an entry and withdraws another with a reason', async () => {
    const office = new Office()
    const root = await openCase(office)
    const h = section(root, 'History')
    button(h, `Correct Received of ${h.querySelector('.when')?.textContent}`).click()
    await settle()
    expect(document.activeElement?.id).toBe('correct-status-1')
    type(byLabel(h, 'Right status'), 'hearing_scheduled')
    type(byLabel(h, 'Information for the client'), 'Court on Tuesday.')
    button(h, 'Save the correction').click()
    await settle()
    expect(office.caseCalls).toContain('correct 1 1 hearing_scheduled 2026-11-20 Court on Tuesday.')
    expect(h.querySelectorAll('.timeline li')).toHaveLength(2)
    expect(h.querySelector('.timeline li.inactive')?.textContent).toContain('corrected')
    expect(root.querySelector('.summary')?.textContent).toContain('Hearing scheduled')

    button(h, `Withdraw Hearing scheduled of ${h.querySelector('.when')?.textContent}`).click()
    await settle()
    button(h, 'Withdraw the entry').click()
    await settle()
    expect(h.querySelector('[role=alert]')?.textContent).toContain('Say why')
    type(byLabel(h, 'Why is it withdrawn?'), 'Set on the wrong case.')
    button(h, 'Withdraw the entry').click()
    await settle()
    expect(office.caseCalls).toContain('withdraw 1 9 Set on the wrong case.')
    expect(document.activeElement?.id).toBe('history-title')
    expect(h.textContent).toContain('withdrawn by Dana Whitfield: Set on the wrong case.')
  })
})

describe('Message attachments', () => {
  it('uploads files, sends them with a portal message, and downloads a client attachment', async () => {
    const office = new Office()
    const theirs = office.addDoc({ name: 'question.pdf', uploaderKind: 'client', uploaderName: 'Amina Haddad', portal: true })
    office.message('See the attached file.', 'portal', [theirs], 'client')
    const root = await openCase(office)
    const msgs = section(root, 'Messages')
    expect(msgs.querySelector('.attachments')?.textContent).toContain('question.pdf')
    button(msgs, 'Download question.pdf').click()
    await settle()
    expect(office.caseCalls).toContain(`download 1 ${theirs.id}`)

    office.choose = [{ name: 'checklist.pdf', size: 5000 }]
    button(msgs, 'Attach files…').click()
    await settle()
    expect(msgs.querySelector('.attached')?.textContent).toContain('checklist.pdf')
    expect(msgs.textContent).toContain('Sending the message shares its files with the client.')
    type(byLabel(msgs, 'Message'), 'Here is the checklist.')
    button(msgs, 'Send message').click()
    await settle()
    const id = office.docs.find((d) => d.name === 'checklist.pdf')!.id
    expect(office.caseCalls).toContain(`sendMessage 1 portal Here is the checklist. [${id}]`)
    expect(msgs.querySelector('.attached')).toBeNull()
    expect(msgs.querySelector('.message .attachments')?.textContent).toContain('checklist.pdf')
  })
})

describe('Case form', () => {
  function form(office: Office, detail?: CaseDetail) {
    const saved: CaseDetail[] = []
    const root = show(CaseForm, { backend: office, detail, onsaved: (d: CaseDetail) => saved.push(d), oncancel: () => {} })
    return { root, saved }
  }

  it('opens a case with its clients and advocate, saying what is missing first', async () => {
    const office = new Office()
    const { root, saved } = form(office)
    await settle()
    expect(document.activeElement?.id).toBe('new-case-number')
    button(root, 'Open the case').click()
    await settle()
    expect(root.textContent).toContain('Give the case its number')
    expect(root.textContent).toContain('Add at least one client')
    expect(root.textContent).toContain('Choose the advocate.')
    expect(office.caseCalls).toEqual([])

    type(byLabel(root, 'Case number'), ' FAM-2026-0001 ')
    type(byLabel(root, 'Case title'), 'Custody')
    type(byLabel(root, 'Find a client'), 'amina')
    button(root, 'Search').click()
    await settle()
    button(root, 'Add Amina Haddad to the case').click()
    await settle()
    expect(root.querySelector('.chosen')?.textContent).toContain('Amina Haddad')
    type(byLabel(root, 'Advocate'), '3')
    button(root, 'Open the case').click()
    await settle()
    expect(office.caseCalls).toEqual(['createCase {"number":"FAM-2026-0001","title":"Custody","clientIds":[1],"kind":"staff","advocateId":3}'])
    expect(saved.map((d) => d.id)).toEqual([500])
  })

  it('takes a pro bono attorney, and shows a refusal', async () => {
    const office = new Office()
    const { root } = form(office)
    await settle()
    type(byLabel(root, 'Case number'), 'TAKEN')
    type(byLabel(root, 'Case title'), 'Eviction')
    type(byLabel(root, 'Find a client'), 'rosa')
    button(root, 'Search').click()
    await settle()
    button(root, 'Add Rosa Quintero to the case').click()
    ;(root.querySelector('input[value=pro_bono]') as HTMLInputElement).click()
    flushSync()
    button(root, 'Open the case').click()
    await settle()
    expect(root.textContent).toContain('Name the outside attorney')
    type(byLabel(root, "Attorney's name"), 'Grace Liu')
    type(byLabel(root, 'Firm (optional)'), 'Liu & Partners')
    button(root, 'Open the case').click()
    await settle()
    expect(office.caseCalls.at(-1)).toBe('createCase {"number":"TAKEN","title":"Eviction","clientIds":[2],"kind":"pro_bono","attorney":{"name":"Grace Liu","firm":"Liu & Partners","phone":"","email":""}}')
    expect(root.querySelector('[role=alert]')?.textContent).toBe('Could not open the case: case number "TAKEN" is taken.')
  })

  it('sends only the fields changed', async () => {
    const office = new Office()
    const detail = await office.getCase(1)
    const { root } = form(office, detail)
    await settle()
    expect(byLabel(root, 'Case title').value).toBe('Asylum application')
    type(byLabel(root, 'Case title'), 'Asylum application (appeal)')
    button(root, 'Save the case').click()
    await settle()
    expect(office.caseCalls).toEqual(['updateCase 1 {"title":"Asylum application (appeal)"}'])
  })
})

describe('Cases filter', () => {
  it('narrows the list to cases with unread client messages and follows new messages live', async () => {
    const { default: CaseList } = await import('./screens/CaseList.svelte')

    const office = new Office()
    office.cases = Array.from({ length: 5 }, (_, i) => ({
      id: i + 1, number: `IMM-000${i + 1}`, title: `Matter ${i + 1}`, kind: 'staff', advocate: '', status: '', statusDate: '', updated: '',
      // The list's default order is the latest activity first: the first case's is the latest.
      activity: new Date(Date.UTC(2026, 10, 1) - i * 60000).toISOString(),
    }))
    office.unread = new Set([2, 4])
    const target = show(CaseList, { backend: office, onopen: () => {} })
    await settle()
    const rows = () => [...target.querySelectorAll('tbody tr')].map((r) => r.querySelector('td')?.textContent?.trim())
    expect(rows()).toHaveLength(5)
    const box = [...target.querySelectorAll('label')].find((l) => l.textContent?.trim() === 'Only cases with unread client messages')?.querySelector('input') as HTMLInputElement
    box.click()
    await settle()
    expect(rows()).toEqual(['IMM-0002', 'IMM-0004'])
    expect(office.caseCalls.at(-1)).toBe('findCases {"query":"","status":"","advocateId":0,"unread":true,"waiting":false,"sort":"activity","order":"desc"} 0 50')
    office.unread.add(5)
    office.emit(EventLive, { id: 3, type: 'message.created', caseId: 5, ref: 1, at: '' })
    await settle()
    expect(rows()).toEqual(['IMM-0002', 'IMM-0004', 'IMM-0005'])
    office.unread = new Set()
    office.emit(EventLive, { id: 4, type: 'message.read', caseId: 2, ref: 1, at: '' })
    await settle()
    expect(target.querySelector('tbody')?.textContent).toContain('No case matches the filters.')

    // Status and advocate, combined with unread and each other.
    box.click()
    await settle()
    office.statusOf = new Map([[1, 'received'], [3, 'hearing_scheduled'], [5, 'hearing_scheduled']])
    office.advocateOf = new Map([[3, 2], [5, 3]])
    type(byLabel(target, 'Status'), 'hearing_scheduled')
    await settle()
    expect(rows()).toEqual(['IMM-0003', 'IMM-0005'])
    type(byLabel(target, 'Advocate'), '3')
    await settle()
    expect(rows()).toEqual(['IMM-0005'])
    expect(office.caseCalls.at(-1)).toBe('findCases {"query":"","status":"hearing_scheduled","advocateId":3,"unread":false,"waiting":false,"sort":"activity","order":"desc"} 0 50')
    type(byLabel(target, 'Status'), '')
    type(byLabel(target, 'Advocate'), '0')
    await settle()
    expect(rows()).toHaveLength(5)
  })
})
