// Loaded by index.html (a file, not an inline script, so the Content-Security-Policy can
// allow scripts from the server only).
// Five bundles, so each page downloads only its own code (a resident opening a ballot
// link on a phone downloads neither the editor nor the committee's pages): the ballot
// (#/ballot…), the committee's pages (#/consult/committee…), the other consultation pages
// (#/consult…), the comparison of drafts (#/compare) and the editor (everything else).
const bundleFor = (hash) =>
  /^#\/ballot(\/|$)/.test(hash) ? "ballot"
    : /^#\/consult\/committee(\/|$)/.test(hash) ? "committee"
    : /^#\/consult(\/|$)/.test(hash) ? "consult"
    : /^#\/compare(\/|$)/.test(hash) ? "compare"
    : "editor";
const bundle = bundleFor(location.hash);
window.addEventListener("hashchange", () => {
  if (bundleFor(location.hash) !== bundle) location.reload();
});
import(`/plotwise_${bundle}.js`)
  .then((m) => m.default(`/plotwise_${bundle}_bg.wasm`))
  .catch((e) => {
    document.getElementById("loading").textContent =
      "无法加载应用 / The app failed to load: " + e;
  });
