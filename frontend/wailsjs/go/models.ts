export namespace app {
	
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

}

