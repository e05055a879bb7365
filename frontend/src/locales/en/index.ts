// The English catalog: one namespace per screen. English is the source:
// its keys type the calls of t(), and every other language has them all.
import { common } from './common'

export const en = {
  common,
}
