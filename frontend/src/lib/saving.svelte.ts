// Saving is one settings form's save: busy while the call runs, then what
// was saved (done) or the refusal (error), with the refused field's text in
// fields[field] so the box shows it. What the person typed stays in the
// form either way: the form's values are not touched here.
import { refusal } from './settings'
import { t } from './i18n.svelte'

export class Saving {
  busy = $state(false)
  done = $state('')
  error = $state('')
  fields: Record<string, string> = $state({})

  // run sends the form unless checks (field -> text, '' for none) find a
  // problem first; it answers whether the save went through.
  async run(success: string | ((result: unknown) => string), fn: () => Promise<unknown>, checks: Record<string, string> = {}): Promise<boolean> {
    this.done = ''
    this.error = ''
    const found = Object.fromEntries(Object.entries(checks).filter(([, v]) => v !== ''))
    if (Object.keys(found).length > 0) {
      this.fields = found
      this.error = t('forms:saving.fix')
      return false
    }
    this.busy = true
    try {
      const result = await fn()
      this.fields = {}
      this.done = typeof success === 'string' ? success : success(result)
      return true
    } catch (err) {
      const r = refusal(err)
      this.error = r.field ? t('forms:saving.refused', { reason: r.text }) : r.text
      this.fields = r.field ? { [r.field]: r.text } : {}
      return false
    } finally {
      this.busy = false
    }
  }
}
