package app

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"clientportal/installer"
	"clientportal/server/api"
	"clientportal/server/apiclient"
	"clientportal/server/apitext"
	"clientportal/server/portuse"
)

// ServiceNameEnv is a test aid: a name of the form clientportal-test-…
// makes the wizard install and control the service under that name instead
// of clientportal, so a test on a machine never touches an office's
// service. Never set it on an office's computer.
const ServiceNameEnv = "CLIENTPORTAL_TEST_SERVICE_NAME"

// ServiceChildEnv is a test aid for the window test, together with
// ServiceNameEnv: "1" makes Install start the service as a child process of
// the panel (`clientportal service run` with the same settings) instead of
// through the service manager, so the window test gets a fresh service that
// inherits its environment (the test SMTP server's certificate in
// SSL_CERT_FILE, which System V's `service` command would clear) and ends
// with the window. The real install is tested in TestWizardInstallsTheService.
const ServiceChildEnv = "CLIENTPORTAL_TEST_SERVICE_CHILD"

// ServiceHTTPSEnv and ServiceStaffEnv are test aids for the child service
// (ServiceChildEnv): its --https and --staff-listen addresses, so a window
// test's service serves HTTPS where a test CA validates, on ports of its
// own rather than 443 and 8443.
// ServiceRedirectEnv is its --redirect-listen ("": off, so a test never
// takes port 80).
const (
	ServiceHTTPSEnv    = "CLIENTPORTAL_TEST_SERVICE_HTTPS"
	ServiceStaffEnv    = "CLIENTPORTAL_TEST_SERVICE_STAFF"
	ServiceRedirectEnv = "CLIENTPORTAL_TEST_SERVICE_REDIRECT"
)

var testServiceName = regexp.MustCompile(`^clientportal-test-[a-z0-9-]{1,40}$`)

// The wizard's steps, in order; the frontend shows them in this order and
// the progress file remembers the last one the person reached.
var wizardSteps = []string{"service", "wait", "admin", "login", "domain", "mail", "key", "certificate", "done"}

// Wizard is bound to the frontend as window.go.app.Wizard: the first run on
// the office server. It installs and starts the OS service (through the
// installer package), waits for it, creates the first administrator with the
// setup code the service wrote in its data folder, logs in, and then sets
// the domain and the mail server, shows the documents key and the
// certificate through the staff API, running the service's configuration
// check on the way. Where the person was is kept in a small file of the
// person's own (never a password, a code or a key), so closing the window
// loses nothing.
type Wizard struct {
	link    *link
	session *Session

	mu sync.Mutex
	// Seams for tests (zero values: the real thing).
	exe       string      // the program the service runs ("": this one)
	name      string      // the service's name ("": installer.ServiceName)
	admin     func() bool // whether this panel may install services
	statePath string      // the progress file ("": in the user's config folder)
	// child: start the service as a child process (ServiceChildEnv);
	// started is that process once it runs.
	child     bool
	started   *exec.Cmd
	childDone bool
}

func newWizard(l *link, s *Session) *Wizard {
	w := &Wizard{link: l, session: s}
	if n := os.Getenv(ServiceNameEnv); testServiceName.MatchString(n) {
		w.name = n
		w.child = os.Getenv(ServiceChildEnv) == "1"
	}
	return w
}

// ServiceSettings are what the service is installed with.
type ServiceSettings struct {
	DataDir   string `json:"dataDir"`   // the data folder
	Address   string `json:"address"`   // HOST:PORT of its plain HTTP listener on this computer
	OfficeKey string `json:"officeKey"` // the documents key's file, outside the data folder
	LogDir    string `json:"logDir"`    // the log folder
}

// FirstRun is what the window needs to know to offer, open or resume the
// wizard.
type FirstRun struct {
	// Resume: open the wizard at once (it was begun and not finished, or the
	// installed service still waits for its first administrator).
	Resume bool   `json:"resume"`
	Step   string `json:"step"` // the step to show ("service" at first)
	// Status is the service's state: "running", "stopped" or "not installed"
	// ("" when the service manager could not say; Problem says why).
	Status   string `json:"status"`
	Platform string `json:"platform"`
	// Admin: the panel runs with the rights to install a service.
	Admin      bool            `json:"admin"`
	Service    ServiceSettings `json:"service"`
	AdminEmail string          `json:"adminEmail"`
	Problem    string          `json:"problem"`
}

