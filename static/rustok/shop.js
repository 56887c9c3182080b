// The shop's lists. The filters are a <details>, folded on narrow screens (the products first) and
// opened here on wide ones. A filter's checkbox applies as soon as it changes (the page says so
// before the filters; the Apply button does the same without JavaScript), and the focus comes
// back to that checkbox on the new page, so a keyboard goes on from where it was. The sort select
// does not send anything on change (arrow keys would reload the page at each option): its Sort
// button does. Empty price bounds are left out of the address.
document.addEventListener("DOMContentLoaded", () => {
  const KEY = "rustok-shop-focus";
  const panel = document.querySelector("details[data-filters-panel]");
  if (panel && window.matchMedia) {
    const wide = window.matchMedia("(min-width: 48rem)");
    if (wide.matches) panel.open = true;
    wide.addEventListener("change", () => {
      if (wide.matches) panel.open = true;
    });
  }
  const form = document.querySelector("form[data-apply-on-change]");
  if (!form) return;
  const hint = form.querySelector("[data-apply-hint]");
  if (hint) hint.hidden = false;
  const bounds = () => {
    for (const input of form.querySelectorAll("input[type=number]")) input.disabled = !input.value;
  };
  form.addEventListener("change", (event) => {
    const box = event.target;
    if (box.type !== "checkbox") return;
    try {
      window.sessionStorage.setItem(KEY, box.name + "=" + box.value);
    } catch (error) {
      /* storage refused: the list still updates, the focus starts at the top */
    }
    bounds();
    form.submit();
  });
  form.addEventListener("submit", bounds);
  let focused = null;
  try {
    focused = window.sessionStorage.getItem(KEY);
    window.sessionStorage.removeItem(KEY);
  } catch (error) {
    focused = null;
  }
  if (focused) {
    const box = Array.from(form.querySelectorAll("input[type=checkbox]")).find(
      (input) => input.name + "=" + input.value === focused,
    );
    if (box) {
      if (panel) panel.open = true;
      box.focus();
    }
  }
});
