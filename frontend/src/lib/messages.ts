import type { Message } from './types'
import { intlLocale, t } from './i18n.svelte'

// Most a message may hold (the service's limit, in characters).
export const maxMessage = 4000

// merge adds fresh messages (a newer first page, or an older page) to those
// shown: one of each id, the fresher copy winning (its read state may have
// changed), newest first.
export function merge(shown: Message[], fresh: Message[]): Message[] {
  const byId = new Map<number, Message>()
  for (const m of shown) {
    byId.set(m.id, m)
  }
  for (const m of fresh) {
    byId.set(m.id, m)
  }
  return [...byId.values()].sort((a, b) => b.id - a.id)
}

// newFromClients are the client messages in fresh that shown lacks: what to
// announce when they arrive live.
export function newFromClients(shown: Message[], fresh: Message[]): Message[] {
  const seen = new Set(shown.map((m) => m.id))
  return fresh.filter((m) => m.authorKind === 'client' && !seen.has(m.id))
}

// checkMessage says what is wrong with a message before it is sent ('' if
// nothing). The service checks again.
export function checkMessage(body: string): string {
  const length = [...body].length
  if (body.trim() === '') {
    return t('case:messages.writeFirst')
  }
  if (length > maxMessage) {
    return t('case:messages.tooLong', { length: length.toLocaleString(intlLocale()), max: maxMessage.toLocaleString(intlLocale()) })
  }
  return ''
}
