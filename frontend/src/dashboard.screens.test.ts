// The dashboard driven as a person would in jsdom, against FakeClients
// (which carries FakeDashboard): the figures and lists, a case opened from
// a waiting message, live events gathered into one read, and the service's
// Start, Stop and Restart with a refusal for want of rights. The real Go
// side is tested against the real service in app/dashboard_test.go, and the
// two together in the real window (app/window_dashboard_test.go).
import { flushSync } from 'svelte'
import { afterEach, describe, expect, it } from 'vitest'
import Dashboard from './screens/Dashboard.svelte'
import { EventLive, EventLiveReload } from './lib/types'
import { useLang } from './lib/i18n.svelte'
import { settle } from './settle'
import { cleanup, show } from './testing/app'
import { button } from './testing/dom'
import { InertOffice } from './testing/office'

// The dashboard's part of the Go side is FakeDashboard's (through
// FakeClients); the rest is inert.
class Office extends InertOffice {}

afterEach(cleanup)

function start(office: Office, opened: number[] = []) {
  const root = show(Dashboard, { backend: office, onopencase: (id: number) => opened.push(id), liveWait: 30, refreshEvery: 60_000 })
  flushSync()
  return root
}

const text = (root: HTMLElement, sel: string) => root.querySelector(sel)?.textContent?.trim() ?? ''

function busyOffice(): Office {
  const office = new Office()
  const s = office.summary
  s.clientsOnline = 2
  s.messagesTotal = 23
  s.messages = [{ id: 90, caseId: 7, caseNumber: 'HOU-2026-0317', caseTitle: 'Eviction defense', authorName: 'José Ramírez',
    created: '2026-12-07T09:00:00Z', excerpt: 'Here is my new address.' }]
  s.uploadsTotal = 2
  s.uploads = [
    { kind: 'request', id: 4, caseId: 8, caseNumber: 'FAM-2026-0058', caseTitle: 'Family petition', title: 'Copy of your lease', at: '2026-12-07T08:00:00Z', files: 2 },
    { kind: 'document', id: 31, caseId: 7, caseNumber: 'HOU-2026-0317', caseTitle: 'Eviction defense', title: 'notice.pdf', at: '2026-12-06T08:00:00Z', files: 1 },
  ]
  s.outboxFailed = 1
  s.certificate.staffFingerprint = 'D0EF 8574 661A 9E0C 1C07 6608 6464 EA5F AEA9 A232 7EA9 CADE FFD1 D836 C2A7 87E4'
  s.outboxFailures = [{ id: 3, to: 'jose@example.org', kind: 'notice', lastError: '550 mailbox unavailable', attempts: 5, nextTry: '', created: '' }]
  return office
}

