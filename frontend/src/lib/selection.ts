// Choosing cases in the case list to invite their clients at once. The
// selection outlives the page shown (the person may choose cases on several
// pages or searches) and holds ids only.
import { t } from './i18n.svelte'

// maxSelected is the most cases one bulk invitation takes (the service's
// limit, app.MaxBulkCases).
export const maxSelected = 1000

export interface Selection {
  on: boolean // the list shows its check boxes
  ids: number[]
}

export const noSelection = (): Selection => ({ on: false, ids: [] })

export const isSelected = (s: Selection, id: number): boolean => s.ids.includes(id)

// toggle adds or removes one case; a full selection takes no more.
export function toggle(s: Selection, id: number): Selection {
  if (isSelected(s, id)) {
    return { ...s, ids: s.ids.filter((x) => x !== id) }
  }
  if (s.ids.length >= maxSelected) {
    return s
  }
  return { ...s, ids: [...s.ids, id] }
}

// pageState says whether none, some or all of a page's cases are chosen.
export function pageState(s: Selection, page: number[]): 'none' | 'some' | 'all' {
  const n = page.filter((id) => isSelected(s, id)).length
  return n === 0 ? 'none' : n === page.length ? 'all' : 'some'
}

// togglePage chooses every case of the page, or none of them when all
// already are (up to maxSelected in all).
export function togglePage(s: Selection, page: number[]): Selection {
  if (page.length > 0 && pageState(s, page) === 'all') {
    return { ...s, ids: s.ids.filter((id) => !page.includes(id)) }
  }
  const ids = [...s.ids]
  for (const id of page) {
    if (ids.length >= maxSelected) break
    if (!ids.includes(id)) ids.push(id)
  }
  return { ...s, ids }
}

export const full = (s: Selection): boolean => s.ids.length >= maxSelected

// countText says how many cases are chosen, in the panel's language.
export function countText(s: Selection): string {
  const n = s.ids.length
  return n === 0 ? t('clients:select.none') : t('clients:select.chosen', { count: n })
}
