package api

import "net/http"

// Paths of the staff API, relative to the service's base URL, in the
// http.ServeMux pattern syntax: the service registers them as they are, and
// the client fills in each {name} with a record id.
const (
	PathSession              = "/api/v1/session"
	PathMe                   = "/api/v1/me"
	PathVersion              = "/api/v1/version"
	PathStaff                = "/api/v1/staff"
	PathStaffMember          = "/api/v1/staff/{id}"
	PathClients              = "/api/v1/clients"
	PathClient               = "/api/v1/clients/{id}"
	PathClientCases          = "/api/v1/clients/{id}/cases"
	PathClientAccess         = "/api/v1/clients/{id}/access"
	PathClientPassword       = "/api/v1/clients/{id}/password"
	PathClientPasswordVerify = "/api/v1/clients/{id}/password/verify"
	PathCases                = "/api/v1/cases"
	PathCase                 = "/api/v1/cases/{id}"
	PathCaseStatuses         = "/api/v1/cases/{id}/statuses"
	PathCaseStatus           = "/api/v1/cases/{id}/statuses/{entry}"
	PathCaseStatusCorrect    = "/api/v1/cases/{id}/statuses/{entry}/correct"
	PathCaseStatusWithdraw   = "/api/v1/cases/{id}/statuses/{entry}/withdraw"
	PathSettings             = "/api/v1/settings"
	PathSettingsStatuses     = "/api/v1/settings/statuses"
	PathSettingsPolicy       = "/api/v1/settings/password-policy"
	PathAudit                = "/api/v1/audit"
	PathSettingsMail         = "/api/v1/settings/mail"
	PathSettingsMailTest     = "/api/v1/settings/mail/test"
	PathOutbox               = "/api/v1/outbox"
	PathCaseMessages         = "/api/v1/cases/{id}/messages"
	PathCaseMessagesRead     = "/api/v1/cases/{id}/messages/read"
	PathEvents               = "/api/v1/events"
	PathCaseAppointments     = "/api/v1/cases/{id}/appointments"
	PathAppointmentCancel    = "/api/v1/cases/{id}/appointments/{appointment}/cancel"
	PathCaseDocuments        = "/api/v1/cases/{id}/documents"
	PathDocument             = "/api/v1/documents/{id}"
	PathDocumentContent      = "/api/v1/documents/{id}/content"
	// Backups and the configuration check (the OS service issue).
	PathBackups        = "/api/v1/backups"
	PathSettingsBackup = "/api/v1/settings/backup"
	PathConfigCheck    = "/api/v1/config/check"
	PathAppointment    = "/api/v1/appointments/{id}"
	PathCaseRequests   = "/api/v1/cases/{id}/requests"
	PathRequest        = "/api/v1/requests/{id}"
	PathRequestAccept  = "/api/v1/requests/{id}/accept"
	PathRequestReturn  = "/api/v1/requests/{id}/return"

	// Account security (issue 9, twofactor): the audit trail's export, the
	// second factor, preview as the client, branding.
	PathAuditCSV             = "/api/v1/audit.csv"
	PathSessionSecondFactor  = "/api/v1/session/second-factor"
	PathMeTwoFactor          = "/api/v1/me/two-factor"
	PathMeTwoFactorConfirm   = "/api/v1/me/two-factor/confirm"
	PathSettingsTwoFactor    = "/api/v1/settings/two-factor"
	PathClientTwoFactor      = "/api/v1/clients/{id}/two-factor"
	PathClientTwoFactorReset = "/api/v1/clients/{id}/two-factor/reset"
	PathClientPreview        = "/api/v1/clients/{id}/preview"
	PathStaffTwoFactorReset  = "/api/v1/staff/{id}/two-factor/reset"
	PathSettingsBranding     = "/api/v1/settings/branding"
	PathSettingsBrandingLogo = "/api/v1/settings/branding/logo"
	PathBrandingSnippet      = "/api/v1/branding/snippet"
	PathTLS                  = "/api/v1/tls"
	PathSettingsDomain       = "/api/v1/settings/domain"

	// The control panel's dashboard (issue 10).
	PathDashboard = "/api/v1/dashboard"
)

// Prefix is where the staff API lives: every answer under it is JSON.
const Prefix = "/api/"

// Route is one method and path of the staff API.
type Route struct {
	Method string
	Path   string
}

// Pattern is the route as an http.ServeMux pattern ("GET /api/v1/me").
func (r Route) Pattern() string { return r.Method + " " + r.Path }

