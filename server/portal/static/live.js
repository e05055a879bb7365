// clientportal live updates: keeps an open portal page current without a
// reload. The page works without this script; with it, a new message or
// status entry of the page's case appears in place and is announced politely;
// appointments and documents lists follow their events.
// <main> carries what it needs: data-live-after (the last event the page was
// rendered with), data-live-case (the case shown; none on the case picker)
// and the announcements in the page's language. Parts of the page that may
// change have an id and data-live-part; they are replaced from a fresh copy
// of the page.
(function () {
  "use strict";
  var main = document.getElementById("main");
  if (!main || !("WebSocket" in window) || !window.fetch || !window.DOMParser) return;
  var after = main.getAttribute("data-live-after") || "0";
  var caseID = main.getAttribute("data-live-case");
  var note = document.getElementById("live-note");
  var delay = 1000, maxDelay = 30000, timer = 0, refreshing = false, again = false;

  function announce(text) {
    if (!note || !text) return;
    // A change of text is what screen readers announce: clear, then set.
    note.textContent = "";
    setTimeout(function () { note.textContent = text; }, 50);
  }

  function unreadCount(doc) {
    var b = doc.querySelector("#case-tabs .badge, #case-list .badge");
    return b ? parseInt(b.textContent, 10) || 0 : 0;
  }

  function chosenFiles(el) {
    var inputs = el.querySelectorAll("input[type=file]");
    for (var i = 0; i < inputs.length; i++) if (inputs[i].files && inputs[i].files.length) return true;
    return false;
  }

  // refresh fetches the page again and swaps in the parts that changed.
  // what: the events seen ({message: ref ids, status: bool, request: bool}).
  function refresh(what) {
    if (refreshing) { again = what; return; }
    refreshing = true;
    var before = unreadCount(document);
    fetch(location.href, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (r) {
        if (r.redirected && /\/login$/.test(new URL(r.url).pathname)) { location.assign("/login"); return null; }
        return r.ok ? r.text() : null;
      })
      .then(function (html) {
        if (html === null) return;
        var doc = new DOMParser().parseFromString(html, "text/html");
        var parts = doc.querySelectorAll("[data-live-part][id]");
        for (var i = 0; i < parts.length; i++) {
          var old = document.getElementById(parts[i].id);
          // A part holding files the client chose but has not sent stays as it is.
          if (old && old.innerHTML !== parts[i].innerHTML && !chosenFiles(old)) old.replaceWith(document.importNode(parts[i], true));
        }
        var fromOffice = false;
        for (var j = 0; j < what.message.length; j++) {
          var m = doc.getElementById("msg-" + what.message[j]);
          if (m && m.hasAttribute("data-from-office")) fromOffice = true;
        }
        if (fromOffice || unreadCount(doc) > before) announce(main.getAttribute("data-live-message"));
        else if (what.status) announce(main.getAttribute("data-live-status"));
        else if (what.document) announce(main.getAttribute("data-live-document"));
        else if (what.request) announce(main.getAttribute("data-live-request"));
      })
      .catch(function () {})
      .then(function () {
        refreshing = false;
        if (again) { var w = again; again = false; refresh(w); }
      });
  }

  function connect() {
    var proto = location.protocol === "https:" ? "wss:" : "ws:";
    var ws = new WebSocket(proto + "//" + location.host + "/live?after=" + encodeURIComponent(after));
    var opened = false;
    ws.onopen = function () { opened = true; };
    ws.onmessage = function (e) {
      var items;
      try { items = JSON.parse(e.data); } catch (err) { return; }
      if (!Array.isArray(items)) return;
      var what = { message: [], status: false, document: false }, changed = false;
      for (var i = 0; i < items.length; i++) {
        var it = items[i];
        if (it.type === "reload") { location.reload(); return; }
        if (it.type === "ready") { delay = 1000; }
        if (typeof it.id === "number" && it.id > Number(after)) after = String(it.id);
        if (caseID && String(it["case"]) !== caseID) continue;
        if (it.type === "message.created") { what.message.push(it.ref); changed = true; }
        else if (it.type && it.type.indexOf("status.") === 0) { what.status = true; changed = true; }
        else if (it.type === "message.read") { changed = true; } // read on another page: the counts change
        else if (it.type && it.type.indexOf("appointment.") === 0) { changed = true; } // the appointments list
        else if (it.type === "document.shared") { what.document = true; changed = true; } // the documents list
        else if (it.type && it.type.indexOf("document.") === 0) { changed = true; } // an upload, a withdrawal
        else if (it.type && it.type.indexOf("request.") === 0) { changed = true; if (it.type !== "request.submitted") what.request = true; } // the checklist
      }
      if (changed) refresh(what);
    };
    ws.onclose = function (e) {
      if (e.code === 4401) { location.assign("/login"); return; }
      // A refused handshake says nothing of why: the session may have ended
      // while the page was away. Asking for the page again finds out (it
      // goes to the login page when it answers with one).
      if (!opened) refresh({ message: [], status: false });
      // Back off: 1 s doubling to 30 s, with jitter so pages do not return at once.
      var wait = delay / 2 + Math.random() * delay / 2;
      delay = Math.min(delay * 2, maxDelay);
      clearTimeout(timer);
      timer = setTimeout(function () { timer = 0; connect(); }, wait);
    };
  }
  // Back online: try now rather than at the end of the back-off.
  window.addEventListener("online", function () {
    if (timer) { clearTimeout(timer); timer = 0; delay = 1000; connect(); }
  });
  connect();
})();