// firstRunProgress is the wizard's file: where the person was.
type firstRunProgress struct {
	Step       string          `json:"step"`
	Service    ServiceSettings `json:"service"`
	AdminEmail string          `json:"admin_email,omitempty"`
	Done       bool            `json:"done,omitempty"`
}

func (w *Wizard) progressPath() (string, error) {
	if w.statePath != "" {
		return w.statePath, nil
	}
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("find your settings folder to remember the wizard's progress: %w", err)
	}
	return filepath.Join(dir, "clientportal-panel", "first-run.json"), nil
}

func (w *Wizard) load() (firstRunProgress, bool) {
	path, err := w.progressPath()
	if err != nil {
		return firstRunProgress{}, false
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return firstRunProgress{}, false
	}
	var p firstRunProgress
	if json.Unmarshal(data, &p) != nil || !slices.Contains(wizardSteps, p.Step) {
		return firstRunProgress{}, false
	}
	return p, true
}

// save writes the progress file: a temp file, synced and renamed, so a
// crash leaves the old or the new one.
func (w *Wizard) save(p firstRunProgress) error {
	path, err := w.progressPath()
	if err != nil {
		return err
	}
	if err := writeJSONFile(path, p); err != nil {
		return fmt.Errorf("remember the wizard's progress in %s: %w", path, err)
	}
	return nil
}

// update changes the progress file under the lock.
func (w *Wizard) update(fn func(*firstRunProgress)) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	p, ok := w.load()
	if !ok {
		p = firstRunProgress{Step: "service", Service: defaultSettings()}
	}
	fn(&p)
	return w.save(p)
}

func defaultSettings() ServiceSettings {
	return ServiceSettings{DataDir: installer.DefaultDataDir(), Address: "127.0.0.1:8080",
		OfficeKey: installer.DefaultKeyPath(), LogDir: installer.DefaultLogDir()}
}

func (w *Wizard) isAdmin() bool {
	if w.admin != nil {
		return w.admin()
	}
	return hasAdminRights()
}

func (w *Wizard) manager(s ServiceSettings) (*installer.Manager, error) {
	return installer.NewManager(installer.Options{Name: w.name, DataDir: s.DataDir, HTTPAddr: s.Address,
		LogDir: s.LogDir, OfficeKey: s.OfficeKey, Executable: w.exe})
}

// Open tells the window whether to open the wizard, and where the person
// was: the settings and step they reached, or this computer's defaults.
func (w *Wizard) Open() (FirstRun, error) {
	w.mu.Lock()
	p, begun := w.load()
	w.mu.Unlock()
	fr := FirstRun{Step: "service", Service: defaultSettings(), Admin: w.isAdmin()}
	if begun {
		fr.Step, fr.Service, fr.AdminEmail = p.Step, p.Service, p.AdminEmail
	}
	m, err := w.manager(fr.Service)
	if err != nil {
		fr.Problem = err.Error()
		return fr, nil
	}
	fr.Platform = m.Platform()
	st, err := w.status(m)
	if err != nil {
		fr.Problem = err.Error()
	} else {
		fr.Status = string(st)
	}
	// A service that still has its setup code has no administrator yet.
	_, codeErr := os.Stat(filepath.Join(fr.Service.DataDir, api.SetupCodeFile))
	waitsForAdmin := st != installer.StatusNotInstalled && !errors.Is(codeErr, fs.ErrNotExist)
	fr.Resume = (begun && !p.Done) || (waitsForAdmin && err == nil)
	if waitsForAdmin && !begun {
		fr.Step = "wait"
	}
	return fr, nil
}

// SaveStep remembers the step the person reached.
func (w *Wizard) SaveStep(step string) error {
	if !slices.Contains(wizardSteps, step) {
		return fmt.Errorf("%q is not a step of the wizard", step)
	}
	return w.update(func(p *firstRunProgress) {
		p.Step = step
		p.Done = step == "done"
	})
}

