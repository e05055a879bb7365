// download asks the Go side to save a document where the person chooses;
// it answers the sentence to show (ok false: an error).
import type { Backend } from '../../lib/backend'
import type { CaseDocument } from '../../lib/caseTypes'
import { errorText } from '../../lib/errors'
import { t } from '../../lib/i18n.svelte'

export async function download(backend: Backend, d: CaseDocument): Promise<{ ok: boolean; text: string }> {
  try {
    const r = await backend.download(d.caseId, d.id)
    if (r.cancelled) return { ok: true, text: '' }
    return { ok: true, text: t('case:documents.saved', { name: d.name, path: r.path }) }
  } catch (err) {
    return { ok: false, text: errorText(err) }
  }
}
