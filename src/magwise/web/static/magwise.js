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

// The questionnaire keeps its answers on the browser's back button. The
// back-forward cache keeps the whole page; a page that comes back without it gets
// its fields back from the browser, but not the food rows picked since it was
// served: those are remembered for this tab and fetched again, amounts and units too.
(() => {
  const form = document.getElementById("questionnaire");
  const list = document.getElementById("food-rows");
  if (!form || !list) return;
  const KEY = "magwise-questionnaire-foods";
  const save = () => {
    const rows = [...list.querySelectorAll("li.food-row")].map((row) => ({
      ndb: row.querySelector("input[name=food]").value,
      amount: row.querySelector("input[name=food_amount]").value,
      unit: row.querySelector("select[name=food_unit]").value,
    }));
    sessionStorage.setItem(KEY, JSON.stringify(rows));
  };
  form.addEventListener("submit", save);
  window.addEventListener("pagehide", save);
  const navigation = performance.getEntriesByType("navigation")[0];
  if (!navigation || navigation.type !== "back_forward" || list.children.length) return;
  let saved = [];
  try {
    saved = JSON.parse(sessionStorage.getItem(KEY) || "[]");
  } catch {
    return;
  }
  const lang = document.documentElement.lang;
  Promise.all(
    saved.map((food) =>
      fetch(`/partials/food-row?ndb=${encodeURIComponent(food.ndb)}&lang=${lang}`)
        .then((answer) => (answer.ok ? answer.text() : ""))
        .then((html) => [food, html]),
    ),
  ).then((rows) => {
    for (const [food, html] of rows) {
      const holder = document.createElement("template");
      holder.innerHTML = html;
      const row = holder.content.querySelector("li.food-row");
      if (!row) continue;
      row.querySelector("input[name=food_amount]").removeAttribute("autofocus");
      row.querySelector("input[name=food_amount]").value = food.amount;
      row.querySelector("select[name=food_unit]").value = food.unit;
      list.append(row);
      if (window.htmx) window.htmx.process(row);
    }
  });
})();

// The food search is a combobox (WAI-ARIA's list autocomplete pattern): htmx puts the
// matching foods, a listbox of options, under it as one types; the focus stays in the
// search field. Down and Up move through the foods, Enter adds the one shown as
// chosen, Escape closes the list (a second Escape empties the field).
function foodList(box) {
  const list = document.getElementById(box.getAttribute("aria-controls"));
  const options = list ? Array.from(list.querySelectorAll('[role="option"]')) : [];
  return { list, options };
}

function choose(box, options, index) {
  options.forEach((option, i) => option.setAttribute("aria-selected", String(i === index)));
  if (index < 0) {
    box.removeAttribute("aria-activedescendant");
    return;
  }
  box.setAttribute("aria-activedescendant", options[index].id);
  options[index].scrollIntoView({ block: "nearest" });
}

function showList(box, open) {
  const { list, options } = foodList(box);
  if (list) list.hidden = !open;
  box.setAttribute("aria-expanded", String(open && options.length > 0));
  if (!open) choose(box, options, -1);
}

// New results (or none, once a food is picked): the list is open when it holds foods,
// and no food is chosen until the arrow keys choose one.
document.addEventListener("htmx:afterSettle", (event) => {
  document.querySelectorAll('input[role="combobox"]').forEach((box) => {
    const { list, options } = foodList(box);
    if (list === null || event.target.contains(list)) showList(box, options.length > 0);
    if (list !== null && event.target.contains(list)) choose(box, options, -1);
  });
});

document.addEventListener("keydown", (event) => {
  const box = event.target;
  if (!(box instanceof HTMLInputElement) || box.getAttribute("role") !== "combobox") return;
  const { options } = foodList(box);
  const open = box.getAttribute("aria-expanded") === "true";
  const current = options.findIndex((o) => o.id === box.getAttribute("aria-activedescendant"));
  if (event.key === "ArrowDown" || event.key === "ArrowUp") {
    if (options.length === 0) return;
    event.preventDefault();
    if (!open) showList(box, true);
    const last = options.length - 1;
    const down = event.key === "ArrowDown";
    const next = current < 0 ? (down ? 0 : last) : down ? (current + 1) % options.length
      : (current + last) % options.length;
    choose(box, options, next);
  } else if (event.key === "Enter" && open && current >= 0) {
    event.preventDefault();
    options[current].click();
  } else if (event.key === "Escape" && open) {
    event.preventDefault();
    showList(box, false);
  }
});

// A part of the page that scrolls sideways on a narrow screen (a wide chart or table)
// takes the keyboard's focus while it scrolls, so that the arrow keys scroll it too.
function focusScrollables() {
  document.querySelectorAll("main *").forEach((part) => {
    const style = getComputedStyle(part).overflowX;
    const scrolls = (style === "auto" || style === "scroll") && part.scrollWidth > part.clientWidth;
    if (scrolls && !part.hasAttribute("tabindex")) {
      part.tabIndex = 0;
      part.dataset.scrolls = "";
    } else if (!scrolls && "scrolls" in part.dataset) {
      part.removeAttribute("tabindex");
      delete part.dataset.scrolls;
    }
  });
}
document.addEventListener("DOMContentLoaded", focusScrollables);
window.addEventListener("load", focusScrollables);
window.addEventListener("resize", focusScrollables);
document.addEventListener("htmx:afterSettle", focusScrollables);
