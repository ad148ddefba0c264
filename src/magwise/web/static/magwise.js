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
