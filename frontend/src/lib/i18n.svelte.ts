// The control panel's languages: English and Spanish. Texts live in
// catalogs, one namespace per screen (src/locales/<lang>/<namespace>.ts);
// i18next looks them up, fills in {{values}} and picks the plural form with
// the platform's Intl.PluralRules.
//
// In a component, write {t('dashboard:title')} or t('cases:found', { count }).
// t reads the current language, which is Svelte state: every text on the
// screen follows a switch of language at once, without a reload.
import i18next from 'i18next'
import { en } from '../locales/en'
import { es } from '../locales/es'

export const languages = ['en', 'es'] as const
export type Lang = (typeof languages)[number]

// The language names as the switch shows them: each in its own language,
// so a person who cannot read the current one still finds theirs.
export const languageNames: Record<Lang, string> = { en: 'English', es: 'Español' }

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'common'
    resources: typeof en
  }
}

const engine = i18next.createInstance()
engine.init({
  resources: { en, es },
  lng: 'en',
  fallbackLng: 'en',
  ns: Object.keys(en),
  defaultNS: 'common',
  // Svelte escapes what it puts in the page; escaping here would show
  // "&amp;" in names such as "Smith & Jones".
  interpolation: { escapeValue: false },
  initAsync: false,
  returnNull: false,
})

const fixed = { en: engine.getFixedT('en'), es: engine.getFixedT('es') }

const current = $state<{ lang: Lang }>({ lang: 'en' })

// t is i18next's t in the current language (typed by the English catalog:
// a key that does not exist is a type error).
export const t: typeof engine.t = ((...args: unknown[]) =>
  (fixed[current.lang] as unknown as (...a: unknown[]) => string)(...args)) as unknown as typeof engine.t

// lang is the language the panel speaks now.
export function lang(): Lang {
  return current.lang
}

// useLang switches every text to code, and the page's lang attribute with
// it (screen readers pick their voice by it).
export function useLang(code: Lang): void {
  current.lang = code
  if (typeof document !== 'undefined') {
    document.documentElement.lang = code
  }
}

// isLang tells one of the panel's language codes from any other text.
export function isLang(code: string): code is Lang {
  return (languages as readonly string[]).includes(code)
}

// intlLocale is the locale for dates and numbers: the system's own variant
// when it is of the panel's language ("es-MX" dates for a Mexican office),
// else the language itself.
export function intlLocale(system: readonly string[] = typeof navigator === 'undefined' ? [] : navigator.languages): string {
  const code = current.lang
  const variant = system.find((l) => l.toLowerCase() === code || l.toLowerCase().startsWith(code + '-'))
  return variant ?? code
}
