// InertOffice: the part of the Go side (Backend) a screen's test does not
// look at, answered the plainest way, over FakeCase's documents, checklist
// and appointments. Each test file's office extends it and overrides only
// what its screens are tested on; events go to the screens' handlers, so a
// test's emit reaches them as the Go side's would.
import { FakeCase } from '../fakeCase'
import type { Backend } from '../lib/backend'
import type {
  CaseDetail, CaseList, HistoryEntry, Message, MessagePage, OfficeInfo, Person, StatusInput, StatusOption,
} from '../lib/types'

export class InertOffice extends FakeCase implements Backend {
  handlers = new Map<string, Set<(d: unknown) => void>>()
  // The role connect answers with (settings' tests log in as other roles).
  role = 'admin'

  emit(name: string, data: unknown) {
    for (const h of this.handlers.get(name) ?? []) h(data)
  }
  on(name: string, handler: (d: unknown) => void): () => void {
    const set = this.handlers.get(name) ?? new Set()
    set.add(handler)
    this.handlers.set(name, set)
    return () => { set.delete(handler) }
  }
  async version() { return 'test' }
  async connect(address: string, _email?: string, _password?: string): Promise<OfficeInfo> {
    return { office: 'Riverside Legal Aid', service: address, staff: 'Dana Whitfield', staffId: 1, role: this.role }
  }
  async logout() {}
  async who(): Promise<OfficeInfo> { throw 'not connected' }
  async listCases(query: string, after: number, limit: number): Promise<CaseList> {
    const found = this.cases.filter((c) => c.id > after && c.number.includes(query.trim()))
    const items = found.slice(0, limit)
    return { items, next: found.length > limit ? items[items.length - 1].id : 0 }
  }
  async getCase(id: number): Promise<CaseDetail> {
    return { ...this.cases[id - 1], clients: [], advocateId: 2, created: '' }
  }
  async staff(): Promise<Person[]> { return [] }
  async statuses(_language: string): Promise<StatusOption[]> { return [] }
  async history(_caseId: number): Promise<HistoryEntry[]> { return [] }
  async setStatus(_caseId: number, _input: StatusInput): Promise<HistoryEntry> { throw 'no' }
  async messages(_caseId: number, _before: number, _limit: number): Promise<MessagePage> { return { items: [], next: 0, unread: 0 } }
  async postMessage(_caseId: number, _body: string, _visibility: string): Promise<Message> { throw 'no' }
  async markRead(_caseId: number): Promise<number> { return 0 }
}
