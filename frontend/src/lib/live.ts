import type { LiveEvent } from './types'

// A part of the case page that an event may change.
export type Part = 'case' | 'history' | 'messages' | 'appointments' | 'documents' | 'requests'

// partsFor says which parts of the page showing caseId an event changes.
// Events say only what happened and where; the page reads the content again.
export function partsFor(ev: LiveEvent, caseId: number): Set<Part> {
  const parts = new Set<Part>()
  if (ev.caseId !== caseId) {
    return parts
  }
  const [kind] = ev.type.split('.')
  switch (kind) {
    case 'message':
      parts.add('messages')
      break
    case 'status':
      parts.add('history')
      parts.add('case')
      break
    case 'appointment':
      parts.add('appointments')
      break
    case 'case':
      parts.add('case')
      break
    case 'document':
      parts.add('documents')
      break
    case 'request':
      // A client's submission also brings documents.
      parts.add('requests')
      parts.add('documents')
      break
  }
  return parts
}

// touchesList tells whether an event may change a row of the case list
// showing the given case ids (its status, title or advocate).
export function touchesList(ev: LiveEvent, ids: number[]): boolean {
  return (ev.type.startsWith('status.') || ev.type.startsWith('case.')) && ids.includes(ev.caseId)
}
