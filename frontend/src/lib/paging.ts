// Paging through a list the service pages with a cursor: each page is asked
// for "after" the last id of the page before. The pager keeps the cursors of
// the pages seen so Previous needs no offset, and only one page is ever held,
// however many cases the office has.

export interface Pager {
  // afters[i] is the cursor that read page i+1 (0 for the first page).
  afters: number[]
  // next is the cursor of the page after the current one (0: none).
  next: number
}

export const firstPage = (): Pager => ({ afters: [0], next: 0 })

// current is the cursor of the page shown.
export const current = (p: Pager): number => p.afters[p.afters.length - 1]

// pageNumber counts from 1.
export const pageNumber = (p: Pager): number => p.afters.length

export const hasNext = (p: Pager): boolean => p.next !== 0
export const hasPrevious = (p: Pager): boolean => p.afters.length > 1

// loaded records the next cursor the service answered for the current page.
export const loaded = (p: Pager, next: number): Pager => ({ afters: p.afters, next })

// forward moves to the next page (its cursor is then current).
export function forward(p: Pager): Pager {
  if (!hasNext(p)) {
    return p
  }
  return { afters: [...p.afters, p.next], next: 0 }
}

// back moves to the page before.
export function back(p: Pager): Pager {
  if (!hasPrevious(p)) {
    return p
  }
  return { afters: p.afters.slice(0, -1), next: 0 }
}
