// The search page only: Pagefind's interface over the index the build wrote.
window.addEventListener("DOMContentLoaded", () => {
  const box = document.getElementById("search");
  // Pagefind's field has a placeholder but no label; give it one a screen reader announces.
  const label = () => {
    const input = box.querySelector("input");
    if (input && !input.hasAttribute("aria-label")) {
      input.setAttribute("aria-label", "Search the explainers");
    }
  };
  new MutationObserver(label).observe(box, { childList: true, subtree: true });
  new PagefindUI({ element: "#search", showSubResults: true, showImages: false });
  label();
});