// InstallResult says what Install did.
type InstallResult struct {
	// Done: the service is installed and started (or already was).
	Done bool `json:"done"`
	// NeedsAdmin: the panel lacks the rights; Commands are what to run as
	// administrator instead, then the wizard waits for the service.
	NeedsAdmin bool            `json:"needsAdmin"`
	Commands   []string        `json:"commands"`
	Message    string          `json:"message"`
	Settings   ServiceSettings `json:"settings"`
}

// Install checks the settings, installs the service with them and starts
// it. Without administrator rights it installs nothing and answers the
// commands to run as administrator.
func (w *Wizard) Install(s ServiceSettings) (InstallResult, error) {
	s, err := checkSettings(s)
	if err != nil {
		return InstallResult{}, err
	}
	if err := w.update(func(p *firstRunProgress) { p.Service = s }); err != nil {
		return InstallResult{}, err
	}
	res := InstallResult{Settings: s, Commands: w.commands(s)}
	m, err := w.manager(s)
	if err != nil {
		return res, uiText(apitext.New("error.no_service_manager", "could not find this computer's service manager: {{.Err}}", "Err", err.Error()), err)
	}
	st, err := w.status(m)
	if err != nil {
		return res, uiText(apitext.New("error.service_status", "could not ask the service manager about the service: {{.Err}}", "Err", err.Error()), err)
	}
	if st == installer.StatusRunning {
		res.Done, res.Message = true, w.link.say(apitext.New("wizard.already_running", "The portal service is already installed and running."))
		return res, nil
	}
	if st == installer.StatusNotInstalled {
		if err := portFree(s.Address); err != nil {
			return res, err
		}
	}
	if !w.isAdmin() {
		res.NeedsAdmin = true
		res.Message = w.link.say(needsAdminText())
		return res, nil
	}
	if w.child {
		if err := w.startChild(s); err != nil {
			return res, uiText(apitext.New("error.service_start", "could not start the service: {{.Err}}", "Err", err.Error()), err)
		}
		res.Done, res.Message = true, w.link.say(apitext.New("wizard.started_child", "The portal service is started (as a child of this window: a test)."))
		return res, nil
	}
	if st == installer.StatusNotInstalled {
		if err := m.Install(); err != nil {
			if errors.Is(err, fs.ErrPermission) {
				res.NeedsAdmin, res.Message = true, w.link.say(needsAdminText())
				return res, nil
			}
			return res, uiText(apitext.New("error.service_install", "could not install the service: {{.Err}}", "Err", err.Error()), err)
		}
	}
	if err := m.Start(); err != nil {
		if errors.Is(err, fs.ErrPermission) {
			res.NeedsAdmin, res.Message = true, w.link.say(needsAdminText())
			return res, nil
		}
		return res, uiText(apitext.New("error.service_not_started", "the service is installed but did not start: {{.Err}}{{.Hint}}", "Err", err.Error(), "Hint", w.logHint(s)), err)
	}
	res.Done, res.Message = true, w.link.say(apitext.New("wizard.installed", "The portal service is installed ({{.Platform}}) and started; it starts by itself when the computer starts.", "Platform", m.Platform()))
	return res, nil
}

// status is the service manager's answer, or the child's state.
func (w *Wizard) status(m *installer.Manager) (installer.Status, error) {
	if !w.child {
		return m.Status()
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.started != nil && !w.childDone {
		return installer.StatusRunning, nil
	}
	return installer.StatusNotInstalled, nil
}

// startChild runs `clientportal service run` with the settings as a child
// process (ServiceChildEnv).
func (w *Wizard) startChild(s ServiceSettings) error {
	exe := w.exe
	if exe == "" {
		var err error
		if exe, err = os.Executable(); err != nil {
			return err
		}
	}
	o := installer.Options{DataDir: s.DataDir, HTTPAddr: s.Address, LogDir: s.LogDir, OfficeKey: s.OfficeKey,
		HTTPSAddr: os.Getenv(ServiceHTTPSEnv), StaffAddr: os.Getenv(ServiceStaffEnv), RedirectAddr: os.Getenv(ServiceRedirectEnv)}
	if o.RedirectAddr == "" {
		o.RedirectAddr = "off" // never port 80 in a test
	}
	cmd := exec.Command(exe, o.Arguments()...)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		return err
	}
	w.mu.Lock()
	w.started, w.childDone = cmd, false
	w.mu.Unlock()
	go func() {
		err := cmd.Wait()
		w.mu.Lock()
		defer w.mu.Unlock()
		if w.started == cmd {
			w.childDone = true
			fmt.Fprintf(os.Stderr, "clientportal: the service started by the wizard ended: %v\n", err)
		}
	}()
	return nil
}

