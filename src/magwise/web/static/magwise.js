// magwise pages: the little behaviour that plain HTML and htmx do not give.
// Served from /static so that a Content-Security-Policy of script-src 'self' allows it.

// An amount field's text is selected when it gets focus (also when a picked food's
// row arrives with autofocus), so that typing "2" replaces the default "1".
document.addEventListener("focusin", (event) => {
  const field = event.target;
  if (field instanceof HTMLInputElement && field.name === "food_amount") {
    field.select();
  }
});
