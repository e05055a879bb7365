import { afterEach, describe, expect, it, vi } from 'vitest'
import { activityTotals, backupWords, certificateWords, chart, debounce, niceMax, size, touchesDashboard, weekLabel } from './dashboard'
import { useLang } from './i18n.svelte'
import type { ActivityWeek, BackupState, Certificate } from './dashboardTypes'

const where = { locale: 'en-GB', timeZone: 'UTC' }
const ev = (type: string) => ({ id: 1, type, caseId: 1, ref: 1, at: '' })

describe('the dashboard and live events', () => {
  it('reads again for messages, documents and checklist items only', () => {
    expect(touchesDashboard(ev('message.created'))).toBe(true)
    expect(touchesDashboard(ev('message.read'))).toBe(true)
    expect(touchesDashboard(ev('document.uploaded'))).toBe(true)
    expect(touchesDashboard(ev('document.opened'))).toBe(true) // a colleague opened a waiting upload
    expect(touchesDashboard(ev('request.submitted'))).toBe(true)
    expect(touchesDashboard(ev('status.added'))).toBe(false)
    expect(touchesDashboard(ev('appointment.created'))).toBe(false)
  })

  afterEach(() => vi.useRealTimers())
  it('gathers a burst of events into one read, and a cancelled one never reads', () => {
    vi.useFakeTimers()
    const fn = vi.fn()
    const d = debounce(fn, 500)
    for (let i = 0; i < 10; i++) {
      d.call()
      vi.advanceTimersByTime(100)
    }
    expect(fn).not.toHaveBeenCalled()
    vi.advanceTimersByTime(500)
    expect(fn).toHaveBeenCalledTimes(1)
    d.call()
    d.cancel()
    vi.advanceTimersByTime(1000)
    expect(fn).toHaveBeenCalledTimes(1)
  })
})

describe('the activity chart', () => {
  const weeks: ActivityWeek[] = [
    { week: '2026-11-23', signIns: 10, messages: 5, uploads: 0 },
    { week: '2026-11-30', signIns: 3, messages: 0, uploads: 7 },
  ]
  it('draws one bar per week and series, as tall as its share of a round maximum', () => {
    const c = chart(weeks, 452, 130, 32, 20, 10, 20)
    expect(c.max).toBe(10)
    expect(c.bars).toHaveLength(6)
    const bar = (week: string, key: string) => c.bars.find((b) => b.week === week && b.key === key)!
    expect(bar('2026-11-23', 'signIns').height).toBe(100)
    expect(bar('2026-11-23', 'messages').height).toBe(50)
    expect(bar('2026-11-23', 'uploads').height).toBe(0)
    expect(bar('2026-11-30', 'uploads').y).toBeCloseTo(40)
    expect(bar('2026-11-23', 'signIns').y).toBe(10) // the tallest reaches the top margin
    // Bars stay inside the drawing, between the axis and the right margin, and do not overlap.
    for (const b of c.bars) {
      expect(b.x).toBeGreaterThanOrEqual(32)
      expect(b.x + b.width).toBeLessThanOrEqual(432)
      expect(b.y + b.height).toBe(110)
    }
    expect(bar('2026-11-23', 'messages').x).toBeGreaterThanOrEqual(bar('2026-11-23', 'signIns').x + bar('2026-11-23', 'signIns').width)
    expect(c.ticks.map((t) => t.value)).toEqual([0, 5, 10])
    expect(c.ticks.map((t) => t.y)).toEqual([110, 60, 10])
  })

  it('draws an empty office without dividing by zero, and labels every other week when there are many', () => {
    const empty = Array.from({ length: 12 }, (_, i) => ({ week: `2026-09-${String(i + 1).padStart(2, '0')}`, signIns: 0, messages: 0, uploads: 0 }))
    const c = chart(empty, 400, 120)
    expect(c.bars.every((b) => b.height === 0 && Number.isFinite(b.y))).toBe(true)
    expect(c.labels).toHaveLength(6)
    expect(c.labels[c.labels.length - 1].week).toBe('2026-09-12') // the current week is labelled
    expect(chart(empty, 300, 120).labels).toHaveLength(4) // 360 px: every third week
    expect(chart(empty, 1000, 120).labels).toHaveLength(12)
  })

  it('rounds the scale up to an even number, then 1, 2 or 5 times a power of ten: the half tick is whole', () => {
    expect([0, 1, 3, 5, 7, 10, 11, 19, 21, 99, 101, 4800].map(niceMax)).toEqual([2, 2, 4, 6, 8, 10, 20, 20, 50, 100, 200, 5000])
    expect(weekLabel('2026-11-30', where)).toBe('Week of 30 Nov 2026')
  })
})

