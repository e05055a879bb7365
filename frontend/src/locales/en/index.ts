// The English catalog: one namespace per screen. English is the source:
// its keys type the calls of t(), and every other language has them all.
import { common } from './common'
import { caseNs } from './case'
import { forms } from './forms'
import { settings } from './settings'

export const en = {
  common,
  case: caseNs,
  forms,
  settings,
}
