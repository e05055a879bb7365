import './app.css'
import { mount } from 'svelte'
import App from './App.svelte'
import { wailsBackend } from './lib/backend'
import { wailsWizard } from './lib/wizardBackend'
import { wailsNotify } from './lib/notifyBackend'
import { wailsLanguage } from './lib/languageBackend'

// Svelte 5 mounts with mount(); the template's `new App(...)` leaves the
// window blank.
const target = document.getElementById('app')
if (!target) {
  throw new Error('index.html has no #app element')
}
mount(App, { target, props: { backend: wailsBackend, wizard: wailsWizard, notify: wailsNotify, language: wailsLanguage } })
