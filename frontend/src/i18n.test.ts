// The panel's two languages: every English text has its Spanish one (with
// each plural form Spanish needs), the placeholders agree, and the language
// switch turns the whole window without a reload and keeps the choice
// through a stand-in for the Go side (app/language_test.go tests that side).
import { afterEach, describe, expect, it } from 'vitest'
import App from './App.svelte'
import { en } from './locales/en'
import { es } from './locales/es'
import { intlLocale, lang, t, useLang } from './lib/i18n.svelte'
import type { LanguageBackend, LanguageSetting } from './lib/languageBackend'
import { errorText } from './lib/errors'
import { day } from './lib/format'
import type { Backend } from './lib/backend'
import { settle } from './settle'
import { cleanup, show } from './testing/app'

type Tree = { [key: string]: string | Tree }

// leaves lists a catalog's texts by their dotted key.
function leaves(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>()
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix + k
    if (typeof v === 'string') out.set(key, v)
    else for (const [kk, vv] of leaves(v, key + '.')) out.set(kk, vv)
  }
  return out
}

const pluralSuffix = /_(zero|one|two|few|many|other)$/
const placeholders = (s: string) => [...s.matchAll(/\{\{\s*(\w+)/g)].map((m) => m[1]).sort()

describe('the catalogs', () => {
  const english = leaves(en as unknown as Tree)
  const spanish = leaves(es as unknown as Tree)
  const spanishForms = new Intl.PluralRules('es').resolvedOptions().pluralCategories

  it('have the same namespaces', () => {
    expect(Object.keys(es).sort()).toEqual(Object.keys(en).sort())
  })

  it('give every English text a Spanish one, with the same placeholders', () => {
    const missing: string[] = []
    const differ: string[] = []
    for (const [key, text] of english) {
      const base = key.replace(pluralSuffix, '')
      const candidates = pluralSuffix.test(key) ? spanishForms.map((f) => `${base}_${f}`) : [key]
      for (const k of candidates) {
        const es = spanish.get(k)
        if (es === undefined) missing.push(k)
        else if (es.trim() === '') missing.push(k + ' (empty)')
        else if (placeholders(es).join() !== placeholders(text).join()) differ.push(`${k}: ${placeholders(text)} vs ${placeholders(es)}`)
      }
    }
    expect(missing, 'Spanish texts missing').toEqual([])
    expect(differ, 'placeholders that differ').toEqual([])
  })

  it('have no Spanish text without its English one', () => {
    const englishBases = new Set([...english.keys()].map((k) => k.replace(pluralSuffix, '')))
    const extra = [...spanish.keys()].filter((k) => !englishBases.has(k.replace(pluralSuffix, '')))
    expect(extra).toEqual([])
  })
})

describe('t', () => {
  afterEach(() => useLang('en'))

  it('speaks the chosen language, with Spanish plural forms', () => {
    expect(t('common:live.reconnecting', { count: 1 })).toBe('Reconnecting in 1 s…')
    useLang('es')
    expect(lang()).toBe('es')
    expect(document.documentElement.lang).toBe('es')
    expect(t('common:nav.waiting')).toBe('Esperan una invitación')
    expect(t('common:live.reconnecting', { count: 1_000_000 })).toBe('Reconectando en 1000000 s…')
    expect(errorText(undefined)).toBe('Algo salió mal y el panel de control no sabe describirlo. Inténtelo de nuevo.')
  })

  it('formats dates in the panel\'s language, in the system\'s variant of it', () => {
    useLang('es')
    expect(intlLocale(['es-MX', 'en-US'])).toBe('es-MX')
    expect(intlLocale(['en-US'])).toBe('es')
    expect(day('2026-12-07', { locale: intlLocale(['en-US']) })).toBe('7 dic 2026')
    useLang('en')
    expect(intlLocale(['en-GB', 'es'])).toBe('en-GB')
  })
})

class FakeLanguage implements LanguageBackend {
  chosen = ''
  system = 'en'
  failWith = ''
  asked: string[][] = []
  private setting(): LanguageSetting {
    return { chosen: this.chosen, effective: this.chosen || this.system }
  }
  async get(system: string[]): Promise<LanguageSetting> {
    this.asked.push(system)
    return this.setting()
  }
  async set(chosen: string): Promise<LanguageSetting> {
    if (this.failWith) throw this.failWith
    this.chosen = chosen
    return this.setting()
  }
}

// offline is a Go side that is not connected: the connect screen is all
// these tests need (any other call is refused, as before Connect).
const offline = new Proxy({} as Backend, {
  get: (_, name) => name === 'pairing' ? undefined
    : name === 'on' ? () => () => {}
    : name === 'version' ? async () => 'v9.9.9'
    : async () => { throw 'not connected: connect to the portal service first' },
})

afterEach(cleanup)

async function startApp(language: FakeLanguage) {
  show(App, { backend: offline, language })
  await settle()
}

function choose(value: string) {
  const select = document.querySelector<HTMLSelectElement>('#language-switch')!
  select.value = value
  select.dispatchEvent(new Event('change', { bubbles: true }))
}

describe('the language switch', () => {
  it('follows the system\'s language until one is chosen, then keeps the choice', async () => {
    const language = new FakeLanguage()
    language.system = 'es'
    await startApp(language)
    expect(language.asked.length).toBe(1)
    expect(document.querySelector('.skip')?.textContent).toBe('Ir al contenido')
    expect(document.querySelector('label[for="language-switch"]')?.textContent).toBe('Idioma')
    expect(document.querySelector('#language-switch option[value=""]')?.textContent).toBe('Como el sistema (Español)')

    choose('en')
    await settle()
    expect(language.chosen).toBe('en')
    expect(document.querySelector('.skip')?.textContent).toBe('Skip to content')
    expect(document.documentElement.lang).toBe('en')
    expect(document.querySelector('#language-switch option[value=""]')?.textContent).toBe('As the system')
    // Each language is named in its own language.
    expect(document.querySelector('#language-switch option[value="es"]')?.getAttribute('lang')).toBe('es')
  })

  it('switches at once and says so when the choice cannot be kept', async () => {
    const language = new FakeLanguage()
    await startApp(language)
    language.failWith = 'could not save the language setting in /x/language.json: permission denied; check that the folder is writable'
    choose('es')
    await settle()
    expect(document.querySelector('.skip')?.textContent).toBe('Ir al contenido')
    const alert = document.querySelector('#language-error')
    expect(alert?.getAttribute('role')).toBe('alert')
    expect(alert?.textContent).toContain('El idioma cambió por ahora, pero no se guardó')
    expect(alert?.textContent).toContain('check that the folder is writable')
  })
})
