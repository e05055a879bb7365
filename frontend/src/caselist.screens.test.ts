// The case list's filters, sort buttons and paging, driven as a person would
// in jsdom through App (so coming back from a case is App's real navigation)
// against a stand-in for the Go side (fakeCase.ts sorts and filters as the
// service does). The real Go side is tested in app/cases_sort_test.go, and the
// two together in app/window_caselist_test.go.
import { afterEach, describe, expect, it } from 'vitest'
import { useLang } from './lib/i18n.svelte'
import { EventLive, type CaseDetail, type CaseRow, type OfficeInfo } from './lib/types'
import { settle } from './settle'
import { cleanup, logIn } from './testing/app'
import { button, byLabel } from './testing/dom'
import { InertOffice } from './testing/office'

const names = ['Zoe Ortiz', 'Ana Ruiz', 'Bruno Díaz', 'Carla Núñez', 'Óscar Peña']

class Office extends InertOffice {
  connected = false

  constructor(n: number) {
    super()
    this.cases = Array.from({ length: n }, (_, i): CaseRow => ({
      id: i + 1, number: `IMM-${String(i + 1).padStart(4, '0')}`, title: `Matter ${i + 1}`, kind: 'staff', advocate: 'Marcus Oyelaran',
      status: 'Received', statusDate: '2026-11-01', updated: '', clientNames: `${names[i % names.length]} ${String(i + 1).padStart(3, '0')}`,
      opened: new Date(Date.UTC(2026, 0, 1) + i * 86400000).toISOString(),
      activity: new Date(Date.UTC(2026, 10, 1) - ((i * 7) % n) * 60000).toISOString(),
    }))
  }
  async connect(): Promise<OfficeInfo> {
    this.connected = true
    return { office: 'Riverside Legal Aid', service: 'http://127.0.0.1:8080', staff: 'Dana Whitfield', staffId: 1, role: 'admin' }
  }
  async logout() { this.connected = false }
  async who(): Promise<OfficeInfo> {
    if (!this.connected) throw 'not connected'
    return { office: 'Riverside Legal Aid', service: 'http://127.0.0.1:8080', staff: 'Dana Whitfield', staffId: 1, role: 'admin' }
  }
  async listCases(): Promise<never> { throw 'the case list sorts: it calls findCases' }
  async getCase(id: number): Promise<CaseDetail> {
    const row = this.cases.find((c) => c.id === id)!
    return { ...row, clients: [{ id: 1, name: row.clientNames ?? '', email: '' }], advocateId: 2, created: '' }
  }
  async staff() { return [{ id: 2, name: 'Marcus Oyelaran', email: '' }] }
  async statuses(language: string) {
    this.caseCalls.push(`statuses ${language}`)
    return [{ id: 'received', name: language === 'es' ? 'Recibido' : 'Received' }]
  }
  async appointments() { return [] }
}

afterEach(cleanup)

// header is a column's header cell; its sort button is inside.
function header(root: HTMLElement, name: string): HTMLTableCellElement {
  const th = [...root.querySelectorAll('thead th')].find((x) => x.querySelector('button')?.textContent?.replace(/[▲▼↕]/g, '').trim() === name)
  if (!th) throw new Error(`no sortable column ${name}`)
  return th as HTMLTableCellElement
}

const numbers = (root: HTMLElement) => [...root.querySelectorAll('tbody tr')].map((r) => r.querySelector('td')?.textContent?.trim())
const clients = (root: HTMLElement) => [...root.querySelectorAll('tbody tr')].map((r) => r.querySelectorAll('td')[1]?.firstChild?.textContent?.trim())

async function open(office: Office) {
  const root = await logIn(office)
  button(root, 'Cases').click()
  await settle()
  return root
}

