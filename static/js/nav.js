// The menu button of every page (templates/base.html): on narrow screens it shows and hides the links.
// Without this script the button stays hidden and the links stay visible (css/app.css).
(function () {
  const button = document.querySelector(".nav-toggle");
  const nav = button && document.getElementById(button.getAttribute("aria-controls"));
  if (!nav) return;
  const setOpen = (open) => button.setAttribute("aria-expanded", String(open));
  button.addEventListener("click", () => setOpen(button.getAttribute("aria-expanded") !== "true"));
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
      setOpen(false);
      button.focus();
    }
  });
})();
