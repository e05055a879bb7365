// settle lets a screen under test finish what a click or a load started:
// the stand-in's promises resolve, and Svelte applies what changed. ms
// waits first (a debounce or a timer of the screen).
import { flushSync } from 'svelte'

export async function settle(ms = 0): Promise<void> {
  await new Promise((r) => setTimeout(r, ms))
  for (let i = 0; i < 6; i++) {
    await new Promise((r) => setTimeout(r, 0))
    flushSync()
  }
}
