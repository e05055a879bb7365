package setup_test

import (
	"testing"

	"clientportal/server/api"
	"clientportal/server/setup"
	"clientportal/store"
)

// The rules the control panel shows for a staff password are the ones the
// service applies: a password one character short of them is refused, and
// one that meets them (and is not guessable) is taken.
func TestStaffPasswordPolicyIsTheOneApplied(t *testing.T) {
	p := api.StaffPasswordPolicy
	if p != (api.PasswordPolicy{MinLength: store.PolicyNIST.MinLength, MinUpper: store.PolicyNIST.MinUpper,
		MinLower: store.PolicyNIST.MinLower, MinDigit: store.PolicyNIST.MinDigit, MinSpecial: store.PolicyNIST.MinSpecial}) {
		t.Fatalf("api.StaffPasswordPolicy %+v differs from the staff rule store.PolicyNIST %+v", p, store.PolicyNIST)
	}
	long := "harbor lantern cobalt mist"
	if err := setup.CheckPassword(long[:p.MinLength-1], "Alex Morgan", "admin@office.example"); err == nil {
		t.Errorf("a %d-character password was accepted", p.MinLength-1)
	}
	if err := setup.CheckPassword(long, "Alex Morgan", "admin@office.example"); err != nil {
		t.Errorf("a password meeting the rules was refused: %v", err)
	}
}
