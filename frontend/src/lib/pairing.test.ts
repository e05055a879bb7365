import { describe, expect, it } from 'vitest'
import { checkCode, groups, keyGroups, needsCompare, rows, spell, trustText, type ServerCheck } from './pairing'

const fp = 'AB12 CD34 EF56 7890 AB12 CD34 EF56 7890 AB12 CD34 EF56 7890 AB12 CD34 EF56 7890'

describe('fingerprint layout', () => {
  it('splits the spoken form into 16 groups, four rows of four', () => {
    const g = groups(` ${fp} `)
    expect(g).toHaveLength(16)
    expect(g[0]).toBe('AB12')
    const r = rows(g)
    expect(r).toHaveLength(4)
    expect(r.every((x) => x.length === 4)).toBe(true)
    expect(groups('')).toEqual([])
  })

  it('spells a group one character at a time for screen readers', () => {
    expect(spell('AB12')).toBe('A B 1 2')
  })

  it('groups an authenticator key by four', () => {
    expect(keyGroups('JBSWY3DPEHPK3PXP')).toBe('JBSW Y3DP EHPK 3PXP')
    expect(keyGroups('JBSWY3DPEH')).toBe('JBSW Y3DP EH')
    expect(keyGroups('YEWZ 2NYW OZUE URSY FNWM CJSP M5ZJ AMUP')).toBe('YEWZ 2NYW OZUE URSY FNWM CJSP M5ZJ AMUP')
    expect(keyGroups('YEW Z2NYW')).toBe('YEWZ 2NYW')
  })
})

describe('checkCode', () => {
  it.each([
    ['', 'Enter the 6-digit code'],
    ['   ', 'Enter the 6-digit code'],
    ['12345', 'has 6 digits'],
    ['1234567', 'has 6 digits'],
    ['123456', ''],
    ['123 456', ''],
    ['K7QX-M2PA', ''],
  ])('%j', (code, words) => {
    const got = checkCode(code)
    if (words === '') expect(got).toBe('')
    else expect(got).toContain(words)
  })
})

describe('trust', () => {
  const c = (trust: string): ServerCheck => ({ service: 'https://192.168.1.10:8443', trust, fingerprint: '', spoken: '', pinned: '', pinnedSpoken: '' })
  it('asks to compare only a server not paired yet', () => {
    expect(needsCompare(c('unpaired'))).toBe(true)
    for (const t of ['local', 'ca', 'paired', 'changed']) expect(needsCompare(c(t))).toBe(false)
  })
  it('says each trust in words', () => {
    expect(trustText(c('changed'))).toContain('refused')
    expect(trustText(c('paired'))).toContain('compared earlier')
    expect(trustText(c('nonsense'))).toBe('')
  })
})
