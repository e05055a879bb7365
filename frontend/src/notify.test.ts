// The desktop notifications' switch, driven as a person would in jsdom
// against a stand-in for the Go side (app/notify_test.go tests the Go side
// against the real service).
import { afterEach, describe, expect, it } from 'vitest'
import NotifyToggle from './components/NotifyToggle.svelte'
import type { NotificationSettings, NotifyBackend } from './lib/notifyBackend'
import { settle } from './settle'
import { cleanup, show } from './testing/app'

class FakeNotify implements NotifyBackend {
  enabled = true
  failWith = ''
  calls: boolean[] = []
  async settings(): Promise<NotificationSettings> { return { enabled: this.enabled } }
  async setEnabled(on: boolean): Promise<NotificationSettings> {
    this.calls.push(on)
    if (this.failWith) throw this.failWith
    this.enabled = on
    return { enabled: on }
  }
}

afterEach(cleanup)

async function start(notify: FakeNotify) {
  const target = show(NotifyToggle, { notify })
  await settle()
  const box = target.querySelector<HTMLInputElement>('#notify-toggle')
  if (!box) throw new Error('no checkbox')
  return { target, box }
}

describe('desktop notifications switch', () => {
  it('shows the kept setting, labelled, and turns it off and on', async () => {
    const notify = new FakeNotify()
    notify.enabled = false
    const { target, box } = await start(notify)
    expect(target.querySelector('label[for="notify-toggle"]')?.textContent).toBe('Desktop notifications')
    expect(box.checked).toBe(false)
    expect(box.disabled).toBe(false)
    box.click()
    await settle()
    expect(notify.calls).toEqual([true])
    expect(box.checked).toBe(true)
    box.click()
    await settle()
    expect(notify.calls).toEqual([true, false])
    expect(box.checked).toBe(false)
  })

  it('says what went wrong and shows the setting as it stayed', async () => {
    const notify = new FakeNotify()
    notify.failWith = 'could not save the notification setting in /x/notifications.json: permission denied; check that the folder is writable'
    const { target, box } = await start(notify)
    expect(box.checked).toBe(true)
    box.click()
    await settle()
    expect(box.checked).toBe(true)
    const alert = target.querySelector('[role=alert]')
    expect(alert?.textContent).toBe('Could not save the notification setting in /x/notifications.json: permission denied; check that the folder is writable.')
    expect(box.getAttribute('aria-describedby')).toBe('notify-error')
  })
})
