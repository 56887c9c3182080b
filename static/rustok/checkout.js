/* The checkout's small script: the page works without it. With it, choosing another country
   shows that country's address fields and shipping methods at once (the form's Update button),
   and "Place order" cannot be sent twice by a double click (the server places one order anyway). */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form[data-checkout]");
    if (!form) {
      return;
    }
    var update = form.querySelector('button[name="action"][value="update"]');
    form.querySelectorAll("select[data-country]").forEach(function (select) {
      select.addEventListener("change", function () {
        if (update) {
          form.requestSubmit ? form.requestSubmit(update) : update.click();
        }
      });
    });
    form.addEventListener("submit", function (event) {
      var place = form.querySelector("button[data-place-order]");
      if (form.dataset.sent) {
        event.preventDefault();
        return;
      }
      form.dataset.sent = "1";
      if (place && event.submitter === place) {
        place.disabled = true;
        place.setAttribute("aria-busy", "true");
        // A disabled button is not sent with the form: its action goes along as a hidden field.
        var action = document.createElement("input");
        action.type = "hidden";
        action.name = "action";
        action.value = "place";
        form.appendChild(action);
      }
    });
    var summary = document.getElementById("error-summary");
    if (summary) {
      summary.focus();
    }
  });
})();
