// clientportal password rules: marks each rule of the office's password
// policy as met or not while the client types a new password. The page works
// without this script: the server then names each unmet rule when the form
// is sent. Each rule is an <li data-rule data-need> of #password-rules; the
// list carries the words for "done" and "not yet" in the page's language.
// The counts follow the server's (server/password: Check): capitals,
// small letters, digits, and anything else that is not a letter or mark.
(function () {
  "use strict";
  var input = document.getElementById("password");
  var list = document.getElementById("password-rules");
  if (!input || !list || !String.prototype.normalize) return;
  var items = list.querySelectorAll("li[data-rule]");
  var met = list.getAttribute("data-met"), unmet = list.getAttribute("data-unmet");
  var re;
  try {
    re = { upper: /\p{Lu}/u, lower: /\p{Ll}/u, digit: /\p{Nd}/u, letter: /[\p{L}\p{M}]/u };
  } catch (e) { return; } // no Unicode property escapes: the server says
  function counts(v) {
    var n = { length: 0, upper: 0, lower: 0, digit: 0, special: 0 };
    Array.from(v.normalize("NFKC")).forEach(function (c) {
      n.length++;
      if (re.upper.test(c)) n.upper++;
      else if (re.lower.test(c)) n.lower++;
      else if (re.digit.test(c)) n.digit++;
      else if (!re.letter.test(c)) n.special++;
    });
    return n;
  }
  function check() {
    var n = counts(input.value), typed = input.value !== "";
    for (var i = 0; i < items.length; i++) {
      var li = items[i], rule = li.getAttribute("data-rule");
      if (!(rule in n)) continue;
      var ok = n[rule] >= parseInt(li.getAttribute("data-need"), 10);
      li.classList.toggle("rule--met", ok);
      li.classList.toggle("rule--unmet", typed && !ok);
      var state = li.querySelector(".rule__state");
      if (state) state.textContent = typed ? " – " + (ok ? met : unmet) : "";
    }
  }
  input.addEventListener("input", check);
  if (input.value) check();
})();