describe('Case list order and filters', () => {
  it('sorts by a column header both ways with aria-sort, pages in that order, and keeps it all across a visit to a case', async () => {
    const office = new Office(60)
    const root = await open(office)
    // The latest activity first (case 1's is the latest).
    expect(header(root, 'Last activity').getAttribute('aria-sort')).toBe('descending')
    expect(header(root, 'Client').getAttribute('aria-sort')).toBe('none')
    expect(numbers(root)[0]).toBe('IMM-0001')

    header(root, 'Client').querySelector('button')!.click()
    await settle()
    expect(header(root, 'Client').getAttribute('aria-sort')).toBe('ascending')
    expect(header(root, 'Last activity').getAttribute('aria-sort')).toBe('none')
    const firstPage = clients(root)
    expect(firstPage).toHaveLength(50)
    expect(firstPage.slice(0, 2)).toEqual(['Ana Ruiz 002', 'Ana Ruiz 007'])
    expect(root.querySelector('[role=status][aria-live]')?.textContent).toBe('Sorted by client name, A to Z. Page 1: 50 cases.')
    expect(byLabel<HTMLSelectElement>(root, 'Sort by').value).toBe('client')

    button(root, 'Next page').click()
    await settle()
    expect(clients(root)).toHaveLength(10)
    const last = office.caseCalls.at(-1)!
    expect(last).toContain('"sort":"client","order":"asc"')
    expect(last.endsWith(` ${office.cases.find((c) => c.clientNames === firstPage[49])!.id} 50`)).toBe(true)

    header(root, 'Client').querySelector('button')!.click()
    await settle()
    expect(header(root, 'Client').getAttribute('aria-sort')).toBe('descending')
    expect(clients(root)[0]).toBe('Zoe Ortiz 056')
    expect(root.querySelector('.pager span')?.textContent).toBe('Page 1')

    // Documents waiting for staff, with the order kept.
    office.uploadsWaiting = new Set([3, 8, 13])
    byLabel(root, 'Only cases with documents waiting for staff').click()
    await settle()
    expect(clients(root)).toEqual(['Bruno Díaz 013', 'Bruno Díaz 008', 'Bruno Díaz 003'])
    expect(office.caseCalls.at(-1)).toBe('findCases {"query":"","status":"","advocateId":0,"unread":false,"waiting":true,"sort":"client","order":"desc"} 0 50')

    // Open a case and come back: same filter, order and rows.
    button(root, 'IMM-0008').click()
    await settle()
    expect(root.querySelector('h1')?.textContent).toContain('IMM-0008')
    button(root, '← All cases').click()
    await settle()
    expect(header(root, 'Client').getAttribute('aria-sort')).toBe('descending')
    expect(byLabel(root, 'Only cases with documents waiting for staff').checked).toBe(true)
    expect(clients(root)).toEqual(['Bruno Díaz 013', 'Bruno Díaz 008', 'Bruno Díaz 003'])

    // A client upload elsewhere adds a row live.
    office.uploadsWaiting.add(23)
    office.emit(EventLive, { id: 1, type: 'document.uploaded', caseId: 23, ref: 1, at: '' })
    await settle()
    expect(clients(root)).toEqual(['Bruno Díaz 023', 'Bruno Díaz 013', 'Bruno Díaz 008', 'Bruno Díaz 003'])
  })

  it('sorts with the narrow screen\'s fields too, and the sort buttons work from the keyboard', async () => {
    const office = new Office(8)
    const root = await open(office)
    const sortField = byLabel<HTMLSelectElement>(root, 'Sort by')
    sortField.value = 'opened'
    sortField.dispatchEvent(new Event('change', { bubbles: true }))
    await settle()
    expect(numbers(root)[0]).toBe('IMM-0008')
    expect(header(root, 'Opened').getAttribute('aria-sort')).toBe('descending')
    const order = byLabel<HTMLSelectElement>(root, 'Order')
    expect([...order.options].map((o) => o.textContent)).toEqual(['Newest first', 'Oldest first'])
    order.value = 'asc'
    order.dispatchEvent(new Event('change', { bubbles: true }))
    await settle()
    expect(numbers(root)[0]).toBe('IMM-0001')
    expect(header(root, 'Opened').getAttribute('aria-sort')).toBe('ascending')
    // A real <button>: Enter and Space press it, and it takes focus.
    const b = header(root, 'Number').querySelector('button')!
    expect(b.tagName).toBe('BUTTON')
    expect(b.getAttribute('type')).toBe('button')
  })

  it('speaks Spanish: columns, fields, directions and what a screen reader hears', async () => {
    const office = new Office(3)
    const root = await open(office)
    useLang('es')
    await settle()
    expect(root.querySelector('h1')?.textContent).toBe('Casos')
    expect(office.caseCalls).toContain('statuses es')
    expect([...root.querySelectorAll('#filter-status option')].map((o) => o.textContent)).toEqual(['Cualquier estado', 'Recibido'])
    header(root, 'Cliente').querySelector('button')!.click()
    await settle()
    expect(header(root, 'Cliente').getAttribute('aria-sort')).toBe('ascending')
    expect(root.querySelector('[role=status][aria-live]')?.textContent).toBe('Ordenado por nombre del cliente, de la A a la Z. Página 1: 3 casos.')
    const order = byLabel<HTMLSelectElement>(root, 'Orden')
    expect([...order.options].map((o) => o.textContent)).toEqual(['De la A a la Z', 'De la Z a la A'])
    expect(byLabel(root, 'Solo casos con documentos pendientes de revisar').type).toBe('checkbox')
    expect(root.querySelector('caption')?.textContent).toBe('Casos, página 1. Ordenado por nombre del cliente, de la A a la Z.')
  })
})