func needsAdminText() apitext.Text {
	if runtime.GOOS == "windows" {
		return apitext.New("wizard.needs_admin_windows", "Installing the portal service needs administrator rights, which this window does not have. Either close it and start the control panel again with right-click, \"Run as administrator\", or run these commands in a command prompt opened as administrator. Then come back: the wizard goes on once the service answers.")
	}
	return apitext.New("wizard.needs_admin", "Installing the portal service needs administrator rights, which this window does not have. Either start the control panel again with sudo, or run these commands in a terminal (sudo asks for your password). Then come back: the wizard goes on once the service answers.")
}

// commands are what an administrator runs to do what Install does.
func (w *Wizard) commands(s ServiceSettings) []string {
	exe := w.exe
	if exe == "" {
		exe, _ = os.Executable()
	}
	quote, prefix := shellQuote, "sudo "
	if runtime.GOOS == "windows" {
		quote, prefix = winQuote, ""
	}
	install := prefix + quote(exe) + " service install --data " + quote(s.DataDir) + " --http " + quote(s.Address) +
		" --log-dir " + quote(s.LogDir) + " --office-key " + quote(s.OfficeKey)
	return []string{install, prefix + quote(exe) + " service start"}
}

var plainWord = regexp.MustCompile(`^[A-Za-z0-9_@%+=:,./-]+$`)

