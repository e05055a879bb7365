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
	PathTLS                  = "/api/v1/tls"
	PathSettingsDomain       = "/api/v1/settings/domain"
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
		{http.MethodGet, PathTLS},
		{http.MethodGet, PathSettingsDomain},
		{http.MethodPut, PathSettingsDomain},
	}
}
