import { describe, expect, it } from 'vitest'
import { errorText } from './errors'
import { checkConnect, checkDate } from './forms'
import { day, moment, span, today } from './format'
import { partsFor, touchesList } from './live'
import { checkMessage, maxMessage, merge, newFromClients } from './messages'
import { back, current, firstPage, forward, hasNext, hasPrevious, loaded, pageNumber } from './paging'
import type { LiveEvent, Message } from './types'

describe('paging through cursors', () => {
  it('walks forward and back, keeping the cursors of the pages seen', () => {
    let p = firstPage()
    expect([current(p), pageNumber(p), hasPrevious(p), hasNext(p)]).toEqual([0, 1, false, false])
    p = loaded(p, 50)
    expect(hasNext(p)).toBe(true)
    p = forward(p)
    expect([current(p), pageNumber(p), hasNext(p), hasPrevious(p)]).toEqual([50, 2, false, true])
    p = forward(loaded(p, 100))
    expect(current(p)).toBe(100)
    p = loaded(p, 0) // the last page
    expect(forward(p)).toBe(p)
    p = back(p)
    expect([current(p), pageNumber(p)]).toEqual([50, 2])
    p = back(back(p))
    expect([current(p), pageNumber(p), hasPrevious(p)]).toEqual([0, 1, false])
  })
})

const msg = (id: number, authorKind = 'staff', extra: Partial<Message> = {}): Message => ({
  id, authorKind, authorName: authorKind === 'client' ? 'Amina Haddad' : 'Marcus', created: '2026-11-25T10:00:00Z',
  body: `m${id}`, visibility: 'portal', read: false, readAt: '', ...extra,
})

describe('messages', () => {
  it('merges pages newest first, one of each, the fresher copy winning', () => {
    const shown = [msg(5), msg(3), msg(2)]
    const fresh = [msg(7, 'client'), msg(6), msg(5, 'staff', { read: true })]
    const got = merge(shown, fresh)
    expect(got.map((m) => m.id)).toEqual([7, 6, 5, 3, 2])
    expect(got.find((m) => m.id === 5)?.read).toBe(true)
  })
  it('finds the client messages that arrived', () => {
    expect(newFromClients([msg(5)], [msg(7, 'client'), msg(6), msg(5)]).map((m) => m.id)).toEqual([7])
  })
  it('checks a message before sending', () => {
    expect(checkMessage('  \n ')).toMatch(/write the message/i)
    expect(checkMessage('hello')).toBe('')
    expect(checkMessage('é'.repeat(maxMessage))).toBe('')
    expect(checkMessage('x'.repeat(maxMessage + 1))).toMatch(/4,001 characters long; the most is 4,000/)
  })
})

describe('live events', () => {
  const ev = (type: string, caseId = 7): LiveEvent => ({ id: 1, type, caseId, ref: 2, at: '' })
  it('says which parts of a case page to read again', () => {
    expect([...partsFor(ev('message.created'), 7)]).toEqual(['messages'])
    expect([...partsFor(ev('message.read'), 7)]).toEqual(['messages'])
    expect([...partsFor(ev('status.added'), 7)].sort()).toEqual(['case', 'history'])
    expect([...partsFor(ev('appointment.cancelled'), 7)]).toEqual(['appointments'])
    expect(partsFor(ev('message.created', 8), 7).size).toBe(0)
    expect([...partsFor(ev('document.uploaded'), 7)]).toEqual(['documents'])
    expect([...partsFor(ev('request.submitted'), 7)]).toEqual(['requests', 'documents'])
  })
  it('tells whether the case list shows an affected case', () => {
    expect(touchesList(ev('status.added'), [3, 7])).toBe(true)
    expect(touchesList(ev('status.added'), [3])).toBe(false)
    expect(touchesList(ev('message.created'), [7])).toBe(false)
  })
})

describe('forms', () => {
  it('names every missing field of the Connect form', () => {
    expect(checkConnect({ address: ' ', email: '', password: '' })).toEqual({
      address: expect.stringMatching(/address/), email: expect.stringMatching(/email/), password: expect.stringMatching(/password/),
    })
    expect(checkConnect({ address: 'portal.example.org', email: 'dana', password: 'x' }).email).toMatch(/"dana" is not an email/)
    expect(checkConnect({ address: 'portal.example.org', email: ' dana@example.org ', password: 'x' })).toEqual({})
  })
  it('checks a status date', () => {
    expect(checkDate('')).toBe('')
    expect(checkDate('2026-02-28')).toBe('')
    expect(checkDate('2026-02-30')).toMatch(/not a date/)
    expect(checkDate('28/02/2026')).toMatch(/YYYY-MM-DD/)
  })
})

describe('error text', () => {
  it('shows the Go side\'s words as a sentence', () => {
    expect(errorText('could not log in: the email or password is not correct')).toBe('Could not log in: the email or password is not correct.')
    expect(errorText(new Error('not connected!'))).toBe('Not connected!')
    expect(errorText({ message: 'x' })).toBe('X.')
    expect(errorText(undefined)).toMatch(/try again/i)
    expect(errorText('  ')).toMatch(/try again/i)
  })
})

describe('dates', () => {
  const where = { locale: 'en-GB', timeZone: 'America/New_York' }
  it('formats dates and times in the given zone', () => {
    expect(day('2026-11-05', where)).toBe('5 Nov 2026')
    expect(day('bad', where)).toBe('bad')
    expect(moment('2026-12-01T14:00:00Z', where)).toBe('1 Dec 2026, 09:00')
    expect(span('2026-12-01T14:00:00Z', '2026-12-01T15:30:00Z', where)).toBe('1 Dec 2026, 09:00 – 10:30')
    expect(span('2026-12-01T14:00:00Z', '2026-12-02T15:00:00Z', where)).toBe('1 Dec 2026, 09:00 – 2 Dec 2026, 10:00')
    expect(today(new Date(2026, 0, 9))).toBe('2026-01-09')
  })
})