describe('Dashboard', () => {
  it('shows the figures, what waits with its case, the certificate, the backups and the activity as a chart and a table', async () => {
    const opened: number[] = []
    const root = start(busyOffice(), opened)
    await settle()
    expect(text(root, 'h1')).toBe('Dashboard')
    expect(text(root, '#clients-online')).toBe('2')
    expect(text(root, '#messages-waiting')).toBe('23')
    expect(text(root, '#uploads-waiting')).toBe('2')
    expect(text(root, '#outbox-failed')).toBe('1')
    expect(text(root, '#messages-list')).toContain('Here is my new address.')
    expect(root.textContent).toContain('The 1 newest of 23.')
    expect(text(root, '#uploads-list')).toContain('Checklist item, 2 files to accept or return')
    expect(text(root, '#uploads-list')).toContain('Document, not opened yet')
    expect(text(root, '#outbox-list')).toContain('The mail server said: 550 mailbox unavailable')
    expect(text(root, '#outbox-list')).toContain('given up')
    expect(text(root, '#certificate')).toMatch(/^Valid for portal\.riverside\.example until .* \(56 days left\)\.$/)
    // The staff listener's fingerprint, four groups a row, as an office PC shows it.
    expect([...root.querySelectorAll('#staff-fingerprint .fp-row')].map((r) => r.textContent?.trim())).toEqual([
      'D0EF 8574 661A 9E0C', '1C07 6608 6464 EA5F', 'AEA9 A232 7EA9 CADE', 'FFD1 D836 C2A7 87E4'])
    expect(text(root, '#backup-last')).toMatch(/^Last backup: .*, 1\.4 MB, completed\.$/)
    // 12 weeks × 3 series; the same numbers in the table, with a header per row.
    expect(root.querySelectorAll('svg rect')).toHaveLength(36)
    expect(root.querySelector('svg')?.getAttribute('role')).toBe('img')
    expect(root.querySelector('svg')?.getAttribute('aria-label')).toBe(
      'Over 12 weeks: 66 sign-ins, 12 messages and 6 uploads from clients. The table below has the numbers per week.')
    const rows = [...root.querySelectorAll('#activity-table tbody tr')]
    expect(rows).toHaveLength(12)
    expect(rows[11].querySelector('th')?.getAttribute('scope')).toBe('row')
    expect([...rows[11].querySelectorAll('td')].map((td) => td.textContent)).toEqual(['11', '2', '1'])
    // No inline style anywhere (the window's CSP refuses them).
    expect(root.querySelector('[style]')).toBeNull()

    button(root, 'HOU-2026-0317: Eviction defense').click()
    button(root, 'FAM-2026-0058: Family petition').click()
    expect(opened).toEqual([7, 8])
  })

  it('says when nothing waits', async () => {
    const root = start(new Office())
    await settle()
    expect(root.textContent).toContain('No client message is waiting: every one has been read.')
    expect(root.textContent).toContain('No client upload is waiting.')
    expect(root.querySelector('#outbox-list')).toBeNull()
    expect(root.querySelector('#staff-fingerprint')).toBeNull() // no staff listener
  })

  it('reads once after a burst of live events, ignores events that do not concern it, and announces what arrived', async () => {
    const office = new Office()
    const root = start(office)
    await settle()
    const reads = () => office.dashboardCalls.filter((c) => c === 'dashboard').length
    expect(reads()).toBe(1)
    office.emit(EventLive, { id: 1, type: 'status.added', caseId: 1, ref: 1, at: '' })
    await settle(60)
    expect(reads()).toBe(1)

    office.summary.messagesTotal = 1
    office.summary.messages = [{ id: 5, caseId: 1, caseNumber: 'IMM-0001', caseTitle: 'Asylum', authorName: 'Amina', created: '', excerpt: 'Hello' }]
    for (let i = 0; i < 5; i++) office.emit(EventLive, { id: 2 + i, type: 'message.created', caseId: 1, ref: 5, at: '' })
    await settle(80)
    expect(reads()).toBe(2)
    expect(text(root, '#messages-waiting')).toBe('1')
    expect(text(root, '[role=status][aria-live]')).toBe('A new client message is waiting.')

    office.emit(EventLiveReload, null)
    await settle(80)
    expect(reads()).toBe(3)
  })

  it('shows a read that failed with a way to try again', async () => {
    const office = new Office()
    office.dashboard = async () => { throw 'could not read the dashboard: cannot reach the service at http://127.0.0.1:8080' }
    const root = start(office)
    await settle()
    expect(text(root, '[role=alert]')).toContain('cannot reach the service')
    expect(button(root, 'Try again')).toBeTruthy()
  })
})

