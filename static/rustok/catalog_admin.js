/*
 * The product's add page: choosing a product type opens the page again for that type, so the
 * type's attribute fields and its variants' option columns are shown before anything is typed.
 * Without this script the fields show once the form comes back (after saving or an error).
 */
(function () {
  "use strict";

  function start() {
    var select = document.querySelector("select[name=product_type]");
    if (!select || !/\/add\/$/.test(window.location.pathname)) {
      return;
    }
    select.addEventListener("change", function () {
      var address = new URL(window.location.href);
      if (select.value) {
        address.searchParams.set("product_type", select.value);
      } else {
        address.searchParams.delete("product_type");
      }
      window.location.assign(address.toString());
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
