// Messages<T> is the shape of a catalog that translates T: every key of the
// English catalog, each with a text. Spanish may add plural forms English
// has not (key_many): Intl.PluralRules('es') knows "one", "many" and
// "other"; i18n.test.ts checks that each is there.
export type Messages<T> = {
  [K in keyof T]: T[K] extends string ? string : Messages<T[K]>
} & { [plural: `${string}_many`]: string }
