// Connecting from another PC: the Go side's pairing, second factor and
// kept-session calls (window.go.app.Session), and the Connect screen's
// logic that needs no DOM.
import * as SessionBinding from '../../wailsjs/go/app/Session'
import type { OfficeInfo } from './types'
import { t } from './i18n.svelte'

// How the connection to a server is trusted (app.ServerCheck.trust).
export type Trust = 'local' | 'ca' | 'paired' | 'unpaired' | 'changed'

export interface ServerCheck {
  service: string
  trust: string
  fingerprint: string
  spoken: string
  pinned: string
  pinnedSpoken: string
}

export interface LoginStep {
  done: boolean
  office: OfficeInfo
  need: string // '' | 'code' | 'setup'
  setupKey: string
  setupQr: string
  setupUntil: string
  recoveryCodes: string[]
  kept: boolean
  keepProblem: string
}

export interface KeptSession {
  kept: boolean
  service: string
  staff: string
  email: string
  canKeep: boolean
  why: string
}

export interface PairingBackend {
  check(address: string): Promise<ServerCheck>
  pair(address: string, fingerprint: string): Promise<ServerCheck>
  forget(address: string): Promise<void>
  logIn(address: string, email: string, password: string, keep: boolean): Promise<LoginStep>
  secondFactor(code: string): Promise<LoginStep>
  kept(): Promise<KeptSession>
  resume(): Promise<OfficeInfo>
}

// wailsPairing calls the bindings of the running window.
export const wailsPairing: PairingBackend = {
  check: SessionBinding.Check,
  pair: SessionBinding.Pair,
  forget: SessionBinding.Forget,
  logIn: SessionBinding.LogIn,
  secondFactor: SessionBinding.SecondFactor,
  kept: SessionBinding.Kept,
  resume: SessionBinding.Resume,
}

// groups splits a fingerprint or key written in groups ("AB12 CD34 …")
// into its groups, for showing them in rows a person can read aloud.
export function groups(spoken: string): string[] {
  return spoken.trim().split(/\s+/).filter((g) => g !== '')
}

// rows lays groups out four to a row: short enough at 360 px and 200 %
// zoom, and a natural pause when reading aloud.
export function rows(gs: string[], per = 4): string[][] {
  const out: string[][] = []
  for (let i = 0; i < gs.length; i += per) out.push(gs.slice(i, i + per))
  return out
}

// spell reads a group aloud for screen readers: one character at a time
// ("A B 1 2"), so "AB12" is not read as a word or a number.
export function spell(group: string): string {
  return [...group].join(' ')
}

// keyGroups writes an authenticator key in groups of four, easier to type
// (the service may already space it: its own spacing is dropped first).
export function keyGroups(key: string): string {
  return groups(key.replace(/\s+/g, '').replace(/(.{4})/g, '$1 ')).join(' ')
}

// checkCode says what is wrong with a second-factor code, or ''. Six
// digits from the app, or a recovery code (letters and digits, maybe with
// dashes), both accepted.
export function checkCode(code: string): string {
  const c = code.trim()
  if (c === '') return t('connect:code.empty')
  if (/^\d+$/.test(c.replace(/\s/g, '')) && c.replace(/\s/g, '').length !== 6) return t('connect:code.sixDigits')
  return ''
}

// needsCompare tells whether the person must compare the fingerprint
// before anything is sent.
export function needsCompare(c: ServerCheck): boolean {
  return c.trust === 'unpaired'
}

// trustText says, in words, how the connection to the server is trusted.
export function trustText(c: ServerCheck): string {
  switch (c.trust) {
    case 'local': return t('connect:trust.local')
    case 'ca': return t('connect:trust.ca')
    case 'paired': return t('connect:trust.paired')
    case 'unpaired': return t('connect:trust.unpaired')
    case 'changed': return t('connect:trust.changed')
    default: return ''
  }
}

// Part is a piece of a translated sentence: plain text, or one of the
// values the screen shows in an element of its own (code, a name in bold).
export interface Part {
  text: string
  value: boolean
}

// parts translates a sentence whole, then splits it at the values, so a
// screen can mark them up wherever the language puts them.
export function parts<V extends Record<string, string>>(translate: (values: V) => string, values: V): Part[] {
  const names = Object.keys(values)
  const marked = Object.fromEntries(names.map((n, i) => [n, `\u0001${i}\u0002`])) as V
  return translate(marked)
    .split(/\u0001(\d+)\u0002/)
    .map((piece, i) => (i % 2 === 1 ? { text: values[names[Number(piece)]], value: true } : { text: piece, value: false }))
    .filter((p) => p.text !== '')
}
