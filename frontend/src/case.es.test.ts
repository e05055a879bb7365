// The case page in Spanish: each of its parts (summary and status, history,
// messages, appointments, documents with progress, checklist, case form)
// speaks Spanish when the panel does, names the office's statuses in
// Spanish, writes sizes and counts the Spanish way, and turns back to
// English at once. Driven in jsdom against a stand-in for the Go side
// (fakeCase.ts); app/window_i18nb_test.go looks at it in the real window.
import { afterEach, describe, expect, it } from 'vitest'
import CaseForm from './components/case/CaseForm.svelte'
import { EventLive, type CaseDetail, type HistoryEntry, type Message } from './lib/types'
import { useLang } from './lib/i18n.svelte'
import { settle } from './settle'
import { cleanup, openCase, show } from './testing/app'
import { named as button, section } from './testing/dom'
import { InertOffice } from './testing/office'

// The office's statuses in both languages, as the Go side answers
// Statuses(language).
const statusNames: Record<string, Record<string, string>> = {
  received: { en: 'Received', es: 'Recibido' },
  hearing_scheduled: { en: 'Hearing scheduled', es: 'Audiencia programada' },
}

class Office extends InertOffice {
  asked: string[] = []
  entries: HistoryEntry[] = [
    { id: 1, date: '2026-11-20', status: 'received', name: 'Received', info: 'Tenemos su expediente.', setBy: 'Dana Whitfield', created: '',
      active: true, corrects: 0, supersededBy: 0, withdrawnBy: '', withdrawnReason: '' },
  ]
  msgs: Message[] = []

  async listCases() { return { items: [], next: 0 } }
  async getCase(id: number): Promise<CaseDetail> {
    const current = this.entries.find((e) => e.active)
    // The service names the current status in English.
    return { id, number: 'IMM-0001', title: 'Solicitud de asilo', kind: 'staff', advocate: 'Marcus Oyelaran', status: current?.name ?? '',
      statusDate: current?.date ?? '', updated: '', clients: [{ id: 1, name: 'Amina Haddad', email: '' }, { id: 2, name: 'Omar Haddad', email: '' }],
      advocateId: 2, created: '' }
  }
  async staff() { return [{ id: 2, name: 'Marcus Oyelaran', email: '' }] }
  async statuses(language: string) {
    this.asked.push(language)
    return Object.entries(statusNames).map(([id, n]) => ({ id, name: n[language] ?? n.en }))
  }
  async history() { return this.entries.map((e) => ({ ...e })) }
  async setStatus(caseId: number, input: { status: string; date: string }): Promise<HistoryEntry> {
    const e: HistoryEntry = { ...this.entries[0], id: 2, status: input.status, name: statusNames[input.status].en, date: input.date || '2026-12-07' }
    this.entries.forEach((x) => (x.active = false))
    this.entries.unshift(e)
    return { ...e }
  }
  async messages() { return { items: [...this.msgs], next: 0, unread: this.msgs.filter((m) => m.authorKind === 'client').length } }
  async markRead() { return 3 }
}

afterEach(cleanup)

const text = (el: Element | null | undefined) => el?.textContent?.replace(/\s+/g, ' ').trim()

