// Mounting a screen (or the whole App) under test, logging in through the
// Connect screen, and clearing up after each test: call afterEach(cleanup)
// in each test file that uses show, showApp or logIn.
import { flushSync, mount, unmount, type Component } from 'svelte'
import App from '../App.svelte'
import CasePage from '../screens/CasePage.svelte'
import type { Backend } from '../lib/backend'
import { useLang } from '../lib/i18n.svelte'
import { settle } from '../settle'
import { button, byLabel, type } from './dom'

let shown: ReturnType<typeof mount> | undefined

// show mounts a component into a fresh element of the page and returns
// that element; cleanup unmounts it.
export function show<Props extends Record<string, any>>(component: Component<Props>, props: Props): HTMLElement {
  const target = document.createElement('div')
  document.body.append(target)
  shown = mount(component, { target, props })
  return target
}

// showApp mounts the whole App over backend, on its Connect screen.
export function showApp(backend: Backend): HTMLElement {
  const root = show(App, { backend })
  flushSync()
  return root
}

// logIn mounts App and logs in as Dana through the Connect screen (the
// office's connect answers; the password is not looked at).
export async function logIn(backend: Backend): Promise<HTMLElement> {
  const root = showApp(backend)
  type(byLabel(root, 'Email'), 'dana@riverside.example')
  type(byLabel(root, 'Password'), 'x')
  button(root, 'Connect').click()
  await settle()
  return root
}

// close unmounts what the test showed and empties the page, as closing the
// window would (what the panel keeps in localStorage stays).
export function close() {
  if (shown) unmount(shown)
  shown = undefined
  document.body.innerHTML = ''
}

// cleanup closes, forgets what the panel kept in localStorage and speaks
// English again.
export function cleanup() {
  close()
  localStorage.clear()
  useLang('en')
}

// openCase shows case 1's page over backend, loaded.
export async function openCase(backend: Backend): Promise<HTMLElement> {
  const root = show(CasePage, { backend, caseId: 1, onback: () => {} })
  await settle()
  return root
}
