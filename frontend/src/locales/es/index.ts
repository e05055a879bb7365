// The Spanish catalog: the same namespaces as the English one.
import type { en } from '../en'
import { common } from './common'
import { caseNs } from './case'
import { forms } from './forms'
import { settings } from './settings'

export const es: { [N in keyof typeof en]: object } = {
  common,
  case: caseNs,
  forms,
  settings,
}
