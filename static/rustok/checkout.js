/* The checkout's small script: the page works without it. With it:
   - choosing another shipping method shows the review's totals for it at once, without sending
     anything (the server rendered each offered method's totals; without the script, Update
     does it), so arrow keys move through the methods without reloading the page (WCAG 3.2.2);
   - choosing another country presses the form's Update button for the shopper, the page saying
     so before the select ("Changing the country updates the form"), the focus coming back to it;
   - choosing a saved address sends nothing: the Update button beside the address shows another
     country's shipping methods;
   - "Place order" cannot be sent twice by a double click (the server places one order anyway). */
(function () {
  "use strict";
  var FOCUS = "rustok-checkout-focus";

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form[data-checkout]");
    if (!form) {
      return;
    }
    var update = form.querySelector('button[name="action"][value="update"]');

    function refresh(from) {
      if (!update) {
        return;
      }
      try {
        window.sessionStorage.setItem(FOCUS, from.id);
      } catch (error) {
        /* storage refused: the page still updates, the focus starts at the top */
      }
      form.requestSubmit ? form.requestSubmit(update) : update.click();
    }

    form.querySelectorAll("[data-country-hint]").forEach(function (hint) {
      hint.hidden = false;
    });
    form.querySelectorAll("select[data-country]").forEach(function (select) {
      select.addEventListener("change", function () {
        refresh(select);
      });
    });
    var review = document.querySelector("[data-review-totals]");
    form.querySelectorAll("input[data-totals]").forEach(function (radio) {
      radio.addEventListener("change", function () {
        var summary = document.querySelector('template[data-totals-for="' + radio.value + '"]');
        if (radio.checked && review && summary) {
          review.replaceChildren(summary.content.cloneNode(true));
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
    var focused = null;
    try {
      focused = window.sessionStorage.getItem(FOCUS);
      window.sessionStorage.removeItem(FOCUS);
    } catch (error) {
      focused = null;
    }
    if (summary) {
      summary.focus();
    } else if (focused && document.getElementById(focused)) {
      document.getElementById(focused).focus();
    }
  });
})();