// Routes lists every route of the staff API: the service registers exactly
// these (a test holds it to that), and the client has a method for each.
func Routes() []Route {
	return []Route{
		{http.MethodPost, PathSession},
		{http.MethodDelete, PathSession},
		{http.MethodGet, PathMe},
		{http.MethodGet, PathVersion},
		{http.MethodGet, PathStaff},
		{http.MethodPost, PathStaff},
		{http.MethodGet, PathStaffMember},
		{http.MethodPatch, PathStaffMember},
		{http.MethodGet, PathClients},
		{http.MethodPost, PathClients},
		{http.MethodGet, PathClient},
		{http.MethodPatch, PathClient},
		{http.MethodGet, PathClientCases},
		{http.MethodGet, PathClientAccess},
		{http.MethodPatch, PathClientAccess},
		{http.MethodPut, PathClientPassword},
		{http.MethodPost, PathClientPasswordVerify},
		{http.MethodGet, PathCases},
		{http.MethodPost, PathCases},
		{http.MethodGet, PathCase},
		{http.MethodPatch, PathCase},
		{http.MethodGet, PathCaseStatuses},
		{http.MethodPost, PathCaseStatuses},
		{http.MethodGet, PathCaseStatus},
		{http.MethodPost, PathCaseStatusCorrect},
		{http.MethodPost, PathCaseStatusWithdraw},
		{http.MethodGet, PathSettings},
		{http.MethodPatch, PathSettings},
		{http.MethodGet, PathSettingsStatuses},
		{http.MethodPut, PathSettingsStatuses},
		{http.MethodGet, PathSettingsPolicy},
		{http.MethodPut, PathSettingsPolicy},
		{http.MethodGet, PathAudit},
		{http.MethodPatch, PathMe},
		{http.MethodGet, PathSettingsMail},
		{http.MethodPut, PathSettingsMail},
		{http.MethodPost, PathSettingsMailTest},
		{http.MethodGet, PathOutbox},
		{http.MethodGet, PathCaseMessages},
		{http.MethodPost, PathCaseMessages},
		{http.MethodPost, PathCaseMessagesRead},
		{http.MethodGet, PathEvents},
		{http.MethodGet, PathCaseAppointments},
		{http.MethodPost, PathCaseAppointments},
		{http.MethodPost, PathAppointmentCancel},
		{http.MethodGet, PathCaseDocuments},
		{http.MethodPost, PathCaseDocuments},
		{http.MethodPatch, PathDocument},
		{http.MethodGet, PathDocumentContent},
		{http.MethodGet, PathBackups},
		{http.MethodPost, PathBackups},
		{http.MethodGet, PathSettingsBackup},
		{http.MethodPut, PathSettingsBackup},
		{http.MethodGet, PathConfigCheck},
		{http.MethodGet, PathClientInvitation},
		{http.MethodPost, PathClientInvitation},
		{http.MethodDelete, PathClientInvitation},
		{http.MethodPost, PathClientReset},
		{http.MethodPut, PathClientTemporaryPassword},
		{http.MethodPost, PathInvitations},
		{http.MethodGet, PathInvitationsWaiting},
		{http.MethodGet, PathSettingsOnboarding},
		{http.MethodPut, PathSettingsOnboarding},
		{http.MethodPatch, PathAppointment},
		{http.MethodGet, PathCaseRequests},
		{http.MethodPost, PathCaseRequests},
		{http.MethodPatch, PathRequest},
		{http.MethodPost, PathRequestAccept},
		{http.MethodPost, PathRequestReturn},
		{http.MethodGet, PathAuditCSV},
		{http.MethodPost, PathSessionSecondFactor},
		{http.MethodGet, PathMeTwoFactor},
		{http.MethodPost, PathMeTwoFactor},
		{http.MethodPost, PathMeTwoFactorConfirm},
		{http.MethodGet, PathSettingsTwoFactor},
		{http.MethodPut, PathSettingsTwoFactor},
		{http.MethodGet, PathClientTwoFactor},
		{http.MethodPut, PathClientTwoFactor},
		{http.MethodPost, PathClientTwoFactorReset},
		{http.MethodPost, PathClientPreview},
		{http.MethodPost, PathStaffTwoFactorReset},
		{http.MethodGet, PathSettingsBranding},
		{http.MethodPut, PathSettingsBranding},
		{http.MethodPut, PathSettingsBrandingLogo},
		{http.MethodDelete, PathSettingsBrandingLogo},
		{http.MethodGet, PathBrandingSnippet},
		{http.MethodGet, PathTLS},
		{http.MethodGet, PathSettingsDomain},
		{http.MethodPut, PathSettingsDomain},
		{http.MethodGet, PathDashboard},
	}
}
