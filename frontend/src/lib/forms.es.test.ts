// The shared form checks and a settings form's save speak the panel's
// language: Spanish when it speaks Spanish, English again after.
import { afterEach, describe, expect, it } from 'vitest'
import { checkConnect, checkDate } from './forms'
import { Saving } from './saving.svelte'
import { useLang } from './i18n.svelte'

afterEach(() => useLang('en'))

describe('form checks in Spanish', () => {
  it('say what to fix in Spanish, and in English after a switch back', () => {
    useLang('es')
    expect(checkConnect({ address: '', email: 'dana', password: '' })).toEqual({
      address: 'Escriba la dirección del servicio del portal, por ejemplo https://portal.example.org.',
      email: '“dana” no es un correo electrónico: necesita un nombre, una @ y un dominio.',
      password: 'Escriba su contraseña.',
    })
    expect(checkDate('28/02/2026')).toBe('Escriba la fecha como AAAA-MM-DD, o déjela vacía para usar la fecha de hoy.')
    expect(checkDate('2026-02-30')).toBe('2026-02-30 no es una fecha del calendario.')
    useLang('en')
    expect(checkDate('2026-02-30')).toBe('2026-02-30 is not a date of the calendar.')
  })

  it('a refused save says nothing was saved, in Spanish, and keeps the field\'s reason', async () => {
    useLang('es')
    const s = new Saving()
    expect(await s.run('Guardado.', async () => 1, { name: 'Escriba el nombre.' })).toBe(false)
    expect(s.error).toBe('No se guardó nada: corrija los campos marcados.')
    expect(s.fields).toEqual({ name: 'Escriba el nombre.' })
    const refusedJSON = JSON.stringify({ message: 'el puerto debe estar entre 1 y 65535', field: 'port' })
    expect(await s.run('Guardado.', async () => { throw new Error(refusedJSON) })).toBe(false)
    expect(s.error).toMatch(/^No se guardó nada\. /)
    expect(s.error).toContain('puerto debe estar entre 1 y 65535')
    expect(Object.keys(s.fields)).toEqual(['port'])
  })
})
