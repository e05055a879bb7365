// The settings screens' logic: refusals shown beside their field, the
// status list's edits, the colour's contrast, and the checks made before a
// form is sent (the service checks again and has the last word).
import { errorText, fieldRefusal } from './errors'
import type { PasswordPolicy, Status } from './settingsTypes'
import { intlLocale, t } from './i18n.svelte'

// Refusal is a failed save as a form shows it: text for the whole form, and
// the field the service named ('' when none), whose box shows the text.
export interface Refusal { field: string; text: string }

// refusal reads a rejected call: the Go side rejects with an Error whose
// message is the sentence, or JSON naming the field (see fieldRefusal).
export function refusal(err: unknown): Refusal {
  const raw = typeof err === 'string' ? err : err instanceof Error ? err.message : ''
  return { field: fieldRefusal(raw)?.field ?? '', text: errorText(err) }
}

// The status list's edits: each answers a new list, keeping the old one.

export function moveStatus(list: Status[], i: number, by: -1 | 1): Status[] {
  const j = i + by
  if (i < 0 || i >= list.length || j < 0 || j >= list.length) return list
  const next = list.slice()
  ;[next[i], next[j]] = [next[j], next[i]]
  return next
}

// statusId makes the id of a new status from its English name ("Hearing
// set" -> "hearing_set"), unique in list.
export function statusId(list: Status[], english: string): string {
  const base = english.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 40) || 'status'
  let id = base
  for (let n = 2; list.some((s) => s.id === id); n++) id = `${base}_${n}`
  return id
}

export function addStatus(list: Status[], english: string, spanish: string): Status[] {
  return [...list, { id: statusId(list, english), names: { en: english.trim(), es: spanish.trim() } }]
}

// checkStatuses answers, per row, what to fix ('' when nothing).
export function checkStatuses(list: Status[]): string[] {
  return list.map((s) => {
    if (!s.names.en?.trim()) return t('settings:statuses.needEnglish')
    if (!s.names.es?.trim()) return t('settings:statuses.needSpanish')
    const twin = list.find((o) => o !== s && !o.retired && !s.retired && o.names.en?.trim().toLowerCase() === s.names.en.trim().toLowerCase())
    return twin ? t('settings:statuses.twin', { name: s.names.en.trim() }) : ''
  })
}

// The NIST preset (SP 800-63B): long passwords, no rules on kinds of
// character. The service sets the same numbers for the preset "nist".
export const nistPolicy: PasswordPolicy = { min_length: 15, min_upper: 0, min_lower: 0, min_digit: 0, min_special: 0 }

export function isNist(p: PasswordPolicy): boolean {
  return p.min_upper === 0 && p.min_lower === 0 && p.min_digit === 0 && p.min_special === 0 && p.min_length >= nistPolicy.min_length
}

// contrast is the WCAG contrast ratio of white text on the colour #rrggbb
// (0 when it is not such a colour). The portal needs 4.5.
export function contrast(hex: string): number {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex.trim())
  if (!m) return 0
  const lum = [m[1], m[2], m[3]].map((h) => {
    const c = parseInt(h, 16) / 255
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
  })
  const l = 0.2126 * lum[0] + 0.7152 * lum[1] + 0.0722 * lum[2]
  return 1.05 / (l + 0.05)
}

export function checkColor(hex: string): string {
  if (hex.trim() === '') return ''
  if (!/^#[0-9a-f]{6}$/i.test(hex.trim())) return t('settings:branding.badColor')
  return ''
}

export function checkTime(hhmm: string): string {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm.trim())
  return m && Number(m[1]) < 24 && Number(m[2]) < 60 ? '' : t('settings:backups.badTime')
}

export function checkWhole(value: number, min: number, max: number, what: string): string {
  return Number.isInteger(value) && value >= min && value <= max ? '' : t('settings:whole', { what, min, max })
}

// bytes says a size in words.
export function bytes(n: number): string {
  const unit = (value: number, digits: number, name: string) => t('settings:size.unit', {
    value: new Intl.NumberFormat(intlLocale(), { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value), unit: name,
  })
  if (n < 1024) return t('settings:size.bytes', { count: n })
  if (n < 1 << 20) return unit(n / 1024, 0, 'KB')
  if (n < 1 << 30) return unit(n / (1 << 20), 1, 'MB')
  return unit(n / (1 << 30), 2, 'GB')
}

// The kinds of file an upload may be, as the service names them; label is
// read when shown, in the panel's language then.
const kindIds = ['pdf', 'word', 'excel', 'jpeg', 'png', 'heic', 'tiff', 'text'] as const
export const uploadKinds: { id: string; readonly label: string }[] = kindIds.map((id) => ({
  id,
  get label() { return t(`settings:office.kinds.${id}`) },
}))

// auditAction says an audit trail's action in words where it is known.
export function auditAction(action: string): string {
  const keys = {
    'client.create': 'clientCreate', 'client.update': 'clientUpdate', 'client.preview_link': 'clientPreview',
    'client.two_factor_required': 'clientTwoFactorRequired', 'client.two_factor_reset': 'clientTwoFactorReset',
    'audit.export': 'auditExport', 'login': 'login', 'login.failed': 'loginFailed',
  } as const
  const key = keys[action as keyof typeof keys]
  return key ? t(`settings:audit.${key}`) : action
}
