/*
 * Translation tabs of the admin forms.
 *
 * The admin shows each language's fields in a fieldset of its own (class "rustok-translation",
 * headed by the language's name). Sibling fieldsets of that kind become one tab bar
 * ("English | Русский") with a panel per language. Without this script the fieldsets stay
 * stacked, each under its heading, and the form works the same.
 *
 * A tab whose panel holds an error is marked and opened first; otherwise the language chosen
 * last (kept for the browser tab's session) is opened. Arrow keys, Home and End move between
 * tabs.
 */
(function () {
  "use strict";

  var STORAGE_KEY = "rustok.translationTab";

  function languageOf(fieldset) {
    var match = /(?:^|\s)rustok-lang-([\w-]+)/.exec(fieldset.className);
    return match ? match[1] : "";
  }

  function remembered() {
    try {
      return window.sessionStorage.getItem(STORAGE_KEY) || "";
    } catch (error) {
      return "";
    }
  }

  function remember(language) {
    try {
      window.sessionStorage.setItem(STORAGE_KEY, language);
    } catch (error) {
      /* Storage refused (private mode, quota): the choice is simply not kept. */
    }
  }

  /* Runs of sibling translation fieldsets: each run is one tab bar. */
  function groups(root) {
    var runs = [];
    var run = null;
    var previous = null;
    root.querySelectorAll("fieldset.rustok-translation").forEach(function (fieldset) {
      if (run === null || fieldset.previousElementSibling !== previous) {
        run = [];
        runs.push(run);
      }
      run.push(fieldset);
      previous = fieldset;
    });
    return runs;
  }

  function hasErrors(fieldset) {
    return fieldset.querySelector(".errorlist, .errors") !== null;
  }

  function build(fieldsets, group) {
    var bar = document.createElement("div");
    bar.className = "rustok-tabs";
    bar.setAttribute("role", "tablist");

    var tabs = fieldsets.map(function (fieldset, index) {
      var heading = fieldset.querySelector(":scope > .fieldset-heading, :scope > h2");
      var tab = document.createElement("button");
      tab.type = "button";
      tab.className = "rustok-tab";
      tab.id = "rustok-tab-" + group + "-" + index;
      tab.setAttribute("role", "tab");
      tab.textContent = heading ? heading.textContent.trim() : languageOf(fieldset);
      tab.setAttribute("data-language", languageOf(fieldset));
      if (!fieldset.id) {
        fieldset.id = "rustok-panel-" + group + "-" + index;
      }
      tab.setAttribute("aria-controls", fieldset.id);
      fieldset.setAttribute("role", "tabpanel");
      fieldset.setAttribute("aria-labelledby", tab.id);
      fieldset.classList.add("rustok-tabbed");
      if (hasErrors(fieldset)) {
        tab.classList.add("rustok-tab-errors");
      }
      bar.appendChild(tab);
      return tab;
    });
    fieldsets[0].parentNode.insertBefore(bar, fieldsets[0]);

    function select(position, focus) {
      tabs.forEach(function (tab, index) {
        var selected = index === position;
        tab.setAttribute("aria-selected", selected ? "true" : "false");
        tab.tabIndex = selected ? 0 : -1;
        fieldsets[index].hidden = !selected;
      });
      if (focus) {
        tabs[position].focus();
      }
    }

    bar.addEventListener("click", function (event) {
      var position = tabs.indexOf(event.target.closest(".rustok-tab"));
      if (position >= 0) {
        select(position, false);
        remember(tabs[position].getAttribute("data-language"));
      }
    });

    bar.addEventListener("keydown", function (event) {
      var current = tabs.indexOf(document.activeElement);
      var moves = { ArrowRight: current + 1, ArrowLeft: current - 1, Home: 0, End: tabs.length - 1 };
      if (current < 0 || !(event.key in moves)) {
        return;
      }
      event.preventDefault();
      var next = (moves[event.key] + tabs.length) % tabs.length;
      select(next, true);
      remember(tabs[next].getAttribute("data-language"));
    });

    var first = tabs.findIndex(function (tab) {
      return tab.classList.contains("rustok-tab-errors");
    });
    if (first < 0) {
      var language = remembered();
      first = tabs.findIndex(function (tab) {
        return tab.getAttribute("data-language") === language;
      });
    }
    select(Math.max(first, 0), false);
  }

  function init() {
    groups(document).forEach(build);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
