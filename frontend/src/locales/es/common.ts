import type { Messages } from '../types'
import type { common as en } from '../en/common'

export const common: Messages<typeof en> = {
  skip: 'Ir al contenido',
  product: 'clientportal',
  nav: {
    label: 'Principal',
    dashboard: 'Panel',
    cases: 'Casos',
    clients: 'Clientes',
    waiting: 'Esperan una invitación',
    settings: 'Configuración',
  },
  live: {
    on: 'Actualizaciones en vivo',
    reconnecting_one: 'Reconectando en {{count}} s…',
    reconnecting_many: 'Reconectando en {{count}} s…',
    reconnecting_other: 'Reconectando en {{count}} s…',
    off: 'Sin actualizaciones en vivo',
  },
  logout: 'Cerrar sesión',
  loggedOut: 'Ha cerrado la sesión.',
  version: 'Versión {{version}}',
  language: {
    label: 'Idioma',
    system: 'Como el sistema',
    systemNamed: 'Como el sistema ({{name}})',
    saveFailed: 'El idioma cambió por ahora, pero no se guardó: {{error}}',
  },
  notify: {
    label: 'Avisos de escritorio',
    title: 'Un aviso de escritorio por cada mensaje o documento nuevo de un cliente',
  },
  error: {
    unknown: 'Algo salió mal y el panel de control no sabe describirlo. Inténtelo de nuevo.',
    empty: 'Algo salió mal. Inténtelo de nuevo.',
  },
}
