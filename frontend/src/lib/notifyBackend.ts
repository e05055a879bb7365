// The desktop notifications' setting as the control panel sees it: in the
// window, the Go side's Notifications binding; in unit tests, a stand-in.
import * as NotificationsBinding from '../../wailsjs/go/app/Notifications'

export interface NotificationSettings {
  enabled: boolean
}

export interface NotifyBackend {
  settings(): Promise<NotificationSettings>
  setEnabled(on: boolean): Promise<NotificationSettings>
}

export const wailsNotify: NotifyBackend = {
  settings: NotificationsBinding.Settings,
  setEnabled: NotificationsBinding.SetEnabled,
}
