// The case list's choices, kept by App.svelte while a case is open so that
// coming back shows the same search, filters, order and page. Plain data and
// pure functions: the screen (screens/CaseList.svelte) and the tests use them.
import type { CaseFilter } from './caseTypes'
import { firstPage, type Pager } from './paging'

// The orders the service sorts by (GET /api/v1/cases?sort=).
export type SortKey = 'activity' | 'number' | 'client' | 'status' | 'opened'
export type SortOrder = 'asc' | 'desc'

export const sortKeys: SortKey[] = ['activity', 'number', 'client', 'status', 'opened']

export interface CaseListState {
  status: string // the current status's id ('' any)
  advocateId: number // 0 any
  unread: boolean // only cases with unread client messages
  waiting: boolean // only cases with documents waiting for staff
  sort: SortKey
  order: SortOrder
  pager: Pager
}

// defaultOrder is the direction an order starts in: the latest activity and
// the newest cases first, the rest from A (or the first step) on.
export const defaultOrder = (key: SortKey): SortOrder => (key === 'activity' || key === 'opened' ? 'desc' : 'asc')

// The list starts with every case, the latest activity first.
export const initialListState = (): CaseListState => ({
  status: '', advocateId: 0, unread: false, waiting: false, sort: 'activity', order: 'desc', pager: firstPage(),
})

// filtered tells whether a filter (not the search) narrows the list.
export const filtered = (s: CaseListState): boolean => s.unread || s.waiting || s.status !== '' || s.advocateId !== 0

// filterOf is what the Go side's Cases.Find takes.
export const filterOf = (s: CaseListState, query: string): CaseFilter => ({
  query: query.trim(), status: s.status, advocateId: s.advocateId, unread: s.unread, waiting: s.waiting, sort: s.sort, order: s.order,
})

// sortBy is the state after a column's sort button is pressed: the same
// column again turns its direction round, another starts in its own
// direction; either way the list starts again from its first page.
export function sortBy(s: CaseListState, key: SortKey): CaseListState {
  const order = s.sort === key ? (s.order === 'asc' ? 'desc' : 'asc') : defaultOrder(key)
  return { ...s, sort: key, order, pager: firstPage() }
}

// withOrder sets the order and direction chosen in the narrow screen's
// "Sort by" fields.
export const withOrder = (s: CaseListState, key: SortKey, order: SortOrder): CaseListState => ({ ...s, sort: key, order, pager: firstPage() })

// ariaSort is a column header's aria-sort: only the sorted column has one.
export function ariaSort(s: CaseListState, key: SortKey): 'ascending' | 'descending' | 'none' {
  if (s.sort !== key) {
    return 'none'
  }
  return s.order === 'asc' ? 'ascending' : 'descending'
}

// isSortKey guards a value from a <select>.
export const isSortKey = (v: string): v is SortKey => (sortKeys as string[]).includes(v)

// reloads tells whether a live event may change the page shown: a change of
// a case on it, or, when filtering or sorting by activity, a message, a
// document or a checklist step anywhere (it may add, move or take away a row).
export function reloads(s: CaseListState, type: string, caseId: number, shown: number[]): boolean {
  if (/^(status|case)\./.test(type) && shown.includes(caseId)) {
    return true
  }
  return (filtered(s) || s.sort === 'activity' || s.sort === 'status') && /^(message|status|case|document|request)\./.test(type)
}
