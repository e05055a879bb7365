export namespace api {
	
	export class BackupFile {
	    name: string;
	    size: number;
	    // Go type: time
	    modified: any;
	
	    static createFrom(source: any = {}) {
	        return new BackupFile(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.size = source["size"];
	        this.modified = this.convertValues(source["modified"], null);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class BackupResult {
	    // Go type: time
	    started: any;
	    // Go type: time
	    finished: any;
	    file?: string;
	    size: number;
	    ok: boolean;
	    error?: string;
	    nightly: boolean;
	
	    static createFrom(source: any = {}) {
	        return new BackupResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.started = this.convertValues(source["started"], null);
	        this.finished = this.convertValues(source["finished"], null);
	        this.file = source["file"];
	        this.size = source["size"];
	        this.ok = source["ok"];
	        this.error = source["error"];
	        this.nightly = source["nightly"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class BackupSettings {
	    folder: string;
	    time: string;
	    retention: number;
	    nightly: boolean;
	
	    static createFrom(source: any = {}) {
	        return new BackupSettings(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.folder = source["folder"];
	        this.time = source["time"];
	        this.retention = source["retention"];
	        this.nightly = source["nightly"];
	    }
	}
	export class BackupSettingsInput {
	    folder?: string;
	    time?: string;
	    retention?: number;
	    nightly?: boolean;
	
	    static createFrom(source: any = {}) {
	        return new BackupSettingsInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.folder = source["folder"];
	        this.time = source["time"];
	        this.retention = source["retention"];
	        this.nightly = source["nightly"];
	    }
	}
	export class Backups {
	    settings: BackupSettings;
	    last?: BackupResult;
	    // Go type: time
	    next?: any;
	    files: BackupFile[];
	
	    static createFrom(source: any = {}) {
	        return new Backups(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.settings = this.convertValues(source["settings"], BackupSettings);
	        this.last = this.convertValues(source["last"], BackupResult);
	        this.next = this.convertValues(source["next"], null);
	        this.files = this.convertValues(source["files"], BackupFile);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Branding {
	    office_name: string;
	    color?: string;
	    logo: boolean;
	    logo_type?: string;
	    logo_url?: string;
	
	    static createFrom(source: any = {}) {
	        return new Branding(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.office_name = source["office_name"];
	        this.color = source["color"];
	        this.logo = source["logo"];
	        this.logo_type = source["logo_type"];
	        this.logo_url = source["logo_url"];
	    }
	}
	export class BrandingSnippet {
	    html: string;
	    url: string;
	
	    static createFrom(source: any = {}) {
	        return new BrandingSnippet(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.html = source["html"];
	        this.url = source["url"];
	    }
	}
	export class ConfigCheck {
	    name: string;
	    status: string;
	    summary: string;
	    fix?: string;
	
	    static createFrom(source: any = {}) {
	        return new ConfigCheck(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.status = source["status"];
	        this.summary = source["summary"];
	        this.fix = source["fix"];
	    }
	}
	export class DomainInput {
	    domain?: string;
	    acme_email?: string;
	    acme_ca?: string;
	    acme_root_pem?: string;
	    public_staff_api?: boolean;
	
	    static createFrom(source: any = {}) {
	        return new DomainInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.domain = source["domain"];
	        this.acme_email = source["acme_email"];
	        this.acme_ca = source["acme_ca"];
	        this.acme_root_pem = source["acme_root_pem"];
	        this.public_staff_api = source["public_staff_api"];
	    }
	}
	export class DomainSettings {
	    domain: string;
	    acme_email: string;
	    acme_ca: string;
	    acme_root_pem: string;
	    public_staff_api: boolean;
	
	    static createFrom(source: any = {}) {
	        return new DomainSettings(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.domain = source["domain"];
	        this.acme_email = source["acme_email"];
	        this.acme_ca = source["acme_ca"];
	        this.acme_root_pem = source["acme_root_pem"];
	        this.public_staff_api = source["public_staff_api"];
	    }
	}
	export class MailNotify {
	    status: boolean;
	    messages: boolean;
	    appointments: boolean;
	    documents: boolean;
	    requests: boolean;
	
	    static createFrom(source: any = {}) {
	        return new MailNotify(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.status = source["status"];
	        this.messages = source["messages"];
	        this.appointments = source["appointments"];
	        this.documents = source["documents"];
	        this.requests = source["requests"];
	    }
	}
	export class MailSettings {
	    host: string;
	    port: number;
	    security: string;
	    username: string;
	    password_set: boolean;
	    from: string;
	    office_address: string;
	    notify: MailNotify;
	    client_message_alerts: string;
	
	    static createFrom(source: any = {}) {
	        return new MailSettings(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.host = source["host"];
	        this.port = source["port"];
	        this.security = source["security"];
	        this.username = source["username"];
	        this.password_set = source["password_set"];
	        this.from = source["from"];
	        this.office_address = source["office_address"];
	        this.notify = this.convertValues(source["notify"], MailNotify);
	        this.client_message_alerts = source["client_message_alerts"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class MailSettingsInput {
	    host?: string;
	    port?: number;
	    security?: string;
	    username?: string;
	    password?: string;
	    from?: string;
	    office_address?: string;
	    notify?: MailNotify;
	    client_message_alerts?: string;
	
	    static createFrom(source: any = {}) {
	        return new MailSettingsInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.host = source["host"];
	        this.port = source["port"];
	        this.security = source["security"];
	        this.username = source["username"];
	        this.password = source["password"];
	        this.from = source["from"];
	        this.office_address = source["office_address"];
	        this.notify = this.convertValues(source["notify"], MailNotify);
	        this.client_message_alerts = source["client_message_alerts"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class MailTestResult {
	    sent: boolean;
	    reply: string;
	    stage?: string;
	
	    static createFrom(source: any = {}) {
	        return new MailTestResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.sent = source["sent"];
	        this.reply = source["reply"];
	        this.stage = source["stage"];
	    }
	}
	export class OnboardingInput {
	    fact?: string;
	    invite_expiry_hours?: number;
	    reset_expiry_minutes?: number;
	    max_attempts?: number;
	    auto_invite?: boolean;
	    easy_login?: boolean;
	
	    static createFrom(source: any = {}) {
	        return new OnboardingInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.fact = source["fact"];
	        this.invite_expiry_hours = source["invite_expiry_hours"];
	        this.reset_expiry_minutes = source["reset_expiry_minutes"];
	        this.max_attempts = source["max_attempts"];
	        this.auto_invite = source["auto_invite"];
	        this.easy_login = source["easy_login"];
	    }
	}
	export class OnboardingSettings {
	    fact: string;
	    invite_expiry_hours: number;
	    reset_expiry_minutes: number;
	    max_attempts: number;
	    auto_invite: boolean;
	    easy_login: boolean;
	
	    static createFrom(source: any = {}) {
	        return new OnboardingSettings(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.fact = source["fact"];
	        this.invite_expiry_hours = source["invite_expiry_hours"];
	        this.reset_expiry_minutes = source["reset_expiry_minutes"];
	        this.max_attempts = source["max_attempts"];
	        this.auto_invite = source["auto_invite"];
	        this.easy_login = source["easy_login"];
	    }
	}
	export class PasswordPolicy {
	    min_length: number;
	    min_upper: number;
	    min_lower: number;
	    min_digit: number;
	    min_special: number;
	
	    static createFrom(source: any = {}) {
	        return new PasswordPolicy(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.min_length = source["min_length"];
	        this.min_upper = source["min_upper"];
	        this.min_lower = source["min_lower"];
	        this.min_digit = source["min_digit"];
	        this.min_special = source["min_special"];
	    }
	}
	export class PreviewLink {
	    url: string;
	    // Go type: time
	    expires: any;
	
	    static createFrom(source: any = {}) {
	        return new PreviewLink(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.url = source["url"];
	        this.expires = this.convertValues(source["expires"], null);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Status {
	    id: string;
	    names: Record<string, string>;
	    retired?: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Status(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.names = source["names"];
	        this.retired = source["retired"];
	    }
	}
	export class Settings {
	    office_name: string;
	    office_phone: string;
	    office_email: string;
	    office_address: string;
	    lockout_threshold: number;
	    lockout_mode: string;
	    staff_language: string;
	    session_idle_minutes: number;
	    session_lifetime_hours: number;
	    time_zone: string;
	    password_policy: PasswordPolicy;
	    statuses: Status[];
	    upload_max_mb: number;
	    upload_types: string[];
	
	    static createFrom(source: any = {}) {
	        return new Settings(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.office_name = source["office_name"];
	        this.office_phone = source["office_phone"];
	        this.office_email = source["office_email"];
	        this.office_address = source["office_address"];
	        this.lockout_threshold = source["lockout_threshold"];
	        this.lockout_mode = source["lockout_mode"];
	        this.staff_language = source["staff_language"];
	        this.session_idle_minutes = source["session_idle_minutes"];
	        this.session_lifetime_hours = source["session_lifetime_hours"];
	        this.time_zone = source["time_zone"];
	        this.password_policy = this.convertValues(source["password_policy"], PasswordPolicy);
	        this.statuses = this.convertValues(source["statuses"], Status);
	        this.upload_max_mb = source["upload_max_mb"];
	        this.upload_types = source["upload_types"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class SettingsInput {
	    office_name?: string;
	    office_phone?: string;
	    office_email?: string;
	    office_address?: string;
	    lockout_threshold?: number;
	    lockout_mode?: string;
	    staff_language?: string;
	    session_idle_minutes?: number;
	    session_lifetime_hours?: number;
	    time_zone?: string;
	    upload_max_mb?: number;
	    upload_types?: string[];
	
	    static createFrom(source: any = {}) {
	        return new SettingsInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.office_name = source["office_name"];
	        this.office_phone = source["office_phone"];
	        this.office_email = source["office_email"];
	        this.office_address = source["office_address"];
	        this.lockout_threshold = source["lockout_threshold"];
	        this.lockout_mode = source["lockout_mode"];
	        this.staff_language = source["staff_language"];
	        this.session_idle_minutes = source["session_idle_minutes"];
	        this.session_lifetime_hours = source["session_lifetime_hours"];
	        this.time_zone = source["time_zone"];
	        this.upload_max_mb = source["upload_max_mb"];
	        this.upload_types = source["upload_types"];
	    }
	}
	export class Staff {
	    id: number;
	    email: string;
	    name: string;
	    title?: string;
	    role: string;
	    phone?: string;
	    address?: string;
	    disabled?: boolean;
	    bad_login_attempts?: number;
	    // Go type: time
	    locked_until?: any;
	    mail_alerts: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Staff(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.email = source["email"];
	        this.name = source["name"];
	        this.title = source["title"];
	        this.role = source["role"];
	        this.phone = source["phone"];
	        this.address = source["address"];
	        this.disabled = source["disabled"];
	        this.bad_login_attempts = source["bad_login_attempts"];
	        this.locked_until = this.convertValues(source["locked_until"], null);
	        this.mail_alerts = source["mail_alerts"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class StaffInput {
	    email?: string;
	    name?: string;
	    title?: string;
	    role?: string;
	    phone?: string;
	    address?: string;
	    password?: string;
	    disabled?: boolean;
	    mail_alerts?: boolean;
	
	    static createFrom(source: any = {}) {
	        return new StaffInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.email = source["email"];
	        this.name = source["name"];
	        this.title = source["title"];
	        this.role = source["role"];
	        this.phone = source["phone"];
	        this.address = source["address"];
	        this.password = source["password"];
	        this.disabled = source["disabled"];
	        this.mail_alerts = source["mail_alerts"];
	    }
	}
	
	export class TLSStatus {
	    state: string;
	    domain?: string;
	    names?: string[];
	    issuer?: string;
	    // Go type: time
	    not_before?: any;
	    // Go type: time
	    not_after?: any;
	    last_error?: string;
	    // Go type: time
	    last_error_at?: any;
	    // Go type: time
	    next_try?: any;
	    message: string;
	    staff_fingerprint?: string;
	    staff_address?: string;
	
	    static createFrom(source: any = {}) {
	        return new TLSStatus(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.state = source["state"];
	        this.domain = source["domain"];
	        this.names = source["names"];
	        this.issuer = source["issuer"];
	        this.not_before = this.convertValues(source["not_before"], null);
	        this.not_after = this.convertValues(source["not_after"], null);
	        this.last_error = source["last_error"];
	        this.last_error_at = this.convertValues(source["last_error_at"], null);
	        this.next_try = this.convertValues(source["next_try"], null);
	        this.message = source["message"];
	        this.staff_fingerprint = source["staff_fingerprint"];
	        this.staff_address = source["staff_address"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class TwoFactorState {
	    on: boolean;
	    // Go type: time
	    since?: any;
	    required: boolean;
	    required_by_staff: boolean;
	    recovery_codes_left: number;
	    passkeys: number;
	
	    static createFrom(source: any = {}) {
	        return new TwoFactorState(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.on = source["on"];
	        this.since = this.convertValues(source["since"], null);
	        this.required = source["required"];
	        this.required_by_staff = source["required_by_staff"];
	        this.recovery_codes_left = source["recovery_codes_left"];
	        this.passkeys = source["passkeys"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace app {
	
	export class Access {
	    passwordSet: boolean;
	    allowedToLogOn: boolean;
	    emailNotice: boolean;
	    activated: boolean;
	    locked: boolean;
	    lockedAt: string;
	    temporarilyLocked: boolean;
	    lockedUntil: string;
	    lockedOut: boolean;
	    badLoginAttempts: number;
	    lastLoginAt: string;
	    lastLoginIp: string;
	    canLogOn: boolean;
	    missing: string[];
	    mustChangePassword: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Access(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.passwordSet = source["passwordSet"];
	        this.allowedToLogOn = source["allowedToLogOn"];
	        this.emailNotice = source["emailNotice"];
	        this.activated = source["activated"];
	        this.locked = source["locked"];
	        this.lockedAt = source["lockedAt"];
	        this.temporarilyLocked = source["temporarilyLocked"];
	        this.lockedUntil = source["lockedUntil"];
	        this.lockedOut = source["lockedOut"];
	        this.badLoginAttempts = source["badLoginAttempts"];
	        this.lastLoginAt = source["lastLoginAt"];
	        this.lastLoginIp = source["lastLoginIp"];
	        this.canLogOn = source["canLogOn"];
	        this.missing = source["missing"];
	        this.mustChangePassword = source["mustChangePassword"];
	    }
	}
	export class AccessInput {
	    allowedToLogOn?: boolean;
	    emailNotice?: boolean;
	    locked?: boolean;
	
	    static createFrom(source: any = {}) {
	        return new AccessInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.allowedToLogOn = source["allowedToLogOn"];
	        this.emailNotice = source["emailNotice"];
	        this.locked = source["locked"];
	    }
	}
	export class ActivityWeek {
	    week: string;
	    signIns: number;
	    messages: number;
	    uploads: number;
	
	    static createFrom(source: any = {}) {
	        return new ActivityWeek(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.week = source["week"];
	        this.signIns = source["signIns"];
	        this.messages = source["messages"];
	        this.uploads = source["uploads"];
	    }
	}
	export class AdminInput {
	    code: string;
	    email: string;
	    name: string;
	    password: string;
	
	    static createFrom(source: any = {}) {
	        return new AdminInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.code = source["code"];
	        this.email = source["email"];
	        this.name = source["name"];
	        this.password = source["password"];
	    }
	}
	export class Appointment {
	    id: number;
	    title: string;
	    start: string;
	    end: string;
	    place: string;
	    link: string;
	    note: string;
	    portal: boolean;
	    cancelled: string;
	    localStart: string;
	    localEnd: string;
	    zone: string;
	
	    static createFrom(source: any = {}) {
	        return new Appointment(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.title = source["title"];
	        this.start = source["start"];
	        this.end = source["end"];
	        this.place = source["place"];
	        this.link = source["link"];
	        this.note = source["note"];
	        this.portal = source["portal"];
	        this.cancelled = source["cancelled"];
	        this.localStart = source["localStart"];
	        this.localEnd = source["localEnd"];
	        this.zone = source["zone"];
	    }
	}
	export class AppointmentChange {
	    title?: string;
	    start?: string;
	    end?: string;
	    place?: string;
	    link?: string;
	    note?: string;
	    portal?: boolean;
	
	    static createFrom(source: any = {}) {
	        return new AppointmentChange(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.title = source["title"];
	        this.start = source["start"];
	        this.end = source["end"];
	        this.place = source["place"];
	        this.link = source["link"];
	        this.note = source["note"];
	        this.portal = source["portal"];
	    }
	}
	export class AppointmentInput {
	    title: string;
	    start: string;
	    end: string;
	    place: string;
	    link: string;
	    note: string;
	    portal: boolean;
	
	    static createFrom(source: any = {}) {
	        return new AppointmentInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.title = source["title"];
	        this.start = source["start"];
	        this.end = source["end"];
	        this.place = source["place"];
	        this.link = source["link"];
	        this.note = source["note"];
	        this.portal = source["portal"];
	    }
	}
	export class Attorney {
	    name: string;
	    firm: string;
	    phone: string;
	    email: string;
	
	    static createFrom(source: any = {}) {
	        return new Attorney(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.firm = source["firm"];
	        this.phone = source["phone"];
	        this.email = source["email"];
	    }
	}
	export class AuditRow {
	    id: number;
	    at: string;
	    actor: string;
	    kind: string;
	    ip: string;
	    action: string;
	    target: string;
	    detail: string;
	
	    static createFrom(source: any = {}) {
	        return new AuditRow(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.at = source["at"];
	        this.actor = source["actor"];
	        this.kind = source["kind"];
	        this.ip = source["ip"];
	        this.action = source["action"];
	        this.target = source["target"];
	        this.detail = source["detail"];
	    }
	}
	export class BackupState {
	    available: boolean;
	    note: string;
	    hasLast: boolean;
	    finished: string;
	    size: number;
	    ok: boolean;
	    error: string;
	    next: string;
	
	    static createFrom(source: any = {}) {
	        return new BackupState(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.available = source["available"];
	        this.note = source["note"];
	        this.hasLast = source["hasLast"];
	        this.finished = source["finished"];
	        this.size = source["size"];
	        this.ok = source["ok"];
	        this.error = source["error"];
	        this.next = source["next"];
	    }
	}
	export class LinkState {
	    active: boolean;
	    expired: boolean;
	    voided: boolean;
	    attempts: number;
	    email: string;
	    issued: string;
	    expires: string;
	    used: string;
	    revoked: string;
	    easyLogin: boolean;
	    sends: number;
	
	    static createFrom(source: any = {}) {
	        return new LinkState(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.active = source["active"];
	        this.expired = source["expired"];
	        this.voided = source["voided"];
	        this.attempts = source["attempts"];
	        this.email = source["email"];
	        this.issued = source["issued"];
	        this.expires = source["expires"];
	        this.used = source["used"];
	        this.revoked = source["revoked"];
	        this.easyLogin = source["easyLogin"];
	        this.sends = source["sends"];
	    }
	}
	export class InviteOutcome {
	    clientId: number;
	    name: string;
	    email: string;
	    outcome: string;
	    invitation?: LinkState;
	
	    static createFrom(source: any = {}) {
	        return new InviteOutcome(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.clientId = source["clientId"];
	        this.name = source["name"];
	        this.email = source["email"];
	        this.outcome = source["outcome"];
	        this.invitation = this.convertValues(source["invitation"], LinkState);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class BulkInvite {
	    invited: number;
	    items: InviteOutcome[];
	
	    static createFrom(source: any = {}) {
	        return new BulkInvite(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.invited = source["invited"];
	        this.items = this.convertValues(source["items"], InviteOutcome);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Person {
	    id: number;
	    name: string;
	    email: string;
	
	    static createFrom(source: any = {}) {
	        return new Person(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.email = source["email"];
	    }
	}
	export class CaseDetail {
	    id: number;
	    number: string;
	    title: string;
	    kind: string;
	    advocate: string;
	    status: string;
	    statusDate: string;
	    updated: string;
	    clients: Person[];
	    advocateId: number;
	    attorney?: Attorney;
	    created: string;
	
	    static createFrom(source: any = {}) {
	        return new CaseDetail(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.number = source["number"];
	        this.title = source["title"];
	        this.kind = source["kind"];
	        this.advocate = source["advocate"];
	        this.status = source["status"];
	        this.statusDate = source["statusDate"];
	        this.updated = source["updated"];
	        this.clients = this.convertValues(source["clients"], Person);
	        this.advocateId = source["advocateId"];
	        this.attorney = this.convertValues(source["attorney"], Attorney);
	        this.created = source["created"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class CaseFilter {
	    query: string;
	    status: string;
	    advocateId: number;
	    unread: boolean;
	
	    static createFrom(source: any = {}) {
	        return new CaseFilter(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.query = source["query"];
	        this.status = source["status"];
	        this.advocateId = source["advocateId"];
	        this.unread = source["unread"];
	    }
	}
	export class CaseInput {
	    number?: string;
	    title?: string;
	    clientIds?: number[];
	    kind?: string;
	    advocateId?: number;
	    attorney?: Attorney;
	
	    static createFrom(source: any = {}) {
	        return new CaseInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.number = source["number"];
	        this.title = source["title"];
	        this.clientIds = source["clientIds"];
	        this.kind = source["kind"];
	        this.advocateId = source["advocateId"];
	        this.attorney = this.convertValues(source["attorney"], Attorney);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class CaseRow {
	    id: number;
	    number: string;
	    title: string;
	    kind: string;
	    advocate: string;
	    status: string;
	    statusDate: string;
	    updated: string;
	
	    static createFrom(source: any = {}) {
	        return new CaseRow(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.number = source["number"];
	        this.title = source["title"];
	        this.kind = source["kind"];
	        this.advocate = source["advocate"];
	        this.status = source["status"];
	        this.statusDate = source["statusDate"];
	        this.updated = source["updated"];
	    }
	}
	export class CaseList {
	    items: CaseRow[];
	    next: number;
	
	    static createFrom(source: any = {}) {
	        return new CaseList(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.items = this.convertValues(source["items"], CaseRow);
	        this.next = source["next"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class Certificate {
	    state: string;
	    domain: string;
	    notAfter: string;
	    daysLeft: number;
	    message: string;
	    error: string;
	    staffFingerprint: string;
	
	    static createFrom(source: any = {}) {
	        return new Certificate(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.state = source["state"];
	        this.domain = source["domain"];
	        this.notAfter = source["notAfter"];
	        this.daysLeft = source["daysLeft"];
	        this.message = source["message"];
	        this.error = source["error"];
	        this.staffFingerprint = source["staffFingerprint"];
	    }
	}
	export class CertificateProgress {
	    state: string;
	    domain: string;
	    names: string[];
	    issuer: string;
	    // Go type: time
	    notAfter: any;
	    lastError: string;
	    // Go type: time
	    nextTry: any;
	    message: string;
	
	    static createFrom(source: any = {}) {
	        return new CertificateProgress(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.state = source["state"];
	        this.domain = source["domain"];
	        this.names = source["names"];
	        this.issuer = source["issuer"];
	        this.notAfter = this.convertValues(source["notAfter"], null);
	        this.lastError = source["lastError"];
	        this.nextTry = this.convertValues(source["nextTry"], null);
	        this.message = source["message"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ClientDetail {
	    id: number;
	    name: string;
	    email: string;
	    phone: string;
	    language: string;
	    birthDate: string;
	    idLast4: string;
	    created: string;
	    updated: string;
	    access: Access;
	
	    static createFrom(source: any = {}) {
	        return new ClientDetail(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.email = source["email"];
	        this.phone = source["phone"];
	        this.language = source["language"];
	        this.birthDate = source["birthDate"];
	        this.idLast4 = source["idLast4"];
	        this.created = source["created"];
	        this.updated = source["updated"];
	        this.access = this.convertValues(source["access"], Access);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ClientInput {
	    name?: string;
	    email?: string;
	    phone?: string;
	    language?: string;
	    birthDate?: string;
	    idLast4?: string;
	
	    static createFrom(source: any = {}) {
	        return new ClientInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.email = source["email"];
	        this.phone = source["phone"];
	        this.language = source["language"];
	        this.birthDate = source["birthDate"];
	        this.idLast4 = source["idLast4"];
	    }
	}
	export class ClientRow {
	    id: number;
	    name: string;
	    email: string;
	    phone: string;
	    canLogOn: boolean;
	    locked: boolean;
	    activated: boolean;
	
	    static createFrom(source: any = {}) {
	        return new ClientRow(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.email = source["email"];
	        this.phone = source["phone"];
	        this.canLogOn = source["canLogOn"];
	        this.locked = source["locked"];
	        this.activated = source["activated"];
	    }
	}
	export class ClientList {
	    items: ClientRow[];
	    next: number;
	
	    static createFrom(source: any = {}) {
	        return new ClientList(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.items = this.convertValues(source["items"], ClientRow);
	        this.next = source["next"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class Document {
	    id: number;
	    caseId: number;
	    name: string;
	    type: string;
	    size: number;
	    sha256: string;
	    uploaderKind: string;
	    uploaderName: string;
	    uploaded: string;
	    portal: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Document(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.caseId = source["caseId"];
	        this.name = source["name"];
	        this.type = source["type"];
	        this.size = source["size"];
	        this.sha256 = source["sha256"];
	        this.uploaderKind = source["uploaderKind"];
	        this.uploaderName = source["uploaderName"];
	        this.uploaded = source["uploaded"];
	        this.portal = source["portal"];
	    }
	}
	export class DownloadResult {
	    path: string;
	    size: number;
	    sha256: string;
	    cancelled: boolean;
	
	    static createFrom(source: any = {}) {
	        return new DownloadResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.path = source["path"];
	        this.size = source["size"];
	        this.sha256 = source["sha256"];
	        this.cancelled = source["cancelled"];
	    }
	}
	export class ServiceSettings {
	    dataDir: string;
	    address: string;
	    officeKey: string;
	    logDir: string;
	
	    static createFrom(source: any = {}) {
	        return new ServiceSettings(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.dataDir = source["dataDir"];
	        this.address = source["address"];
	        this.officeKey = source["officeKey"];
	        this.logDir = source["logDir"];
	    }
	}
	export class FirstRun {
	    resume: boolean;
	    step: string;
	    status: string;
	    platform: string;
	    admin: boolean;
	    service: ServiceSettings;
	    adminEmail: string;
	    problem: string;
	
	    static createFrom(source: any = {}) {
	        return new FirstRun(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.resume = source["resume"];
	        this.step = source["step"];
	        this.status = source["status"];
	        this.platform = source["platform"];
	        this.admin = source["admin"];
	        this.service = this.convertValues(source["service"], ServiceSettings);
	        this.adminEmail = source["adminEmail"];
	        this.problem = source["problem"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Health {
	    ok: boolean;
	    detail: string;
	
	    static createFrom(source: any = {}) {
	        return new Health(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.ok = source["ok"];
	        this.detail = source["detail"];
	    }
	}
	export class HistoryEntry {
	    id: number;
	    date: string;
	    status: string;
	    name: string;
	    info: string;
	    setBy: string;
	    created: string;
	    active: boolean;
	    corrects: number;
	    supersededBy: number;
	    withdrawnBy: string;
	    withdrawnReason: string;
	
	    static createFrom(source: any = {}) {
	        return new HistoryEntry(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.date = source["date"];
	        this.status = source["status"];
	        this.name = source["name"];
	        this.info = source["info"];
	        this.setBy = source["setBy"];
	        this.created = source["created"];
	        this.active = source["active"];
	        this.corrects = source["corrects"];
	        this.supersededBy = source["supersededBy"];
	        this.withdrawnBy = source["withdrawnBy"];
	        this.withdrawnReason = source["withdrawnReason"];
	    }
	}
	export class InstallResult {
	    done: boolean;
	    needsAdmin: boolean;
	    commands: string[];
	    message: string;
	    settings: ServiceSettings;
	
	    static createFrom(source: any = {}) {
	        return new InstallResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.done = source["done"];
	        this.needsAdmin = source["needsAdmin"];
	        this.commands = source["commands"];
	        this.message = source["message"];
	        this.settings = this.convertValues(source["settings"], ServiceSettings);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class KeptSession {
	    kept: boolean;
	    service: string;
	    staff: string;
	    email: string;
	    canKeep: boolean;
	    why: string;
	
	    static createFrom(source: any = {}) {
	        return new KeptSession(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.kept = source["kept"];
	        this.service = source["service"];
	        this.staff = source["staff"];
	        this.email = source["email"];
	        this.canKeep = source["canKeep"];
	        this.why = source["why"];
	    }
	}
	export class KeyInfo {
	    path: string;
	    exists: boolean;
	    readable: boolean;
	    why: string;
	
	    static createFrom(source: any = {}) {
	        return new KeyInfo(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.path = source["path"];
	        this.exists = source["exists"];
	        this.readable = source["readable"];
	        this.why = source["why"];
	    }
	}
	export class LanguageSetting {
	    chosen: string;
	    effective: string;
	
	    static createFrom(source: any = {}) {
	        return new LanguageSetting(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.chosen = source["chosen"];
	        this.effective = source["effective"];
	    }
	}
	
	export class OfficeInfo {
	    office: string;
	    service: string;
	    staff: string;
	    staffId: number;
	    role: string;
	
	    static createFrom(source: any = {}) {
	        return new OfficeInfo(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.office = source["office"];
	        this.service = source["service"];
	        this.staff = source["staff"];
	        this.staffId = source["staffId"];
	        this.role = source["role"];
	    }
	}
	export class LoginStep {
	    done: boolean;
	    office: OfficeInfo;
	    need: string;
	    setupKey: string;
	    setupQr: string;
	    setupUntil: string;
	    recoveryCodes: string[];
	    kept: boolean;
	    keepProblem: string;
	
	    static createFrom(source: any = {}) {
	        return new LoginStep(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.done = source["done"];
	        this.office = this.convertValues(source["office"], OfficeInfo);
	        this.need = source["need"];
	        this.setupKey = source["setupKey"];
	        this.setupQr = source["setupQr"];
	        this.setupUntil = source["setupUntil"];
	        this.recoveryCodes = source["recoveryCodes"];
	        this.kept = source["kept"];
	        this.keepProblem = source["keepProblem"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class LogoResult {
	    chosen: boolean;
	    file: string;
	    branding: api.Branding;
	
	    static createFrom(source: any = {}) {
	        return new LogoResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.chosen = source["chosen"];
	        this.file = source["file"];
	        this.branding = this.convertValues(source["branding"], api.Branding);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class MailInput {
	    host: string;
	    port: number;
	    security: string;
	    username: string;
	    password: string;
	    from: string;
	
	    static createFrom(source: any = {}) {
	        return new MailInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.host = source["host"];
	        this.port = source["port"];
	        this.security = source["security"];
	        this.username = source["username"];
	        this.password = source["password"];
	        this.from = source["from"];
	    }
	}
	export class MailTest {
	    sent: boolean;
	    reply: string;
	    stage: string;
	
	    static createFrom(source: any = {}) {
	        return new MailTest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.sent = source["sent"];
	        this.reply = source["reply"];
	        this.stage = source["stage"];
	    }
	}
	export class Message {
	    id: number;
	    authorKind: string;
	    authorName: string;
	    created: string;
	    body: string;
	    visibility: string;
	    read: boolean;
	    readAt: string;
	    documents: Document[];
	
	    static createFrom(source: any = {}) {
	        return new Message(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.authorKind = source["authorKind"];
	        this.authorName = source["authorName"];
	        this.created = source["created"];
	        this.body = source["body"];
	        this.visibility = source["visibility"];
	        this.read = source["read"];
	        this.readAt = source["readAt"];
	        this.documents = this.convertValues(source["documents"], Document);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class MessagePage {
	    items: Message[];
	    next: number;
	    unread: number;
	
	    static createFrom(source: any = {}) {
	        return new MessagePage(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.items = this.convertValues(source["items"], Message);
	        this.next = source["next"];
	        this.unread = source["unread"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class NewRequest {
	    title: string;
	    due: string;
	    note: string;
	
	    static createFrom(source: any = {}) {
	        return new NewRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.title = source["title"];
	        this.due = source["due"];
	        this.note = source["note"];
	    }
	}
	export class NotificationSettings {
	    enabled: boolean;
	
	    static createFrom(source: any = {}) {
	        return new NotificationSettings(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.enabled = source["enabled"];
	    }
	}
	
	export class Onboarding {
	    clientId: number;
	    hasAccount: boolean;
	    activated: boolean;
	    mustChangePassword: boolean;
	    invitation?: LinkState;
	    reset?: LinkState;
	
	    static createFrom(source: any = {}) {
	        return new Onboarding(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.clientId = source["clientId"];
	        this.hasAccount = source["hasAccount"];
	        this.activated = source["activated"];
	        this.mustChangePassword = source["mustChangePassword"];
	        this.invitation = this.convertValues(source["invitation"], LinkState);
	        this.reset = this.convertValues(source["reset"], LinkState);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class OutboxFailure {
	    id: number;
	    to: string;
	    kind: string;
	    lastError: string;
	    attempts: number;
	    nextTry: string;
	    created: string;
	
	    static createFrom(source: any = {}) {
	        return new OutboxFailure(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.to = source["to"];
	        this.kind = source["kind"];
	        this.lastError = source["lastError"];
	        this.attempts = source["attempts"];
	        this.nextTry = source["nextTry"];
	        this.created = source["created"];
	    }
	}
	export class OutgoingMessage {
	    body: string;
	    visibility: string;
	    documents: number[];
	
	    static createFrom(source: any = {}) {
	        return new OutgoingMessage(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.body = source["body"];
	        this.visibility = source["visibility"];
	        this.documents = source["documents"];
	    }
	}
	export class PasswordPolicy {
	    minLength: number;
	    minUpper: number;
	    minLower: number;
	    minDigit: number;
	    minSpecial: number;
	
	    static createFrom(source: any = {}) {
	        return new PasswordPolicy(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.minLength = source["minLength"];
	        this.minUpper = source["minUpper"];
	        this.minLower = source["minLower"];
	        this.minDigit = source["minDigit"];
	        this.minSpecial = source["minSpecial"];
	    }
	}
	
	export class RequestItem {
	    id: number;
	    title: string;
	    due: string;
	    note: string;
	    state: string;
	    documentIds: number[];
	    earlierDocumentIds: number[];
	    reason: string;
	    submitted: string;
	    overdue: boolean;
	    created: string;
	    updated: string;
	
	    static createFrom(source: any = {}) {
	        return new RequestItem(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.title = source["title"];
	        this.due = source["due"];
	        this.note = source["note"];
	        this.state = source["state"];
	        this.documentIds = source["documentIds"];
	        this.earlierDocumentIds = source["earlierDocumentIds"];
	        this.reason = source["reason"];
	        this.submitted = source["submitted"];
	        this.overdue = source["overdue"];
	        this.created = source["created"];
	        this.updated = source["updated"];
	    }
	}
	export class ServerCheck {
	    service: string;
	    trust: string;
	    fingerprint: string;
	    spoken: string;
	    pinned: string;
	    pinnedSpoken: string;
	
	    static createFrom(source: any = {}) {
	        return new ServerCheck(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.service = source["service"];
	        this.trust = source["trust"];
	        this.fingerprint = source["fingerprint"];
	        this.spoken = source["spoken"];
	        this.pinned = source["pinned"];
	        this.pinnedSpoken = source["pinnedSpoken"];
	    }
	}
	
	export class ServiceState {
	    installed: boolean;
	    state: string;
	    platform: string;
	    message: string;
	
	    static createFrom(source: any = {}) {
	        return new ServiceState(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.installed = source["installed"];
	        this.state = source["state"];
	        this.platform = source["platform"];
	        this.message = source["message"];
	    }
	}
	export class SetupCode {
	    code: string;
	    path: string;
	    why: string;
	
	    static createFrom(source: any = {}) {
	        return new SetupCode(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.code = source["code"];
	        this.path = source["path"];
	        this.why = source["why"];
	    }
	}
	export class StatusInput {
	    status: string;
	    date: string;
	    info: string;
	
	    static createFrom(source: any = {}) {
	        return new StatusInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.status = source["status"];
	        this.date = source["date"];
	        this.info = source["info"];
	    }
	}
	export class StatusOption {
	    id: string;
	    name: string;
	
	    static createFrom(source: any = {}) {
	        return new StatusOption(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	    }
	}
	export class WaitingUpload {
	    kind: string;
	    id: number;
	    caseId: number;
	    caseNumber: string;
	    caseTitle: string;
	    title: string;
	    at: string;
	    files: number;
	
	    static createFrom(source: any = {}) {
	        return new WaitingUpload(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.kind = source["kind"];
	        this.id = source["id"];
	        this.caseId = source["caseId"];
	        this.caseNumber = source["caseNumber"];
	        this.caseTitle = source["caseTitle"];
	        this.title = source["title"];
	        this.at = source["at"];
	        this.files = source["files"];
	    }
	}
	export class WaitingMessage {
	    id: number;
	    caseId: number;
	    caseNumber: string;
	    caseTitle: string;
	    authorName: string;
	    created: string;
	    excerpt: string;
	
	    static createFrom(source: any = {}) {
	        return new WaitingMessage(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.caseId = source["caseId"];
	        this.caseNumber = source["caseNumber"];
	        this.caseTitle = source["caseTitle"];
	        this.authorName = source["authorName"];
	        this.created = source["created"];
	        this.excerpt = source["excerpt"];
	    }
	}
	export class Summary {
	    clientsOnline: number;
	    messagesTotal: number;
	    messages: WaitingMessage[];
	    uploadsTotal: number;
	    uploads: WaitingUpload[];
	    outboxFailed: number;
	    outboxFailures: OutboxFailure[];
	    certificate: Certificate;
	    backup: BackupState;
	    activity: ActivityWeek[];
	    read: string;
	
	    static createFrom(source: any = {}) {
	        return new Summary(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.clientsOnline = source["clientsOnline"];
	        this.messagesTotal = source["messagesTotal"];
	        this.messages = this.convertValues(source["messages"], WaitingMessage);
	        this.uploadsTotal = source["uploadsTotal"];
	        this.uploads = this.convertValues(source["uploads"], WaitingUpload);
	        this.outboxFailed = source["outboxFailed"];
	        this.outboxFailures = this.convertValues(source["outboxFailures"], OutboxFailure);
	        this.certificate = this.convertValues(source["certificate"], Certificate);
	        this.backup = this.convertValues(source["backup"], BackupState);
	        this.activity = this.convertValues(source["activity"], ActivityWeek);
	        this.read = source["read"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class TwoFactorSettings {
	    clients: boolean;
	    staff: boolean;
	    mineOn: boolean;
	
	    static createFrom(source: any = {}) {
	        return new TwoFactorSettings(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.clients = source["clients"];
	        this.staff = source["staff"];
	        this.mineOn = source["mineOn"];
	    }
	}
	export class UploadResult {
	    documents: Document[];
	    cancelled: boolean;
	
	    static createFrom(source: any = {}) {
	        return new UploadResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.documents = this.convertValues(source["documents"], Document);
	        this.cancelled = source["cancelled"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class WaitingClient {
	    clientId: number;
	    name: string;
	    email: string;
	    cases: number;
	    invitation?: LinkState;
	
	    static createFrom(source: any = {}) {
	        return new WaitingClient(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.clientId = source["clientId"];
	        this.name = source["name"];
	        this.email = source["email"];
	        this.cases = source["cases"];
	        this.invitation = this.convertValues(source["invitation"], LinkState);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	

}