func shellQuote(s string) string {
	if plainWord.MatchString(s) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func winQuote(s string) string {
	if plainWord.MatchString(s) && !strings.Contains(s, " ") {
		return s
	}
	return `"` + s + `"`
}

// checkSettings checks what the person typed, with what to fix.
func checkSettings(s ServiceSettings) (ServiceSettings, error) {
	for _, f := range []struct {
		v    *string
		name string
		what apitext.Text
	}{{&s.DataDir, "data folder", apitext.New("wizard.data_folder", "data folder")},
		{&s.OfficeKey, "documents key's file", apitext.New("wizard.key_file", "documents key's file")},
		{&s.LogDir, "log folder", apitext.New("wizard.log_folder", "log folder")}} {
		*f.v = strings.TrimSpace(*f.v)
		if *f.v == "" {
			return s, uiText(apitext.New("error.choose_path", "choose the {{.What}}", "What", f.what), nil)
		}
		if !filepath.IsAbs(*f.v) {
			return s, uiText(apitext.New("error.full_path", "write the {{.What}} as a full path, such as {{.Example}}", "What", f.what, "Example", defaultSettings().DataDir), nil)
		}
		*f.v = filepath.Clean(*f.v)
	}
	if rel, err := filepath.Rel(s.DataDir, s.OfficeKey); err == nil && !strings.HasPrefix(rel, "..") {
		return s, uiText(apitext.New("error.key_inside_data", "keep the documents key outside the data folder: a copy of the data folder (a backup, a stolen disk) must not carry the key that opens it"), nil)
	}
	s.Address = strings.TrimSpace(s.Address)
	host, port, err := net.SplitHostPort(s.Address)
	n, perr := strconv.Atoi(port)
	if err != nil || perr != nil || n < 1 || n > 65535 {
		return s, uiText(apitext.New("error.address_format", "write the local address as HOST:PORT, such as 127.0.0.1:8080 (got {{.Got}})", "Got", strconv.Quote(s.Address)), nil)
	}
	if host != "" && net.ParseIP(host) == nil && host != "localhost" {
		return s, uiText(apitext.New("error.address_host", "the local address's host must be an IP address of this computer, such as 127.0.0.1 (got {{.Got}})", "Got", strconv.Quote(host)), nil)
	}
	return s, nil
}

// portFree says in plain words when another program holds the address.
func portFree(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err == nil {
		ln.Close()
		return nil
	}
	_, port, _ := net.SplitHostPort(addr)
	if portuse.Taken(err) {
		return uiText(apitext.New("error.port_taken", "another program already uses port {{.Port}} on this computer ({{.Address}}), so the portal service could not listen there: choose another port in \"Local address\" (such as 127.0.0.1:8081), or stop that program", "Port", port, "Address", addr), err)
	}
	return uiText(apitext.New("error.listen", "the portal service could not listen on {{.Address}} ({{.Err}}): choose another local address, such as 127.0.0.1:8080", "Address", addr, "Err", err.Error()), err)
}

// localURL is the service's address for this computer's own requests.
func localURL(address string) string {
	host, port, err := net.SplitHostPort(address)
	if err != nil {
		return "http://" + address
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port)
}

func (w *Wizard) settings() ServiceSettings {
	w.mu.Lock()
	defer w.mu.Unlock()
	if p, ok := w.load(); ok {
		return p.Service
	}
	return defaultSettings()
}

// Health is one answer (or not) of the service's /healthz.
type Health struct {
	OK bool `json:"ok"`
	// Detail says why not: what the service wrote in its log last, when it
	// wrote an error.
	Detail string `json:"detail"`
}

// Health asks the installed service once whether it answers (the window
// asks again every second, showing how long it has waited).
func (w *Wizard) Health() Health {
	s := w.settings()
	c, err := apiclient.New(localURL(s.Address), apiclient.WithHTTPClient(&http.Client{Timeout: 3 * time.Second}))
	if err != nil {
		return Health{Detail: err.Error()}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if err := c.Healthy(ctx); err != nil {
		d := w.link.say(apitext.New("wizard.not_answering", "The service does not answer at {{.Address}} yet.", "Address", localURL(s.Address)))
		if last := lastLogError(s.LogDir, w.serviceName()); last != "" {
			d += " " + w.link.say(apitext.New("wizard.log_says", "Its log says: {{.Log}}", "Log", last)) + w.logHint(s)
		}
		return Health{Detail: d}
	}
	return Health{OK: true}
}

func (w *Wizard) serviceName() string {
	if w.name != "" {
		return w.name
	}
	return installer.ServiceName
}

func (w *Wizard) logHint(s ServiceSettings) string {
	return " " + w.link.say(apitext.New("wizard.log_hint", "(the service's log is {{.File}})", "File", filepath.Join(s.LogDir, installer.LogFileName)))
}

// lastLogError is the last error the service logged (its log file, or what
// it printed before the log opened), "" when none.
func lastLogError(dir, name string) string {
	last := ""
	for _, f := range []string{filepath.Join(dir, name+".out"), filepath.Join(dir, installer.LogFileName)} {
		file, err := os.Open(f)
		if err != nil {
			continue
		}
		sc := bufio.NewScanner(file)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			if strings.Contains(line, "level=ERROR") || strings.HasPrefix(strings.ToLower(line), "error") {
				last = line
			}
		}
		file.Close()
	}
	if i := strings.Index(last, "err="); i >= 0 {
		last = strings.Trim(last[i+4:], `"`)
	}
	return last
}

// SetupCode is the first administrator's setup code, as the wizard found it.
type SetupCode struct {
	Code string `json:"code"` // "" when it could not be read
	Path string `json:"path"` // the file it is in
	// Why it could not be read, and what to do.
	Why string `json:"why"`
}

// SetupCode reads the setup code the service wrote in its data folder.
// When the panel may not read it (the file is the service account's only),
// it says how to read it, so the person can paste it.
func (w *Wizard) SetupCode() SetupCode {
	s := w.settings()
	path := filepath.Join(s.DataDir, api.SetupCodeFile)
	sc := SetupCode{Path: path}
	data, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrPermission):
		sc.Why = w.link.say(apitext.New("wizard.code_permission", "Only the service's account may read the setup code. Open it as administrator (for example with the command \"sudo cat {{.File}}\") and paste it here.", "File", shellQuote(path)))
	case errors.Is(err, fs.ErrNotExist):
		sc.Why = w.link.say(apitext.New("wizard.code_missing", "There is no setup code in {{.Folder}}. If this office already has an administrator, log in instead; otherwise restart the service, which writes a new one while the office has no staff.", "Folder", s.DataDir))
	case err != nil:
		sc.Why = w.link.say(apitext.New("wizard.code_unreadable", "Could not read the setup code ({{.Err}}): paste it from {{.File}}.", "Err", err.Error(), "File", path))
	default:
		sc.Code = strings.TrimSpace(string(data))
	}
	return sc
}

