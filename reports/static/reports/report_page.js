// Print and confirm buttons of the report page, without inline handlers (strict CSP).
document.querySelectorAll("[data-print]").forEach((button) => button.addEventListener("click", () => window.print()));
document.querySelectorAll("form[data-confirm]").forEach((form) =>
  form.addEventListener("submit", (event) => {
    if (!window.confirm(form.dataset.confirm)) event.preventDefault();
  }),
);
