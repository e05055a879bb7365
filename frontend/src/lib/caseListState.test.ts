import { describe, expect, it } from 'vitest'
import {
  ariaSort, defaultOrder, filterOf, filtered, initialListState, isSortKey, reloads, sortBy, withOrder,
} from './caseListState'
import { forward, loaded, pageNumber } from './paging'

describe('case list state', () => {
  it('starts with every case, the latest activity first, on page 1', () => {
    const s = initialListState()
    expect([s.sort, s.order, pageNumber(s.pager), filtered(s)]).toEqual(['activity', 'desc', 1, false])
    expect(filterOf(s, '  ramírez ')).toEqual({
      query: 'ramírez', status: '', advocateId: 0, unread: false, waiting: false, sort: 'activity', order: 'desc',
    })
  })

  it('turns a column round when pressed again, starts another in its own direction, and goes back to page 1', () => {
    let s = initialListState()
    s = { ...s, pager: forward(loaded(s.pager, 50)) }
    expect(pageNumber(s.pager)).toBe(2)
    s = sortBy(s, 'client')
    expect([s.sort, s.order, pageNumber(s.pager)]).toEqual(['client', 'asc', 1])
    s = sortBy(s, 'client')
    expect([s.sort, s.order]).toEqual(['client', 'desc'])
    s = sortBy(s, 'opened')
    expect([s.sort, s.order]).toEqual(['opened', 'desc'])
    s = sortBy(s, 'activity')
    expect([s.sort, s.order]).toEqual(['activity', 'desc'])
    s = sortBy(s, 'activity')
    expect([s.sort, s.order]).toEqual(['activity', 'asc'])
    expect(['activity', 'number', 'client', 'status', 'opened'].map((k) => isSortKey(k) && defaultOrder(k)))
      .toEqual(['desc', 'asc', 'asc', 'asc', 'desc'])
    expect(isSortKey('title')).toBe(false)
  })

  it('says the sorted column and its direction in aria-sort, and none on the others', () => {
    const s = withOrder(initialListState(), 'number', 'asc')
    expect(ariaSort(s, 'number')).toBe('ascending')
    expect(ariaSort(s, 'client')).toBe('none')
    expect(ariaSort(sortBy(s, 'number'), 'number')).toBe('descending')
  })

  it('keeps the filters when the order changes, and counts any of them as filtering', () => {
    const s = { ...initialListState(), waiting: true, status: 'received' }
    expect(filtered(s)).toBe(true)
    expect(filterOf(sortBy(s, 'status'), '')).toMatchObject({ waiting: true, status: 'received', sort: 'status', order: 'asc' })
    expect(filtered({ ...initialListState(), advocateId: 3 })).toBe(true)
    expect(filtered({ ...initialListState(), unread: true })).toBe(true)
  })

  it('reloads on a change of a shown case, and on any activity when the order or a filter may move rows', () => {
    const byNumber = withOrder(initialListState(), 'number', 'asc')
    expect(reloads(byNumber, 'case.update', 4, [3, 4])).toBe(true)
    expect(reloads(byNumber, 'case.update', 9, [3, 4])).toBe(false)
    expect(reloads(byNumber, 'message.created', 9, [3, 4])).toBe(false)
    expect(reloads(initialListState(), 'message.created', 9, [3, 4])).toBe(true)
    expect(reloads({ ...byNumber, waiting: true }, 'document.uploaded', 9, [])).toBe(true)
    expect(reloads({ ...byNumber, waiting: true }, 'appointment.created', 9, [])).toBe(false)
  })
})
