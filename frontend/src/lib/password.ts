// The office's password policy as rules a person can see being met while
// they type: the same rules, in the same order and words, that the portal's
// pages show clients (server/portal: rules, static/password.js), counted the
// same way as the service's check (server/password: Check). The service
// checks again when the password is sent, and alone judges whether it is
// common or easy to guess.
import type { PasswordPolicy } from './clientTypes'
import { t } from './i18n.svelte'

export type RuleKind = 'length' | 'upper' | 'lower' | 'digit' | 'special' | 'common'

export interface Rule {
  kind: RuleKind
  need: number
  text: string
  // met: the typed password meets it (always false for 'common', which
  // only the service can tell).
  met: boolean
}

export interface Counts {
  length: number
  upper: number
  lower: number
  digit: number
  special: number
}

// counts counts what the service counts: characters after NFKC
// normalisation, capitals, small letters, digits, and anything else that is
// not a letter or mark.
export function counts(password: string): Counts {
  const n: Counts = { length: 0, upper: 0, lower: 0, digit: 0, special: 0 }
  for (const c of password.normalize('NFKC')) {
    n.length++
    if (/\p{Lu}/u.test(c)) n.upper++
    else if (/\p{Ll}/u.test(c)) n.lower++
    else if (/\p{Nd}/u.test(c)) n.digit++
    else if (!/[\p{L}\p{M}]/u.test(c)) n.special++
  }
  return n
}

// ruleText is a rule in the panel's language, in its plural form.
const ruleText = (kind: RuleKind, need: number): string =>
  kind === 'common' ? t('clients:password.rule.common') : t(`clients:password.rule.${kind}`, { count: need })

// rules lists the policy's rules (those asking for at least one) and whether
// password meets each.
export function rules(policy: PasswordPolicy, password: string): Rule[] {
  const n = counts(password)
  const out: Rule[] = []
  const add = (kind: Exclude<RuleKind, 'common'>, need: number) => {
    if (need > 0) out.push({ kind, need, text: ruleText(kind, need), met: n[kind] >= need })
  }
  add('length', policy.minLength)
  add('upper', policy.minUpper)
  add('lower', policy.minLower)
  add('digit', policy.minDigit)
  add('special', policy.minSpecial)
  out.push({ kind: 'common', need: 0, text: ruleText('common', 0), met: false })
  return out
}

// unmet is what to say before sending a password that misses a rule the
// window can check ('' when none is missed).
export function unmet(policy: PasswordPolicy, password: string): string {
  if (password === '') {
    return t('clients:password.first')
  }
  const missing = rules(policy, password).filter((r) => r.kind !== 'common' && !r.met)
  if (missing.length === 0) {
    return ''
  }
  return t('clients:password.missing', { rules: missing.map((r) => r.text).join(t('clients:password.separator')) })
}