// AdminInput is the first administrator, with the setup code.
type AdminInput struct {
	Code     string `json:"code"`
	Email    string `json:"email"`
	Name     string `json:"name"`
	Password string `json:"password"`
}

// PasswordRules are the rules a staff password follows, for the password
// field (the office's settings cannot be read before anyone logs in).
func (w *Wizard) PasswordRules() PasswordPolicy {
	p := api.StaffPasswordPolicy
	return PasswordPolicy{MinLength: p.MinLength, MinUpper: p.MinUpper, MinLower: p.MinLower, MinDigit: p.MinDigit, MinSpecial: p.MinSpecial}
}

// CreateAdmin creates the office's first administrator with the setup code
// (POST /api/v1/setup to the service on this computer).
func (w *Wizard) CreateAdmin(in AdminInput) error {
	s := w.settings()
	base := localURL(s.Address)
	c, err := apiclient.New(base, apiclient.WithHTTPClient(w.link.httpClient()), apiclient.WithLanguage(w.link.language()))
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), callTimeout)
	defer cancel()
	if _, err := c.Setup(ctx, api.SetupRequest{Code: strings.TrimSpace(in.Code), Email: strings.TrimSpace(in.Email),
		Name: strings.TrimSpace(in.Name), Password: in.Password}); err != nil {
		return explain(base, apitext.New("doing.create_administrator", "create the administrator"), err)
	}
	return w.update(func(p *firstRunProgress) { p.AdminEmail = strings.TrimSpace(in.Email) })
}

// Login logs in to the service on this computer (Session.Connect).
func (w *Wizard) Login(email, password string) (OfficeInfo, error) {
	return w.session.Connect(localURL(w.settings().Address), email, password)
}

// Check runs the service's configuration check (GET /api/v1/config/check)
// and answers each item in plain words with what to do.
func (w *Wizard) Check() ([]api.ConfigCheck, error) {
	var out []api.ConfigCheck
	err := w.link.call(apitext.New("doing.run_configuration_check", "run the configuration check"), func(ctx context.Context, c *apiclient.Client) error {
		r, err := c.ConfigCheck(ctx)
		// The service allows a few runs, then one every 10 s; the wizard
		// runs it at each step, so it waits out a short wait once.
		var e *api.Error
		if errors.As(err, &e) && e.Status == http.StatusTooManyRequests && e.RetryAfter > 0 && e.RetryAfter <= checkWait {
			t := time.NewTimer(e.RetryAfter)
			select {
			case <-ctx.Done():
				t.Stop()
				return ctx.Err()
			case <-t.C:
			}
			r, err = c.ConfigCheck(ctx)
		}
		out = r.Checks
		return err
	})
	for i := range out {
		out[i].Summary, out[i].Fix = checkWords.Replace(out[i].Summary), checkWords.Replace(out[i].Fix)
	}
	return out, err
}

// checkWait is the longest wait for the check that Check waits out.
const checkWait = 12 * time.Second

