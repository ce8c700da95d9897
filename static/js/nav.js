// The main menu on narrow screens: a button that shows and hides the links (aria-expanded).
// Without this script the button stays hidden and the links are an ordinary wrapped list.
(() => {
  const nav = document.querySelector(".nav[data-collapsible]");
  const button = nav && nav.querySelector(".nav-toggle");
  if (!button) return;

  const setOpen = (open) => {
    button.setAttribute("aria-expanded", String(open));
    nav.classList.toggle("nav-open", open);
  };

  nav.classList.add("nav-collapsible");
  button.hidden = false;
  setOpen(false);
  button.addEventListener("click", () => setOpen(button.getAttribute("aria-expanded") !== "true"));
  // Escape closes the open menu from anywhere inside it and puts focus back on the button.
  nav.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && nav.classList.contains("nav-open")) {
      setOpen(false);
      button.focus();
    }
  });
})();
