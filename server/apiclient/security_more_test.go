package apiclient_test

import (
	"context"
	"strings"
	"testing"

	"clientportal/server/api"
	"clientportal/server/apiclient"
	"clientportal/server/servertest"
)

// securityCallsMore calls the preview and branding routes for TestEveryRoute.
func securityCallsMore(t *testing.T, env *servertest.Env, rec *calls, admin, staff *apiclient.Client, clientID uint64) {
	t.Helper()
	ctx := context.Background()
	link := must[api.PreviewLink](t, "PreviewClient")(staff.PreviewClient(ctx, clientID))
	if !strings.HasPrefix(link.URL, env.URL+"/preview/") {
		t.Errorf("PreviewClient = %+v", link)
	}
}
