// Before/after slider: the range input moves the clip of the "after" photo (no library).
document.querySelectorAll("[data-compare-slider]").forEach((box) => {
  const range = box.querySelector("input[type=range]");
  const apply = () => box.style.setProperty("--split", `${range.value}%`);
  range.addEventListener("input", apply);
  apply();
});
