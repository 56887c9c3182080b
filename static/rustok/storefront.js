/* The storefront's small script: pages work without it; with it, the header shows the reader's own
   counts (the cart's lines) on pages the page cache shares with every reader. A count badge names
   the cookie that holds its number (data-count-cookie); an empty or zero count stays hidden.
   Other scripts of the storefront use window.rustok.cookie(name). */
(function () {
  "use strict";
  function cookie(name) {
    var found = document.cookie.split("; ").filter(function (part) {
      return part.indexOf(name + "=") === 0;
    })[0];
    return found ? decodeURIComponent(found.slice(name.length + 1)) : "";
  }
  window.rustok = { cookie: cookie };
  function showCounts() {
    document.querySelectorAll("[data-count-cookie]").forEach(function (badge) {
      var count = parseInt(cookie(badge.getAttribute("data-count-cookie")), 10);
      if (count > 0) {
        badge.textContent = String(count);
        badge.hidden = false;
      } else {
        badge.hidden = true;
      }
    });
  }
  document.addEventListener("DOMContentLoaded", showCounts);
  window.addEventListener("pageshow", showCounts); // back/forward cache: the cart may have changed
})();
