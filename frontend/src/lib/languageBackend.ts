// The language switch's memory: in the window, the Go side's Language
// binding (a file in this computer's settings, read by the Go side too for
// its own words and for the service's answers); in unit tests, a stand-in.
import * as LanguageBinding from '../../wailsjs/go/app/Language'

export interface LanguageSetting {
  chosen: string // "en", "es", or "" to follow the system
  effective: string // what the panel speaks
}

export interface LanguageBackend {
  get(system: string[]): Promise<LanguageSetting>
  set(chosen: string): Promise<LanguageSetting>
}

export const wailsLanguage: LanguageBackend = {
  get: LanguageBinding.Get,
  set: LanguageBinding.Set,
}
