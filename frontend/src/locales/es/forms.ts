import type { Messages } from '../types'
import type { forms as en } from '../en/forms'

export const forms: Messages<typeof en> = {
  connect: {
    address: 'Escriba la dirección del servicio del portal, por ejemplo https://portal.example.org.',
    email: 'Escriba su correo electrónico del personal.',
    notEmail: '“{{email}}” no es un correo electrónico: necesita un nombre, una @ y un dominio.',
    password: 'Escriba su contraseña.',
  },
  date: {
    format: 'Escriba la fecha como AAAA-MM-DD, o déjela vacía para usar la fecha de hoy.',
    notDate: '{{date}} no es una fecha del calendario.',
  },
  saving: {
    fix: 'No se guardó nada: corrija los campos marcados.',
    refused: 'No se guardó nada. {{reason}}',
    busy: 'Guardando…',
  },
}
