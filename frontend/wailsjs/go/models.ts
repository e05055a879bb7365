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

