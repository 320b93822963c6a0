// Loaded by index.html (a file, not an inline script, so the Content-Security-Policy can
// allow scripts from the server only).
// Seven bundles, so each page downloads only its own code (a resident opening a ballot
// link on a phone downloads neither the editor nor the committee's pages): the ballot
// (#/ballot…), the committee's pages (#/consult/committee…), a consultation's results and
// printable sheet (#/consult/{id}/results, …/sheet), the other consultation pages
// (#/consult…), the comparison of drafts (#/compare), the sun and shade of a draft
// (#/sun) and the editor (everything else).
// The table is plotwise_api::routes::BUNDLES (crates/api/src/routes.rs), the one the pages
// and the server read; a test in web/src/routes.rs fails when this line differs from it.
// "*" stands for any one segment.
const BUNDLES = [[["ballot"],"ballot"],[["consult","committee"],"committee"],[["consult","*","results"],"results"],[["consult","*","sheet"],"results"],[["consult"],"consult"],[["compare"],"compare"],[["sun"],"sun"]];
const bundleFor = (hash) => {
  const parts = hash.replace(/^#/, "").split("/").filter((s) => s !== "");
  const row = BUNDLES.find(([prefix]) =>
    prefix.length <= parts.length && prefix.every((s, i) => s === "*" || parts[i] === s));
  return row ? row[1] : "editor";
};
const bundle = bundleFor(location.hash);
window.addEventListener("hashchange", () => {
  if (bundleFor(location.hash) !== bundle) location.reload();
});
// A resident's ballot link (#/ballot/{token}): the ballot is asked for now too, while the
// code downloads, and handed to the app (consult/ballot.rs), which asks itself if this did
// not work. The request is the app's own: POST /api/ballot-page with the token.
const parts = location.hash.replace(/^#/, "").split("/").filter((s) => s !== "");
if (bundle === "ballot" && parts.length === 2) {
  const token = parts[1];
  window.plotwiseEarlyBallot = {
    token,
    answer: fetch("/api/ballot-page", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ token }),
    }),
  };
}
// The wasm is asked for now, beside its JS glue rather than after it: on a slow phone
// network that saves a round trip before the biggest download starts.
const wasm = fetch(`/plotwise_${bundle}_bg.wasm`);
import(`/plotwise_${bundle}.js`)
  .then((m) => m.default({ module_or_path: wasm }))
  .catch((e) => {
    document.getElementById("loading").textContent =
      "无法加载应用 / The app failed to load: " + e;
  });
