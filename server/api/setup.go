package api

// PathSetup is the route that creates the first administrator with the setup
// code (POST, from the server itself only).
const PathSetup = "/api/v1/setup"

// SetupRequest is the body of POST /api/v1/setup: the single-use setup code
// from the data folder, and the first administrator's login. The answer is
// 201 with the new administrator as Staff.
type SetupRequest struct {
	Code     string `json:"code"`
	Email    string `json:"email"`
	Name     string `json:"name"`
	Password string `json:"password"`
}