// checkWords says the check's hints naming API routes (meant for the
// command line) as the window's people act.
var checkWords = strings.NewReplacer(
	"set the office's domain (the control panel's domain setting, or PUT /api/v1/settings/domain)", "set the office's domain (the wizard's Domain step, or Settings later)",
	"the control panel's mail settings, or PUT /api/v1/settings/mail", "the mail server settings",
	", and see GET /api/v1/tls for the certificate's state", "; the Certificate step shows its state",
	"reach it, and see GET /api/v1/tls for the certificate's state", "reach it; the Certificate step shows how that goes",
	"See GET /api/v1/tls for why renewal failed", "See the Certificate step for why renewal failed",
	" (GET /api/v1/tls)", "",
	"see GET /api/v1/tls for the last renewal error", "the Certificate step shows the last renewal error",
)

// SetDomain saves the office's domain and the contact email the
// certificate authority writes to (PUT /api/v1/settings/domain).
func (w *Wizard) SetDomain(domain, email string) error {
	domain, email = strings.TrimSpace(domain), strings.TrimSpace(email)
	return w.link.call(apitext.New("doing.save_domain", "save the domain"), func(ctx context.Context, c *apiclient.Client) error {
		_, err := c.PutDomainSettings(ctx, api.DomainInput{Domain: &domain, ACMEEmail: &email})
		return err
	})
}

// MailInput is the office's mail server as the wizard asks for it.
type MailInput struct {
	Host     string `json:"host"`
	Port     int    `json:"port"`
	Security string `json:"security"` // "starttls", "tls" or "none"
	Username string `json:"username"`
	Password string `json:"password"` // "": keep the one saved
	From     string `json:"from"`
}

// SetMail saves the mail server (PUT /api/v1/settings/mail).
func (w *Wizard) SetMail(in MailInput) error {
	trim := func(s string) *string { s = strings.TrimSpace(s); return &s }
	body := api.MailSettingsInput{Host: trim(in.Host), Port: &in.Port, Security: trim(in.Security),
		Username: trim(in.Username), From: trim(in.From)}
	if in.Password != "" {
		body.Password = &in.Password
	}
	return w.link.call(apitext.New("doing.save_mail_server", "save the mail server"), func(ctx context.Context, c *apiclient.Client) error {
		_, err := c.PutMailSettings(ctx, body)
		return err
	})
}

// MailTest is the mail server's answer to a test email.
type MailTest struct {
	Sent  bool   `json:"sent"`
	Reply string `json:"reply"` // the server's words
	Stage string `json:"stage"` // where it failed: connect, tls, auth, mail from, rcpt to, data
}

// TestMail sends a test email to the address through the saved mail server
// and answers what the server said.
func (w *Wizard) TestMail(to string) (MailTest, error) {
	var out MailTest
	err := w.link.call(apitext.New("doing.send_test_email2", "send the test email"), func(ctx context.Context, c *apiclient.Client) error {
		r, err := c.TestMail(ctx, strings.TrimSpace(to))
		out = MailTest{Sent: r.Sent, Reply: r.Reply, Stage: r.Stage}
		return err
	})
	return out, err
}

// KeyInfo is where the documents key is, read on this computer (never
// through the API).
type KeyInfo struct {
	Path     string `json:"path"`
	Exists   bool   `json:"exists"`
	Readable bool   `json:"readable"`
	Why      string `json:"why"` // when not readable: why, and how to copy it by hand
}

// OfficeKey says where the documents key is and whether the panel can
// read it to save a copy.
func (w *Wizard) OfficeKey() KeyInfo {
	path := w.settings().OfficeKey
	_, err := readKey(path)
	k := KeyInfo{Path: path, Exists: err == nil || !errors.Is(err, fs.ErrNotExist), Readable: err == nil}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		k.Why = w.link.say(apitext.New("wizard.key_not_yet", "The service makes the key when it first starts; it is not there yet. Wait for the service to answer, then look again."))
	case errors.Is(err, fs.ErrPermission):
		k.Why = w.link.say(apitext.New("wizard.key_permission", "Only the service's account may read the key. Copy it as administrator, for example with the command \"sudo cp {{.File}} /media/usb/\".", "File", shellQuote(path)))
	case err != nil:
		k.Why = err.Error()
	}
	return k
}

var keyLine = regexp.MustCompile(`^AGE-SECRET-KEY-1[0-9A-Z]+$`)

