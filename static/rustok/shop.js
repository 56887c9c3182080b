// The shop's lists: filters and sorting apply as soon as they change (the Apply and Sort buttons
// do the same without JavaScript). Empty price bounds are left out of the address.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form[data-apply-on-change]");
  if (!form) return;
  const apply = () => {
    for (const input of form.querySelectorAll("input[type=number]")) input.disabled = !input.value;
    form.submit();
  };
  form.addEventListener("change", (event) => {
    if (event.target.type === "checkbox") apply();
  });
  const sort = document.querySelector("select[form='" + form.id + "']");
  if (sort) sort.addEventListener("change", apply);
  form.addEventListener("submit", () => {
    for (const input of form.querySelectorAll("input[type=number]")) input.disabled = !input.value;
  });
});
