package api

// PathSetup is the route that creates the first administrator with the setup
// code (POST, from the server itself only).
const PathSetup = "/api/v1/setup"

// SetupCodeFile is the setup code's file in the service's data folder,
// readable by the service's account only: the first-run wizard on the same
// computer reads it from there.
const SetupCodeFile = "setup-code.txt"

// SetupRequest is the body of POST /api/v1/setup: the single-use setup code
// from the data folder, and the first administrator's login. The answer is
// 201 with the new administrator as Staff.
type SetupRequest struct {
	Code     string `json:"code"`
	Email    string `json:"email"`
	Name     string `json:"name"`
	Password string `json:"password"`
}

// StaffPasswordPolicy is the rule every staff password follows, the first
// administrator's included (NIST SP 800-63B: long, no composition rules;
// the service also refuses common and guessable ones). The control panel
// shows it under the password field before anyone can log in to read the
// office's settings.
var StaffPasswordPolicy = PasswordPolicy{MinLength: 15}
