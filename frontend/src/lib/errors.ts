import { t } from './i18n.svelte'

// errorText turns a failed binding call into the sentence to show. The Go
// side rejects with its error's message, written for the person at the
// window ("could not log in: the email or password is not correct").
export function errorText(err: unknown): string {
  let text: string
  if (typeof err === 'string') {
    text = err
  } else if (err instanceof Error) {
    text = err.message
  } else if (err && typeof err === 'object' && 'message' in err && typeof err.message === 'string') {
    text = err.message
  } else {
    text = t('common:error.unknown')
  }
  text = (fieldRefusal(text)?.message ?? text).trim()
  if (text === '') {
    return t('common:error.empty')
  }
  text = text[0].toUpperCase() + text.slice(1)
  return /[.!?]$/.test(text) ? text : text + '.'
}

// fieldRefusal reads a refusal that names the field it refused: the Go side
// sends it as JSON {"message", "field"} (app/fielderror.go), since the
// Wails runtime turns an object into "[object Object]".
export function fieldRefusal(text: string): { message: string; field: string } | null {
  if (!text.startsWith('{"message":')) return null
  try {
    const v = JSON.parse(text) as { message?: unknown; field?: unknown }
    return typeof v.message === 'string' && typeof v.field === 'string' ? { message: v.message, field: v.field } : null
  } catch {
    return null
  }
}
