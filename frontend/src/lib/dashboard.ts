// The dashboard's logic: which live events change it, a debounce so a
// burst of events reads it once, the activity chart's geometry, and the
// words for the certificate, backups and sizes.
import type { ActivityWeek, BackupState, Certificate } from './dashboardTypes'
import type { LiveEvent } from './types'
import { day, moment, type Where } from './format'
import { intlLocale, t } from './i18n.svelte'

// touchesDashboard tells whether an event may change what the dashboard
// shows: a message (waiting, read), a document or checklist item (an
// upload, accepted, returned; a colleague opening a waiting upload is
// "document.opened"). Status entries and appointments do not.
export function touchesDashboard(ev: LiveEvent): boolean {
  const [kind] = ev.type.split('.')
  return kind === 'message' || kind === 'document' || kind === 'request'
}

// debounce calls fn once, wait ms after the last of a burst of calls.
// cancel drops a pending call (the screen is closed).
export function debounce(fn: () => void, wait: number): { call: () => void; cancel: () => void } {
  let timer: ReturnType<typeof setTimeout> | undefined
  return {
    call() {
      clearTimeout(timer)
      timer = setTimeout(() => {
        timer = undefined
        fn()
      }, wait)
    },
    cancel() {
      clearTimeout(timer)
      timer = undefined
    },
  }
}

// series are the chart's bars; seriesLabel names one in the panel's language.
export const series = [
  { key: 'signIns' },
  { key: 'messages' },
  { key: 'uploads' },
] as const

export type SeriesKey = (typeof series)[number]['key']

export const seriesLabel = (key: SeriesKey): string => t(`dashboard:activity.series.${key}`)

export interface Bar {
  week: string
  key: SeriesKey
  value: number
  x: number
  y: number
  width: number
  height: number
}

export interface Chart {
  bars: Bar[]
  max: number
  // ticks are the y-axis values labelled (0, half, max), with their y.
  ticks: { value: number; y: number }[]
  // labels are the weeks shown under the axis (fewer when narrow), always
  // with the current week.
  labels: { week: string; x: number }[]
}

// chart lays out grouped bars (one group per week, one bar per series) in a
// width × height drawing, leaving `left` for the axis labels, `bottom` for
// the week labels, and `top` and `right` so the top tick's and the last
// week's labels are not cut. The scale's top is a round number at or above
// the largest value, so the ticks read well.
export function chart(weeks: ActivityWeek[], width: number, height: number, left = 32, bottom = 20, top = 10, right = 20): Chart {
  const max = niceMax(Math.max(0, ...weeks.flatMap((w) => series.map((s) => w[s.key]))))
  const plotH = height - bottom - top
  const base = top + plotH
  const group = weeks.length > 0 ? (width - left - right) / weeks.length : 0
  const bar = (group * 0.8) / series.length
  const bars: Bar[] = []
  weeks.forEach((w, i) => {
    series.forEach((s, j) => {
      const value = w[s.key]
      const h = max === 0 ? 0 : (value / max) * plotH
      bars.push({ week: w.week, key: s.key, value, x: left + i * group + group * 0.1 + j * bar, y: base - h, width: bar, height: h })
    })
  })
  const ticks = [0, max / 2, max].map((value) => ({ value, y: base - (value / max) * plotH }))
  // A week's label ("Nov 23") needs about 44 px: label every week, or
  // every other or third one when the drawing is narrow.
  const step = group > 0 ? Math.max(1, Math.ceil(44 / group)) : 1
  const labels = weeks
    .map((w, i) => ({ week: w.week, x: left + i * group + group / 2, i }))
    .filter((l) => (weeks.length - 1 - l.i) % step === 0)
    .map(({ week, x }) => ({ week, x }))
  return { bars, max, ticks, labels }
}

// niceMax rounds up to an even number up to 10, then to 1, 2 or 5 times a
// power of ten, so the half tick is a whole number.
export function niceMax(v: number): number {
  if (v <= 10) return Math.max(2, 2 * Math.ceil(v / 2))
  const p = 10 ** Math.floor(Math.log10(v))
  for (const m of [1, 2, 5, 10]) {
    if (m * p >= v) return m * p
  }
  return 10 * p
}

// shortWeek is a week's Monday as "7 Dec" (for the chart's axis).
export function shortWeek(week: string, where: Where = {}): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(week)
  if (!m) return week
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
  return new Intl.DateTimeFormat(where.locale ?? intlLocale(), { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(d)
}

// weekLabel is a week for the table: "Week of 7 Dec 2026".
export function weekLabel(week: string, where: Where = {}): string {
  return t('dashboard:activity.weekOf', { day: day(week, where) })
}

// certificateWords says the certificate's state in a sentence, with the
// expiry, and whether it needs attention.
export function certificateWords(c: Certificate, where: Where = {}): { text: string; attention: boolean } {
  if (c.error) return { text: c.error, attention: true }
  switch (c.state) {
    case 'valid': {
      const until = moment(c.notAfter, where)
      if (c.daysLeft < 0) return { text: t('dashboard:cert.expired', { domain: c.domain, until }), attention: true }
      // Certificates renew by themselves 30 days before they expire; less
      // than two weeks left means renewal keeps failing.
      return { text: t('dashboard:cert.valid', { domain: c.domain, until, count: c.daysLeft }), attention: c.daysLeft < 14 }
    }
    case 'off':
      return { text: c.message || t('dashboard:cert.off'), attention: false }
    case 'obtaining':
      return { text: c.message || t('dashboard:cert.obtaining', { domain: c.domain }), attention: false }
    default:
      return { text: c.message || t('dashboard:cert.other', { state: c.state }), attention: true }
  }
}

// backupWords says the last backup (when, size, result) and the next.
export function backupWords(b: BackupState, where: Where = {}): { last: string; next: string; attention: boolean } {
  if (!b.available) return { last: b.note, next: '', attention: false }
  const next = b.next ? t('dashboard:backup.next', { when: moment(b.next, where) }) : t('dashboard:backup.nightlyOff')
  if (!b.hasLast) return { last: t('dashboard:backup.none'), next, attention: true }
  if (!b.ok) return { last: t('dashboard:backup.failed', { when: moment(b.finished, where), error: b.error }), next, attention: true }
  return { last: t('dashboard:backup.last', { when: moment(b.finished, where), size: size(b.size) }), next, attention: false }
}

// size is a number of bytes for people: "1.4 MB" ("1,4 MB" in Spanish).
export function size(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'] as const
  let v = bytes
  let i = 0
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000
    i++
  }
  const digits = i === 0 ? 0 : v < 10 ? 1 : 0
  const value = new Intl.NumberFormat(intlLocale(), { minimumFractionDigits: digits, maximumFractionDigits: digits, useGrouping: false }).format(v)
  return t(`dashboard:size.${units[i]}`, { value })
}

// activityTotals describes the chart for screen readers: the weeks and the
// sums of sign-ins, messages and uploads, each in its plural form.
export function activityTotals(weeks: ActivityWeek[]): string {
  const sum = (key: SeriesKey) => weeks.reduce((n, w) => n + w[key], 0)
  return t('dashboard:activity.totals', {
    count: weeks.length,
    signIns: t('dashboard:activity.signIns', { count: sum('signIns') }),
    messages: t('dashboard:activity.messages', { count: sum('messages') }),
    uploads: t('dashboard:activity.uploads', { count: sum('uploads') }),
  })
}
