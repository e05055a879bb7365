// The dashboard's part of the Go side (see backend.ts, whose Backend
// extends this interface): the binding window.go.app.Dashboard.
import * as DashboardBinding from '../../wailsjs/go/app/Dashboard'
import type { ServiceState, Summary } from './dashboardTypes'

export interface DashboardBackend {
  dashboard(): Promise<Summary>
  serviceState(): Promise<ServiceState>
  startService(): Promise<ServiceState>
  stopService(): Promise<ServiceState>
  restartService(): Promise<ServiceState>
}

// wailsDashboard calls the bindings of the running window.
export const wailsDashboard: DashboardBackend = {
  dashboard: DashboardBinding.Summary,
  serviceState: DashboardBinding.ServiceState,
  startService: DashboardBinding.StartService,
  stopService: DashboardBinding.StopService,
  restartService: DashboardBinding.RestartService,
}
