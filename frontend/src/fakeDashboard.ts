// A stand-in for the dashboard's part of the Go side (DashboardBackend):
// a summary and a service state in memory, which tests change; the unit
// tests' FakeOffice gets it through FakeClients.
import type { DashboardBackend } from './lib/dashboardBackend'
import type { ServiceState, Summary } from './lib/dashboardTypes'

export function emptySummary(): Summary {
  const weeks = Array.from({ length: 12 }, (_, i) => {
    const d = new Date(Date.UTC(2026, 8, 21 + 7 * i))
    return { week: d.toISOString().slice(0, 10), signIns: i, messages: i % 3, uploads: i % 2 }
  })
  return {
    clientsOnline: 0, messagesTotal: 0, messages: [], uploadsTotal: 0, uploads: [], outboxFailed: 0, outboxFailures: [],
    certificate: { state: 'valid', domain: 'portal.riverside.example', notAfter: '2027-02-01T00:00:00Z', daysLeft: 56, message: '', error: '', staffFingerprint: '' },
    backup: { available: true, note: '', hasLast: true, finished: '2026-12-07T02:00:00Z', size: 1_400_000, ok: true, error: '', next: '2026-12-08T02:00:00Z' },
    activity: weeks, read: '',
  }
}

export class FakeDashboard implements DashboardBackend {
  dashboardCalls: string[] = []
  summary: Summary = emptySummary()
  service: ServiceState = { installed: false, state: 'not installed', platform: 'unix-systemv', message: 'The portal service is not installed on this computer.' }
  // refuse, when set, is what a start, stop or restart answers.
  refuse = ''

  async dashboard(): Promise<Summary> {
    this.dashboardCalls.push('dashboard')
    return structuredClone(this.summary)
  }

  async serviceState(): Promise<ServiceState> {
    this.dashboardCalls.push('serviceState')
    return { ...this.service }
  }

  private async act(what: string, state: string): Promise<ServiceState> {
    this.dashboardCalls.push(what)
    if (this.refuse) throw this.refuse
    this.service = { ...this.service, state, message: `The portal service is ${state}.` }
    return { ...this.service }
  }

  startService() { return this.act('startService', 'running') }
  stopService() { return this.act('stopService', 'stopped') }
  restartService() { return this.act('restartService', 'running') }
}
