// The settings in Spanish: each section shows its headings, labels, hints,
// checks and save outcomes in Spanish when the panel speaks Spanish, sizes
// and numbers the Spanish way, and turns back to English without a reload.
// Driven in jsdom against FakeSettings (through FakeCase), the stand-in for
// the Go side; app/window_i18nb_test.go looks at it in the real window.
import { flushSync } from 'svelte'
import { afterEach, describe, expect, it } from 'vitest'
import Settings from './screens/Settings.svelte'
import { useLang } from './lib/i18n.svelte'
import { settle } from './settle'
import { cleanup, close, show } from './testing/app'
import { alert, named as button, status, type } from './testing/dom'
import { InertOffice } from './testing/office'

class Office extends InertOffice {
  on() { return () => {} }
  async appointments() { return [] }
}

afterEach(cleanup)

async function open(section: string, office = new Office()) {
  useLang('es')
  const target = show(Settings, {
    backend: office, office: { office: 'Riverside Legal Aid', service: '', staff: 'Dana Whitfield', staffId: 1, role: 'admin' }, section,
  })
  await settle()
  return target
}

const labels = (root: HTMLElement) => [...root.querySelectorAll('label')].map((l) => l.textContent?.replace(/\s+/g, ' ').trim())
const heading = (root: HTMLElement) => root.querySelector('#settings-body h2')?.textContent

