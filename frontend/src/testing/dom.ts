// What a person does and reads on a screen under test in jsdom: type into a
// field, tick a box, find a field by its label and a button by its text,
// read the live status and alerts. Each finder throws with what the screen
// has instead, so a failing test says what it saw.
import { flushSync } from 'svelte'

// type sets a field's value and tells the screen as the browser would
// (a select changes, the rest take input).
export function type(el: Element | null, value: string) {
  const input = el as HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement
  input.value = value
  input.dispatchEvent(new Event(input instanceof HTMLSelectElement ? 'change' : 'input', { bubbles: true }))
  flushSync()
}

// check ticks or clears a checkbox or picks a radio button.
export function check(el: Element | null, on: boolean) {
  const input = el as HTMLInputElement
  input.checked = on
  input.dispatchEvent(new Event('change', { bubbles: true }))
  flushSync()
}

// byLabel finds the field a label names: by its for, or the one inside it
// (an input unless the caller says, byLabel<HTMLSelectElement>(…)).
export function byLabel<T extends HTMLElement = HTMLInputElement>(root: HTMLElement, label: string): T {
  const l = [...root.querySelectorAll('label')].find((x) => x.textContent?.trim() === label)
  const el = l?.htmlFor ? document.getElementById(l.htmlFor) : l?.querySelector('input')
  if (!el) throw new Error(`no field labelled ${label}: ${[...root.querySelectorAll('label')].map((x) => x.textContent?.trim())}`)
  return el as T
}

// button finds a button by the text it shows.
export function button(root: Element, text: string): HTMLButtonElement {
  const b = [...root.querySelectorAll('button')].find((x) => x.textContent?.trim() === text)
  if (!b) throw new Error(`no button ${text}: ${[...root.querySelectorAll('button')].map((x) => x.textContent?.trim())}`)
  return b
}

// named finds a button by the text it shows or, for an icon's button, by
// its aria-label: the first in the page's order that has either.
export function named(root: Element, text: string): HTMLButtonElement {
  const b = [...root.querySelectorAll('button')].find((x) => x.textContent?.trim() === text || x.getAttribute('aria-label') === text)
  if (!b) throw new Error(`no button ${text}: ${[...root.querySelectorAll('button')].map((x) => x.getAttribute('aria-label') ?? x.textContent?.trim())}`)
  return b
}

// fact reads the value a term names in a description list (dt, dd).
export function fact(root: HTMLElement, term: string): string {
  const dt = [...root.querySelectorAll('dt')].find((x) => x.textContent?.trim() === term)
  return dt?.nextElementSibling?.textContent?.replace(/\s+/g, ' ').trim() ?? `(no ${term})`
}

// status reads the settings' live status lines, alert every alert on the
// page, each joined with ' | '.
export const status = (root: HTMLElement) =>
  [...root.querySelectorAll('#settings-body [role=status]')].map((x) => x.textContent?.trim()).filter(Boolean).join(' | ')
export const alert = (root: HTMLElement) => [...root.querySelectorAll('[role=alert]')].map((x) => x.textContent?.trim()).join(' | ')

// section finds a page's card by the start of its heading.
export const section = (root: HTMLElement, heading: string) =>
  [...root.querySelectorAll('section.card')].find((s) => s.querySelector('h2')?.textContent?.startsWith(heading)) as HTMLElement