describe('the service on this computer', () => {
  it('offers no control where the service is not installed', async () => {
    const root = start(new Office())
    await settle()
    expect(text(root, '#service-state')).toBe('The portal service is not installed on this computer.')
    expect([...root.querySelectorAll('button')].map((b) => b.textContent?.trim())).not.toContain('Start')
  })

  it('starts, asks before stopping, restarts, and says plainly when administrator rights are missing', async () => {
    const office = new Office()
    office.service = { installed: true, state: 'stopped', platform: 'unix-systemv', message: 'The portal service is installed on this computer but stopped.' }
    const root = start(office)
    await settle()
    expect(button(root, 'Start').disabled).toBe(false)
    expect(button(root, 'Stop').disabled).toBe(true)
    expect(button(root, 'Restart').disabled).toBe(true)
    expect(root.textContent).toContain('needs administrator rights')

    button(root, 'Start').click()
    await settle()
    expect(text(root, '#service-state')).toContain('Running')
    expect(root.textContent).toContain('The service is started.')
    expect(button(root, 'Start').disabled).toBe(true)

    button(root, 'Stop').click()
    flushSync()
    expect(office.dashboardCalls).not.toContain('stopService')
    expect(root.textContent).toContain('Stop the portal service?')
    button(root, 'Cancel').click()
    flushSync()
    button(root, 'Stop').click()
    flushSync()
    button(root, 'Stop the service').click()
    await settle()
    expect(office.dashboardCalls.filter((c) => c.endsWith('Service') && c !== 'serviceState')).toEqual(['startService', 'stopService'])
    expect(text(root, '#service-state')).toContain('Stopped')

    office.refuse = 'could not start the service: the service manager refused. Starting and stopping the service needs administrator rights: open the control panel as root (sudo)'
    button(root, 'Start').click()
    await settle()
    expect(text(root, '[role=alert]')).toContain('needs administrator rights')
    expect(text(root, '#service-state')).toContain('Stopped')
  })
})

describe('the dashboard in Spanish', () => {
  afterEach(() => useLang('en'))

  it('says everything in Spanish, with Spanish plural forms, and switches back at once', async () => {
    useLang('es')
    const office = busyOffice()
    office.summary.outboxFailures[0].attempts = 1
    const root = start(office)
    await settle()
    expect(text(root, 'h1')).toBe('Panel')
    expect(root.querySelector('dl.figures')?.getAttribute('aria-label')).toBe('Resumen')
    expect(text(root, '#messages-title')).toBe('Mensajes de clientes sin leer')
    expect(root.textContent).toContain('El 1 más reciente de 23.')
    expect(text(root, '#uploads-list')).toContain('Documento pedido, 2 archivos para aceptar o devolver')
    expect(text(root, '#uploads-list')).toContain('Documento, todavía sin abrir')
    expect(text(root, '#outbox-list')).toContain('Para jose@example.org')
    expect(text(root, '#outbox-list')).toContain('1 intento ·')
    expect(text(root, '#outbox-list')).toContain('El servidor de correo respondió: 550 mailbox unavailable')
    expect(text(root, '#certificate')).toMatch(/^Válido para portal\.riverside\.example hasta el .* \(quedan 56 días\)\.$/)
    expect(text(root, '#backup-last')).toMatch(/^Última copia: .*, 1,4 MB, completada\.$/)
    expect(text(root, '#activity-title')).toBe('Actividad de clientes, últimas 12 semanas')
    expect(root.querySelector('svg')?.getAttribute('aria-label')).toBe(
      'En 12 semanas: 66 inicios de sesión, 12 mensajes y 6 documentos de clientes. La tabla de abajo tiene los números por semana.')
    expect([...root.querySelectorAll('#activity-table thead th')].map((th) => th.textContent)).toEqual(['Semana', 'Inicios de sesión', 'Mensajes', 'Documentos'])
    expect(root.querySelector('#activity-table tbody th')?.textContent).toMatch(/^Semana del /)
    expect(button(root, 'Actualizar')).toBeTruthy()

    useLang('en')
    flushSync()
    expect(text(root, 'h1')).toBe('Dashboard')
    expect(root.querySelector('dl.figures')?.getAttribute('aria-label')).toBe('At a glance')
  })

  it('asks before stopping the service, in Spanish', async () => {
    useLang('es')
    const office = new Office()
    office.service = { installed: true, state: 'running', platform: 'unix-systemv', message: '' }
    const root = start(office)
    await settle()
    expect(text(root, '#service-state')).toBe('En marcha')
    expect(root.textContent).toContain('se necesitan permisos de administrador')
    button(root, 'Detener').click()
    flushSync()
    expect(text(root, '#stop-question')).toMatch(/^¿Detener el servicio del portal\?/)
    button(root, 'Detener el servicio').click()
    await settle()
    expect(text(root, '#service-state')).toMatch(/^Detenido/)
    expect(root.textContent).toContain('El servicio está detenido.')
  })
})
