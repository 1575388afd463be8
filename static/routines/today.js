// One-tap completion: POST the step with the CSRF token and update the row in place.
// Without JavaScript the same form posts normally and the page reloads.
document.addEventListener("submit", async (event) => {
  const form = event.target.closest("form.js-complete");
  if (!form) return;
  event.preventDefault();
  const button = form.querySelector("button");
  button.disabled = true;
  try {
    const response = await fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json", "X-CSRFToken": form.querySelector("[name=csrfmiddlewaretoken]").value },
      credentials: "same-origin",
    });
    const data = await response.json();
    if (!response.ok) throw new Error(data.detail || "Could not save");
    form.closest("li").classList.add("done");
    button.setAttribute("aria-pressed", "true");
    const card = form.closest("[data-routine]");
    const count = card && card.querySelector("[data-done]");
    if (count) count.textContent = data.completed;
  } catch (err) {
    button.disabled = false;
    form.submit();  // fall back to the plain form post
  }
});
