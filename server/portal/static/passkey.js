// Passkeys: the account page's "Add a passkey" and the login page's "Sign in
// with a passkey". The server sends the ceremony's options and checks the
// answer; this file only moves bytes between it and navigator.credentials.
(function () {
  'use strict';
  if (!window.PublicKeyCredential || !navigator.credentials) {
    return; // the buttons stay hidden; the password works as before
  }
  function toBuf(s) {
    s = s.replace(/-/g, '+').replace(/_/g, '/');
    while (s.length % 4) { s += '='; }
    var bin = atob(s), b = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) { b[i] = bin.charCodeAt(i); }
    return b.buffer;
  }
  function toB64(buf) {
    var b = new Uint8Array(buf), s = '';
    for (var i = 0; i < b.length; i++) { s += String.fromCharCode(b[i]); }
    return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }
  function post(url, body) {
    return fetch(url, {
      method: 'POST', credentials: 'same-origin',
      headers: {'Content-Type': 'application/json', 'Accept': 'application/json'},
      body: JSON.stringify(body || {})
    }).then(function (r) {
      return r.json().then(function (j) {
        if (!r.ok) { throw new Error(j.error || String(r.status)); }
        return j;
      });
    });
  }
  function answer(c) {
    var r = c.response, out = {
      id: c.id, rawId: toB64(c.rawId), type: c.type,
      clientExtensionResults: c.getClientExtensionResults ? c.getClientExtensionResults() : {},
      response: {clientDataJSON: toB64(r.clientDataJSON)}
    };
    if (c.authenticatorAttachment) { out.authenticatorAttachment = c.authenticatorAttachment; }
    if (r.attestationObject) {
      out.response.attestationObject = toB64(r.attestationObject);
      if (r.getTransports) { out.response.transports = r.getTransports(); }
    }
    if (r.authenticatorData) {
      out.response.authenticatorData = toB64(r.authenticatorData);
      out.response.signature = toB64(r.signature);
      if (r.userHandle) { out.response.userHandle = toB64(r.userHandle); }
    }
    return out;
  }
  function say(el, text) { if (el) { el.textContent = text; } }

  var add = document.getElementById('passkey-add');
  var section = document.getElementById('passkeys');
  if (add && section) {
    var note = document.getElementById('passkey-note');
    var nojs = document.getElementById('passkey-nojs');
    if (nojs) { nojs.hidden = true; }
    add.hidden = false;
    add.addEventListener('click', function () {
      add.disabled = true;
      var ceremony;
      post(section.getAttribute('data-passkey-register') + '/options').then(function (c) {
        ceremony = c.ceremony;
        var pk = c.options.publicKey;
        pk.challenge = toBuf(pk.challenge);
        pk.user.id = toBuf(pk.user.id);
        (pk.excludeCredentials || []).forEach(function (d) { d.id = toBuf(d.id); });
        return navigator.credentials.create({publicKey: pk});
      }).then(function (cred) {
        return post(section.getAttribute('data-passkey-register'), {ceremony: ceremony, credential: answer(cred)});
      }).then(function (j) {
        window.location.assign(j.next);
      }).catch(function () {
        add.disabled = false;
        say(note, section.getAttribute('data-passkey-failed'));
        if (note) { note.classList.remove('visually-hidden'); }
      });
    });
  }

  var login = document.getElementById('passkey-login');
  var signin = document.getElementById('passkey-signin');
  if (login && signin) {
    var lnote = document.getElementById('passkey-login-note');
    login.hidden = false;
    signin.addEventListener('click', function () {
      signin.disabled = true;
      var ceremony;
      post(login.getAttribute('data-passkey-login') + '/options').then(function (c) {
        ceremony = c.ceremony;
        var pk = c.options.publicKey;
        pk.challenge = toBuf(pk.challenge);
        (pk.allowCredentials || []).forEach(function (d) { d.id = toBuf(d.id); });
        return navigator.credentials.get({publicKey: pk});
      }).then(function (cred) {
        return post(login.getAttribute('data-passkey-login'), {ceremony: ceremony, credential: answer(cred)});
      }).then(function (j) {
        window.location.assign(j.next);
      }).catch(function () {
        signin.disabled = false;
        say(lnote, login.getAttribute('data-passkey-failed'));
      });
    });
  }
}());