describe('the case page in Spanish', () => {
  it('names the status in Spanish, sets one and corrects the history in Spanish', async () => {
    useLang('es')
    const office = new Office()
    const root = await openCase(office)
    expect(office.asked).toContain('es')
    expect(text(root.querySelector('button.back'))).toBe('← Todos los casos')
    expect(text(root.querySelector('.summary'))).toContain('Estado del caso')
    expect(text(root.querySelector('.summary'))).toContain('Recibido desde el 20 nov 2026')
    expect(text(root.querySelector('.summary'))).toContain('Clientes')
    expect(text(root.querySelector('.summary'))).toContain('Asesor/a')

    const status = section(root, 'Cambiar el estado')
    expect(status).toBeTruthy()
    expect([...status.querySelectorAll('#status-choice option')].map((o) => o.textContent)).toEqual(['Elija…', 'Recibido', 'Audiencia programada'])
    button(status, 'Guardar el estado').click()
    await settle()
    expect(status.querySelector('[role=alert]')?.textContent).toBe('Elija el nuevo estado.')
    const choice = status.querySelector('#status-choice') as HTMLSelectElement
    choice.value = 'hearing_scheduled'
    choice.dispatchEvent(new Event('change', { bubbles: true }))
    button(status, 'Guardar el estado').click()
    await settle()
    expect(status.querySelector('[role=status]')?.textContent).toBe('Estado cambiado a “Audiencia programada” el 7 dic 2026.')
    expect(text(root.querySelector('.summary'))).toContain('Audiencia programada')

    const history = section(root, 'Historial')
    expect(text(history.querySelector('.timeline li'))).toContain('Audiencia programada')
    expect(text(history)).toContain('Puesto por Dana Whitfield')
    expect(text(history)).toContain('los clientes ya no ven este estado')
    button(history, 'Retirar Audiencia programada del 7 dic 2026').click()
    await settle()
    button(history, 'Retirar el estado').click()
    await settle()
    expect(history.querySelector('[role=alert]')?.textContent).toBe('Escriba por qué se retira (el personal lo verá en el historial).')
  })

  it('writes messages in Spanish: counts, plurals and the empty state', async () => {
    useLang('es')
    const office = new Office()
    office.msgs = [1, 2, 3].map((id) => ({ id, authorKind: 'client', authorName: 'Amina Haddad', created: '2026-11-25T10:00:00Z', body: 'Hola',
      visibility: 'portal', read: false, readAt: '', documents: [] }))
    const root = await openCase(office)
    const msgs = section(root, 'Mensajes')
    expect(msgs.querySelector('h2 .badge')?.textContent).toBe('3 sin leer')
    expect(msgs.querySelector('#message-count')?.textContent).toBe('0 de 4000 caracteres')
    expect(text(msgs.querySelector('.choices'))).toContain('Nota interna (solo el personal)')
    expect(msgs.querySelector('ol.messages')?.getAttribute('aria-label')).toBe('Mensajes, del más reciente al más antiguo')
    expect(text(msgs.querySelector('.message'))).toContain('El personal todavía no lo ha leído')
    button(msgs, 'Enviar mensaje').click()
    await settle()
    expect(msgs.querySelector('[role=alert]')?.textContent).toBe('Escriba el mensaje primero.')
    button(msgs, 'Marcar como leídos los mensajes del cliente').click()
    await settle()
    expect(root.querySelector('.visually-hidden[role=status]')?.textContent).toBe('3 mensajes marcados como leídos.')
  })

  it('shows documents and an upload\'s progress in Spanish', async () => {
    useLang('es')
    const office = new Office()
    let release = () => {}
    office.hold = new Promise((r) => (release = r))
    office.choose = [{ name: 'pasaporte.pdf', size: 3_000_000 }, { name: 'acta.pdf', size: 1_000_000 }]
    const root = await openCase(office)
    const docs = section(root, 'Documentos')
    expect(docs.textContent).toContain('Todavía no hay documentos.')
    button(docs, 'Subir archivos…').click()
    await settle()
    const bar = docs.querySelector('progress')!
    // The Go side names a transfer of several files ("2 archivos").
    expect(bar.getAttribute('aria-label')).toBe('Subida de 2 archivos')
    expect(bar.getAttribute('aria-valuetext')).toMatch(/^Subiendo 2 archivos: 2,0 MB de 4,0 MB \(50\s%\)$/)
    expect(button(docs, 'Cancelar la subida')).toBeTruthy()
    release()
    await settle()
    expect(docs.querySelector('[role=status]')?.textContent).toBe('Se subieron 2 archivos.')
    expect(text(docs.querySelector('.documents li'))).toContain('solo el personal')
    expect(text(docs.querySelector('.documents li'))).toContain('3,0 MB')
    button(docs, 'Compartir pasaporte.pdf en el portal').click()
    await settle()
    expect(docs.querySelector('[role=status]')?.textContent).toBe('pasaporte.pdf ya está en el portal.')
    button(docs, 'Descargar pasaporte.pdf').click()
    await settle()
    expect(docs.querySelector('[role=status]')?.textContent).toBe('Se guardó pasaporte.pdf en /home/dana/Documents/copy.pdf (comprobado: el SHA-256 coincide).')
    const d = office.addDoc({ name: 'contrato.jpg', uploaderKind: 'client', uploaderName: 'Amina Haddad' })
    office.emit(EventLive, { id: 5, type: 'document.uploaded', caseId: 1, ref: d.id, at: '' })
    await settle()
    expect(docs.querySelector('h2 .badge')?.textContent).toBe('1 nuevo')
    expect(text(docs.querySelector('[data-new]'))).toContain('Del cliente Amina Haddad')
  })

  it('asks for documents and shows appointments in Spanish', async () => {
    useLang('es')
    const office = new Office()
    const root = await openCase(office)
    const list = section(root, 'Lista de documentos')
    expect(list.textContent).toContain('Todavía no se le ha pedido nada al cliente.')
    button(list, 'Pedir al cliente').click()
    await settle()
    expect(list.querySelector('[role=alert]')?.textContent).toBe('Escriba al menos un documento para pedir.')
    const title = list.querySelector('#request-title-0') as HTMLInputElement
    title.value = 'Copia del contrato'
    title.dispatchEvent(new Event('input', { bubbles: true }))
    button(list, 'Pedir al cliente').click()
    await settle()
    expect(list.querySelector('[role=status]')?.textContent).toBe('Se le pidió al cliente “Copia del contrato”.')
    expect(text(list.querySelector('.items li'))).toContain('Todavía no lo envía')
    expect(text(list.querySelector('.items li'))).toContain('Sin fecha límite')
    expect(button(list, 'Cancelar Copia del contrato')).toBeTruthy()

    const ap = section(root, 'Citas')
    expect(text(ap)).toContain('Horas de New York (America/New_York), la zona horaria de la oficina.')
    expect(text(ap.querySelector('.appointments li'))).toContain('en el portal')
    expect(button(ap, 'Mover o cambiar Hearing').textContent).toBe('Mover o cambiar')
    button(ap, 'Agregar la cita').click()
    await settle()
    expect(text(ap)).toContain('Escriba un título para la cita')
    expect(text(ap)).toContain('Escriba la fecha y la hora de inicio.')
  })

  it('turns the page to Spanish and back without a reload', async () => {
    const office = new Office()
    const root = await openCase(office)
    expect(root.querySelector('#status-title')?.textContent).toBe('Set the status')
    expect(text(root.querySelector('.summary'))).toContain('Received since')
    useLang('es')
    await settle()
    expect(root.querySelector('#status-title')?.textContent).toBe('Cambiar el estado')
    expect(text(root.querySelector('.summary'))).toContain('Recibido desde')
    expect([...root.querySelectorAll('#status-choice option')].map((o) => o.textContent)).toContain('Audiencia programada')
    useLang('en')
    await settle()
    expect(root.querySelector('#status-title')?.textContent).toBe('Set the status')
    expect([...root.querySelectorAll('#status-choice option')].map((o) => o.textContent)).toContain('Hearing scheduled')
  })
})

describe('the case form in Spanish', () => {
  it('says what is missing in Spanish', async () => {
    useLang('es')
    const target = show(CaseForm, { backend: new Office(), onsaved: () => {}, oncancel: () => {} })
    await settle()
    expect(target.querySelector('h2')?.textContent).toBe('Abrir un caso')
    expect(text(target.querySelector('fieldset.choices'))).toContain('Un asesor de la oficina')
    button(target, 'Abrir el caso').click()
    await settle()
    expect(text(target)).toContain('Escriba el número del caso, por ejemplo IMM-2026-0142.')
    expect(text(target)).toContain('Agregue al menos un cliente')
    expect(text(target)).toContain('Elija el asesor.')
  })
})