func readKey(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if len(data) > 4<<10 || !keyLine.Match([]byte(lastKeyLine(data))) {
		return nil, fmt.Errorf("%s does not hold an office key (one line AGE-SECRET-KEY-1…)", path)
	}
	return data, nil
}

func lastKeyLine(data []byte) string {
	for _, l := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "AGE-SECRET-KEY-") {
			return strings.TrimSpace(l)
		}
	}
	return ""
}

// SaveKeyCopy asks where to save a copy of the documents key (the native
// Save dialog: a USB stick, say), writes it there readable by the owner
// only, and reads it back to check it. It answers the path, "" when the
// person cancelled.
func (w *Wizard) SaveKeyCopy() (string, error) {
	key, err := readKey(w.settings().OfficeKey)
	if err != nil {
		return "", uiText(apitext.New("error.key_read", "could not read the documents key: {{.Err}}", "Err", err.Error()), err)
	}
	sys, err := w.link.desk.get()
	if err != nil {
		return "", err
	}
	path, err := sys.SaveFile(w.link.say(apitext.New("dialog.save_key", "Save a copy of the documents key")), "clientportal-office-key.txt", FileFilter{})
	if err != nil || path == "" {
		return "", err
	}
	if err := writeFileSynced(path, key); err != nil {
		return "", uiText(apitext.New("error.key_copy_save", "could not save the copy to {{.File}}: {{.Err}}; choose another place", "File", path, "Err", err.Error()), err)
	}
	back, err := os.ReadFile(path)
	if err != nil || string(back) != string(key) {
		return "", uiText(apitext.New("error.key_copy_differs", "the copy at {{.File}} does not read back the same: choose another place", "File", path), nil)
	}
	return path, nil
}

// CertificateProgress is how getting the certificate stands.
type CertificateProgress struct {
	State  string `json:"state"` // "off", "obtaining", "valid", "failed"
	Domain string `json:"domain"`
	// Stage, while obtaining: "asking" (the service asks the CA),
	// "proving" (the CA checks the domain leads here).
	Stage string `json:"stage"`
	// Problem sorts a failure: "domain", "ca_unreachable", "rate_limited",
	// "refused", "https_port", "https_listen", "other" ("" without one).
	Problem   string    `json:"problem"`
	Names     []string  `json:"names"`
	Issuer    string    `json:"issuer"`
	NotAfter  time.Time `json:"notAfter"`
	LastError string    `json:"lastError"`
	NextTry   time.Time `json:"nextTry"`
	Message   string    `json:"message"`
}

// Certificate reads the certificate's state (GET /api/v1/tls); the window
// asks every few seconds while it is being obtained.
func (w *Wizard) Certificate() (CertificateProgress, error) {
	var out CertificateProgress
	err := w.link.call(apitext.New("doing.read_certificate_s_state", "read the certificate's state"), func(ctx context.Context, c *apiclient.Client) error {
		t, err := c.TLS(ctx)
		out = CertificateProgress{State: t.State, Domain: t.Domain, Stage: t.Stage, Problem: t.Problem, Names: t.Names, Issuer: t.Issuer,
			LastError: t.LastError, Message: t.Message}
		if t.NotAfter != nil {
			out.NotAfter = *t.NotAfter
		}
		if t.NextTry != nil {
			out.NextTry = *t.NextTry
		}
		return err
	})
	return out, err
}

// RetryCertificate asks the service to try for the certificate again now
// (after the person fixed what the step said: freed the HTTPS port,
// pointed the domain here): it saves the domain setting again unchanged,
// which makes a failed try start over and a listener that could not open
// try again.
func (w *Wizard) RetryCertificate() error {
	return w.link.call(apitext.New("doing.retry_certificate", "try for the certificate again"), func(ctx context.Context, c *apiclient.Client) error {
		d, err := c.DomainSettings(ctx)
		if err != nil {
			return err
		}
		if d.Domain == "" {
			return errors.New("no domain is set: set it in the Domain step first")
		}
		_, err = c.PutDomainSettings(ctx, api.DomainInput{Domain: &d.Domain})
		return err
	})
}
