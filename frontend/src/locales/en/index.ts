// The English catalog: one namespace per screen. English is the source:
// its keys type the calls of t(), and every other language has them all.
import { common } from './common'
import { dashboard } from './dashboard'
import { connect } from './connect'
import { clients } from './clients'
import { caseNs } from './case'
import { forms } from './forms'
import { settings } from './settings'

export const en = {
  common,
  dashboard,
  connect,
  clients,
  case: caseNs,
  forms,
  settings,
}
