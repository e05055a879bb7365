// The Spanish catalog: the same namespaces as the English one.
import type { en } from '../en'
import { common } from './common'

export const es: { [N in keyof typeof en]: object } = {
  common,
}
