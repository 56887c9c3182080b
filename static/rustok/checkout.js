/* The checkout's small script: the page works without it. With it, choosing another country (or
   a saved address in another country) shows that country's address fields and shipping methods at
   once, and choosing another shipping method shows the review's totals for it: both by pressing
   the form's Update button for the shopper (the server prices the cart, so the totals are always
   the ones the order will have), the focus coming back to the input they chose. "Place order"
   cannot be sent twice by a double click (the server places one order anyway). */
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

    form.querySelectorAll("select[data-country]").forEach(function (select) {
      select.addEventListener("change", function () {
        refresh(select);
      });
    });
    form.querySelectorAll('input[name="shipping_saved"]').forEach(function (radio) {
      radio.addEventListener("change", function () {
        // A saved address in the country the page is priced for needs no new prices.
        if (radio.checked && radio.dataset.country && radio.dataset.country !== form.dataset.country) {
          refresh(radio);
        }
      });
    });
    form.querySelectorAll("input[data-reprice]").forEach(function (radio) {
      radio.addEventListener("change", function () {
        if (radio.checked) {
          refresh(radio);
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