describe('the words of the dashboard', () => {
  const cert = (extra: Partial<Certificate>): Certificate => ({
    state: 'valid', domain: 'portal.example', notAfter: '2027-02-01T00:00:00Z', daysLeft: 56, message: '', error: '', staffFingerprint: '', ...extra,
  })
  it('says how long the certificate holds, and asks for attention when renewal is late or it failed', () => {
    expect(certificateWords(cert({}), where)).toEqual({ text: 'Valid for portal.example until 1 Feb 2027, 00:00 (56 days left).', attention: false })
    expect(certificateWords(cert({ daysLeft: 9 }), where).attention).toBe(true)
    expect(certificateWords(cert({ daysLeft: -1 }), where).text).toContain('expired')
    expect(certificateWords(cert({ state: 'failed', message: 'The CA refused: the domain does not point here.' }), where))
      .toEqual({ text: 'The CA refused: the domain does not point here.', attention: true })
    expect(certificateWords(cert({ state: 'off', message: '' }), where).attention).toBe(false)
  })

  const backup = (extra: Partial<BackupState>): BackupState => ({
    available: true, note: '', hasLast: true, finished: '2026-12-07T02:00:00Z', size: 1_400_000, ok: true, error: '', next: '2026-12-08T02:00:00Z', ...extra,
  })
  it('says when the last backup ran, its size and result, and the next', () => {
    expect(backupWords(backup({}), where)).toEqual({
      last: 'Last backup: 7 Dec 2026, 02:00, 1.4 MB, completed.', next: 'Next backup: 8 Dec 2026, 02:00.', attention: false,
    })
    const failed = backupWords(backup({ ok: false, error: 'the backup folder is full: free some space' }), where)
    expect(failed.attention).toBe(true)
    expect(failed.last).toContain('failed: the backup folder is full')
    expect(backupWords(backup({ hasLast: false, next: '' }), where)).toEqual({ last: 'No backup has been made yet.', next: 'Nightly backups are off.', attention: true })
    expect(backupWords(backup({ available: false, note: 'Only an administrator sees the backups.' }), where).last).toBe('Only an administrator sees the backups.')
    expect([0, 999, 1000, 15_300_000, 2_000_000_000].map(size)).toEqual(['0 bytes', '999 bytes', '1.0 KB', '15 MB', '2.0 GB'])
  })
})

describe('the words of the dashboard in Spanish', () => {
  afterEach(() => useLang('en'))
  const es = { locale: 'es-MX', timeZone: 'UTC' }

  it('says the certificate, backups, sizes and weeks in Spanish, with plural forms', () => {
    useLang('es')
    const c: Certificate = { state: 'valid', domain: 'portal.example', notAfter: '2027-02-01T00:00:00Z', daysLeft: 1, message: '', error: '', staffFingerprint: '' }
    expect(certificateWords(c, es).text).toMatch(/^Válido para portal\.example hasta el .* \(queda 1 día\)\.$/)
    expect(certificateWords({ ...c, daysLeft: 30 }, es).text).toMatch(/\(quedan 30 días\)\.$/)
    expect(certificateWords({ ...c, state: 'off' }, es).text).toBe('No hay un dominio configurado: el portal funciona con HTTP simple, sin cifrado.')
    const b: BackupState = { available: true, note: '', hasLast: false, finished: '', size: 0, ok: true, error: '', next: '' }
    expect(backupWords(b, es)).toEqual({ last: 'Todavía no se ha hecho ninguna copia de seguridad.', next: 'Las copias nocturnas están desactivadas.', attention: true })
    expect(size(1_400_000)).toBe('1,4 MB')
    expect(weekLabel('2026-11-30', es)).toMatch(/^Semana del 30 nov/)
    expect(activityTotals([{ week: '2026-11-30', signIns: 1, messages: 0, uploads: 2 }]))
      .toBe('En 1 semana: 1 inicio de sesión, 0 mensajes y 2 documentos de clientes. La tabla de abajo tiene los números por semana.')
  })
})
