// The verifier's key in this browser: made with WebCrypto (Ed25519), kept
// non-extractable in IndexedDB, only its public JWK ever sent; and signing a prepared
// sign-off's signing input with it, posting back the detached JWS (protected..signature).
"use strict";

(function () {
  const DATABASE = "scenic-carbon-review";
  const STORE = "keys";
  const ENTRY = "verifier";

  function database() {
    return new Promise((resolve, reject) => {
      const opening = indexedDB.open(DATABASE, 1);
      opening.onupgradeneeded = () => opening.result.createObjectStore(STORE);
      opening.onsuccess = () => resolve(opening.result);
      opening.onerror = () => reject(opening.error);
    });
  }

  async function stored(mode, act) {
    const db = await database();
    return new Promise((resolve, reject) => {
      const request = act(db.transaction(STORE, mode).objectStore(STORE));
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  const loadPair = () => stored("readonly", (store) => store.get(ENTRY));
  const savePair = (pair) => stored("readwrite", (store) => store.put(pair, ENTRY));

  function base64url(bytes) {
    let text = "";
    new Uint8Array(bytes).forEach((byte) => { text += String.fromCharCode(byte); });
    return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  // As the server shows it: the first 16 hex digits of SHA-256 over the raw public key.
  async function fingerprint(publicKey) {
    const raw = await crypto.subtle.exportKey("raw", publicKey);
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", raw));
    const hex = Array.from(digest.slice(0, 8), (b) => b.toString(16).padStart(2, "0"))
      .join("").toUpperCase();
    return hex.match(/.{4}/g).join(" ");
  }

  async function supported() {
    try {
      await crypto.subtle.generateKey({ name: "Ed25519" }, false, ["sign", "verify"]);
      return true;
    } catch (error) {
      return false;
    }
  }

  async function showFingerprint() {
    const shown = document.querySelector("[data-review-fingerprint]");
    const pair = await loadPair();
    if (shown && pair) shown.textContent = await fingerprint(pair.publicKey);
  }

  function registering(form) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const pair = await crypto.subtle.generateKey({ name: "Ed25519" }, false, ["sign", "verify"]);
      const jwk = await crypto.subtle.exportKey("jwk", pair.publicKey);
      form.elements.jwk.value = JSON.stringify({ kty: jwk.kty, crv: jwk.crv, x: jwk.x });
      await savePair(pair);
      form.submit();
    });
    form.hidden = false;
  }

  function signing(form) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const pair = await loadPair();
      if (!pair) {
        document.querySelector("[data-review-sign-error]").hidden = false;
        return;
      }
      const input = new TextEncoder().encode(form.dataset.signingInput);
      const signature = await crypto.subtle.sign({ name: "Ed25519" }, pair.privateKey, input);
      form.elements.jws.value = form.dataset.protected + ".." + base64url(signature);
      form.submit();
    });
    form.hidden = false;
  }

  async function start() {
    if (!window.crypto || !crypto.subtle || !window.indexedDB || !(await supported())) {
      const unsupported = document.querySelector("[data-review-unsupported]");
      if (unsupported) unsupported.hidden = false;
      return;
    }
    await showFingerprint();
    const register = document.querySelector("[data-review-register]");
    if (register) registering(register);
    const sign = document.querySelector("[data-review-sign]");
    if (sign) signing(sign);
  }

  start();
})();
