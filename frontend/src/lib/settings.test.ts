import { describe, expect, it } from 'vitest'
import { addStatus, auditAction, bytes, checkColor, checkStatuses, checkTime, checkWhole, contrast, isNist, moveStatus, nistPolicy, refusal, statusId } from './settings'
import type { Status } from './settingsTypes'
import { errorText } from './errors'

const list = (): Status[] => [
  { id: 'received', names: { en: 'Received', es: 'Recibido' } },
  { id: 'filed', names: { en: 'Filed', es: 'Presentado' } },
  { id: 'closed', names: { en: 'Closed', es: 'Cerrado' }, retired: true },
]

describe('refusal', () => {
  it('puts a refusal naming a field beside that field', () => {
    const sent = new Error(JSON.stringify({ message: 'could not save the colour: too light', field: 'color' }))
    expect(refusal(sent)).toEqual({ field: 'color', text: 'Could not save the colour: too light.' })
    expect(errorText(sent)).toBe('Could not save the colour: too light.')
    expect(refusal('{"message": broken')).toEqual({ field: '', text: '{"message": broken.' })
  })
  it('keeps other refusals for the whole form', () => {
    expect(refusal('could not save: only an administrator can do this')).toEqual({ field: '', text: 'Could not save: only an administrator can do this.' })
    expect(refusal(new Error('boom'))).toEqual({ field: '', text: 'Boom.' })
  })
})

describe('the status list', () => {
  it('moves a status up and down, never past the ends, without changing the old list', () => {
    const l = list()
    expect(moveStatus(l, 1, -1).map((s) => s.id)).toEqual(['filed', 'received', 'closed'])
    expect(moveStatus(l, 1, 1).map((s) => s.id)).toEqual(['received', 'closed', 'filed'])
    expect(moveStatus(l, 0, -1)).toBe(l)
    expect(moveStatus(l, 2, 1)).toBe(l)
    expect(l.map((s) => s.id)).toEqual(['received', 'filed', 'closed'])
  })
  it('makes a new status an id from its English name, unique in the list', () => {
    expect(statusId(list(), 'Hearing set')).toBe('hearing_set')
    expect(statusId(list(), '  Filed ')).toBe('filed_2')
    expect(statusId(list(), 'Decisión final!')).toBe('decision_final')
    expect(statusId(list(), '¿?')).toBe('status')
    const added = addStatus(list(), ' Hearing set ', ' Audiencia fijada ')
    expect(added.at(-1)).toEqual({ id: 'hearing_set', names: { en: 'Hearing set', es: 'Audiencia fijada' } })
  })
  it('asks for both names and refuses two live statuses of one name', () => {
    const l = list()
    l[1].names.es = ' '
    l.push({ id: 'received_2', names: { en: 'received', es: 'Recibido' } })
    l.push({ id: 'closed_2', names: { en: 'Closed', es: 'Cerrado' } }) // the other "Closed" is retired: fine
    expect(checkStatuses(l)).toEqual(['Two statuses are called “Received”: rename one.', 'Give the status a Spanish name (clients reading in Spanish see it).', '',
      'Two statuses are called “received”: rename one.', ''])
    expect(checkStatuses([{ id: 'x', names: { en: '', es: 'x' } }])).toEqual(['Give the status an English name.'])
  })
})

describe('checks', () => {
  it('knows the NIST preset', () => {
    expect(isNist(nistPolicy)).toBe(true)
    expect(isNist({ ...nistPolicy, min_digit: 1 })).toBe(false)
    expect(isNist({ ...nistPolicy, min_length: 10 })).toBe(false)
  })
  it('measures white text on a colour as WCAG does', () => {
    expect(contrast('#000000')).toBeCloseTo(21, 1)
    expect(contrast('#ffffff')).toBeCloseTo(1, 2)
    expect(contrast('#1d4f91')).toBeGreaterThan(4.5)
    expect(contrast('#ffff00')).toBeLessThan(4.5)
    expect(contrast('blue')).toBe(0)
    expect(checkColor('')).toBe('')
    expect(checkColor('#1D4F91')).toBe('')
    expect(checkColor('#1d4f9')).toMatch(/six hexadecimal digits/)
  })
  it('checks times and whole numbers', () => {
    expect(checkTime('02:30')).toBe('')
    expect(checkTime('23:59')).toBe('')
    for (const bad of ['24:00', '2:30', '02:60', 'noon']) expect(checkTime(bad)).toMatch(/HH:MM/)
    expect(checkWhole(5, 1, 365, 'Keep')).toBe('')
    expect(checkWhole(0, 1, 365, 'Keep')).toBe('Keep: give a whole number from 1 to 365.')
    expect(checkWhole(1.5, 1, 365, 'Keep')).not.toBe('')
    expect(checkWhole(NaN, 1, 365, 'Keep')).not.toBe('')
  })
  it('says sizes and actions in words', () => {
    expect(bytes(512)).toBe('512 bytes')
    expect(bytes(3_400_000)).toBe('3.2 MB')
    expect(auditAction('client.two_factor_reset')).toBe('Second factor reset')
    expect(auditAction('case.something_new')).toBe('case.something_new')
  })
})
