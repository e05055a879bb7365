// The English catalog: one namespace per screen. English is the source:
// its keys type the calls of t(), and every other language has them all.
import { common } from './common'
import { dashboard } from './dashboard'
import { connect } from './connect'
import { clients } from './clients'

export const en = {
  common,
  dashboard,
  connect,
  clients,
}
