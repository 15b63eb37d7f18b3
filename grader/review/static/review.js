// Keyboard shortcuts of rnngrade review. Every shortcut clicks or focuses something that is on the
// page, so the pages work the same without this file. No inline script: the CSP allows only this file.
"use strict";
(function () {
  function click(sel) {
    var el = document.querySelector(sel);
    if (el) { el.click(); return true; }
    return false;
  }
  function save() {
    var form = document.getElementById("grade-form");
    if (form) { form.requestSubmit(); return true; }
    return false;
  }
  document.addEventListener("keydown", function (e) {
    var t = e.target;
    var typing = t && t.matches && t.matches("input[type=number], input[type=text], textarea");
    if ((e.ctrlKey || e.metaKey) && e.key === "Enter") {
      if (save()) e.preventDefault();
      return;
    }
    if (typing) {
      if (e.key === "Escape") t.blur();
      return;
    }
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    var key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
    var done = false;
    if (/^[1-9]$/.test(key)) {
      var box = document.querySelector('#rubric input[data-key="' + key + '"]');
      if (box) { box.checked = !box.checked; done = true; }
      else done = click('a[data-key="' + key + '"]');
    } else if (key === "s") done = save();
    else if (key === "j" || key === "ArrowRight") done = click("a#next");
    else if (key === "k" || key === "ArrowLeft") done = click("a#prev");
    else if (key === "n") done = click("a#next-ungraded") || click('a[data-shortcut="n"]');
    else if (key === "f" || key === "c") {
      var field = document.getElementById(key === "f" ? "free-points" : "comment");
      if (field) { field.focus(); done = true; }
    } else if (key === "g") {
      var one = document.getElementById("scope-one"), group = document.getElementById("scope-group");
      if (one && group) { (one.checked ? group : one).checked = true; done = true; }
    }
    if (done) e.preventDefault();
  });
})();