describe('the settings in Spanish', () => {
  it('names the screen and its sections in Spanish, and turns back to English', async () => {
    const root = await open('office')
    expect(root.querySelector('h1')?.textContent).toBe('Configuración')
    expect(root.querySelector('nav')?.getAttribute('aria-label')).toBe('Secciones de la configuración')
    expect([...root.querySelectorAll('nav button')].map((b) => b.textContent)).toEqual([
      'Oficina', 'Estados del caso', 'Contraseñas y bloqueo', 'Verificación en dos pasos', 'Correo electrónico',
      'Dominio y certificado', 'Copias de seguridad', 'Invitaciones', 'Imagen de la oficina', 'Cuentas del personal',
    ])
    useLang('en')
    await settle()
    expect(root.querySelector('h1')?.textContent).toBe('Settings')
    expect(heading(root)).toBe('Office')
    expect(labels(root)).toContain('JPEG photos')
  })

  it('office: labels, kinds of file, and what to correct', async () => {
    const root = await open('office')
    expect(heading(root)).toBe('Oficina')
    expect(labels(root)).toEqual(expect.arrayContaining(['Nombre de la oficina', 'Idioma del personal', 'Zona horaria de la oficina', 'Fotos JPEG', 'HEIC (fotos de iPhone)']))
    type(root.querySelector('#office-name'), ' ')
    type(root.querySelector('#office-upload-mb'), '0')
    button(root, 'Guardar la configuración de la oficina').click()
    await settle()
    expect(alert(root)).toBe('No se guardó nada: corrija los campos marcados.')
    expect(root.querySelector('#office-name-error')?.textContent).toBe('Escriba el nombre de la oficina: aparece en el portal y en los correos.')
    expect(root.querySelector('#office-upload-mb-error')?.textContent).toBe('Tamaño máximo en MB: escriba un número entero de 1 a 2048.')
  })

  it('statuses: moves one, with Spanish announcements and plurals', async () => {
    const root = await open('statuses')
    expect(heading(root)).toBe('Estados del caso')
    button(root, 'Bajar Received').click()
    await settle()
    expect(root.querySelector('[role=status].visually-hidden')?.textContent).toBe('Received pasó al lugar 2 de 3. Guarde la lista para conservar el cambio.')
    ;(root.querySelector('#status-retired-2') as HTMLInputElement).click()
    flushSync()
    button(root, 'Guardar la lista de estados').click()
    await settle()
    expect(status(root)).toBe('Guardado: 2 estados disponibles, 1 retirado.')
  })

  it('passwords and lockout: the NIST preset and the lockout in Spanish', async () => {
    const root = await open('passwords')
    expect(heading(root)).toBe('Contraseñas de los clientes')
    expect(root.querySelector('.lead')?.textContent).toMatch(/^Regla actual: al menos 10 caracteres\./)
    button(root, 'Usar la opción NIST').click()
    await settle()
    expect(status(root)).toMatch(/^Guardado: la opción NIST/)
    expect(root.querySelector('.lead')?.textContent).toMatch(/^Regla actual: la opción NIST \(al menos 15 caracteres/)
    type(root.querySelector('#lockout-threshold'), '1')
    button(root, 'Guardar el bloqueo').click()
    await settle()
    expect(status(root)).toContain('después de 1 intento fallido, la cuenta se bloquea por un tiempo.')
  })

  it('two-factor and invitations: hints and save outcomes in Spanish', async () => {
    let root = await open('twofactor')
    expect(heading(root)).toBe('Verificación en dos pasos')
    expect(root.querySelector('#tf-staff-hint')?.textContent).toMatch(/hasta que usted tenga el suyo/)
    button(root, 'Guardar las reglas de verificación').click()
    await settle()
    expect(status(root)).toBe('Guardado: el segundo paso es opcional para los clientes y opcional para el personal.')
    close()
    root = await open('invitations')
    expect(heading(root)).toBe('Invitaciones')
    expect(labels(root)).toContain('Su fecha de nacimiento')
    button(root, 'Guardar la configuración de las invitaciones').click()
    await settle()
    expect(status(root)).toMatch(/^Guardado: las invitaciones duran 168 horas/)
  })

  it('email: the server\'s fields, the test and who is told, in Spanish', async () => {
    const root = await open('mail')
    expect(heading(root)).toBe('Correo electrónico')
    expect(labels(root)).toEqual(expect.arrayContaining(['Servidor', 'Puerto', 'Contraseña', 'Un mensaje nuevo', 'Enviar la prueba a']))
    expect(root.querySelector('#mail-password-hint')?.textContent).toBe('Hay una contraseña guardada que nunca se muestra. Deje esto vacío para conservarla.')
    expect([...root.querySelectorAll('#mail-alerts option')].map((o) => o.textContent)).toContain('el asesor del caso')
    type(root.querySelector('#mail-test-to'), 'nadie')
    button(root, 'Enviar la prueba').click()
    await settle()
    expect(alert(root)).toBe('Escriba el correo electrónico al que enviar la prueba.')
  })

  it('domain and backups: the certificate\'s state and a backup\'s size in Spanish', async () => {
    let root = await open('domain')
    expect(heading(root)).toBe('Dominio y certificado')
    expect(root.querySelector('dl.facts')?.getAttribute('aria-label')).toBe('Certificado')
    expect(root.querySelector('#cert-state')?.textContent).toBe('Válido')
    expect(root.querySelector('#domain-public-api-warning')?.textContent).toMatch(/^\s*Atención:/)
    close()
    root = await open('backups')
    expect(heading(root)).toBe('Copias de seguridad')
    expect(root.querySelector('#backup-last')?.textContent).toBe('Ninguna todavía')
    button(root, 'Hacer una copia ahora').click()
    await settle()
    expect(root.textContent).toContain('Copia hecha: /srv/backups/clientportal-20261207-150000.tar.gz (3,2 MB).')
    expect(root.querySelector('#backup-last')?.textContent).toMatch(/^Hecha el .*\(3,2 MB\)$/)
    type(root.querySelector('#backup-time'), '25:00')
    button(root, 'Guardar la configuración de las copias').click()
    await settle()
    expect(root.querySelector('#backup-time-error')?.textContent).toBe('Escriba la hora como HH:MM en formato de 24 horas, por ejemplo 02:30.')
  })

  it('branding and staff: contrast, logo, accounts in Spanish', async () => {
    let root = await open('branding')
    expect(heading(root)).toBe('Imagen de la oficina')
    expect(root.querySelector('#brand-contrast')?.textContent).toMatch(/^Texto blanco sobre este color: contraste \d+,\d:1 — se lee bien\.$/)
    expect(root.textContent).toContain('El portal muestra su propio logotipo.')
    type(root.querySelector('#brand-color'), 'amarillo')
    button(root, 'Guardar el color').click()
    await settle()
    expect(root.querySelector('#brand-color-error')?.textContent).toMatch(/^Escriba el color como #/)
    close()
    root = await open('staff')
    expect(heading(root)).toBe('Cuentas del personal')
    button(root, 'Cambiar Marcus Oyelaran').click()
    await settle()
    expect(root.querySelector('form[aria-label="Restablecer el segundo paso de Marcus Oyelaran"]')).not.toBeNull()
    button(root, 'Agregar').click()
    await settle()
    expect(root.querySelector('#staff-add-name-error')?.textContent).toBe('Escriba su nombre.')
    expect(root.querySelector('#staff-add-email-error')?.textContent).toBe('Escriba su correo electrónico: lo usa para iniciar sesión.')
  })
})
