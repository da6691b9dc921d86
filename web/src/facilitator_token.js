// facilitator_token.js - the facilitator's token, kept in this tab's sessionStorage: never in
// the URL or a shared link, gone when the tab closes. The sketch editor and the scenario
// builder ask for it once and share it.

const TOKEN_KEY = 'cityatlas-facilitator-token';
const TOKEN_FORMAT = /^cat_[A-Za-z0-9_-]{20,}$/;

export function facilitatorToken() {
  return sessionStorage.getItem(TOKEN_KEY) || '';
}

// Keeps token when it has the form `cityatlas token create` prints; says whether it had.
export function setFacilitatorToken(token) {
  if (!TOKEN_FORMAT.test(token)) {
    return false;
  }
  sessionStorage.setItem(TOKEN_KEY, token);
  return true;
}

// The request headers of a facilitator's write (JSON body when isJson).
export function facilitatorHeaders(isJson) {
  const headers = { Authorization: `Bearer ${facilitatorToken()}` };
  if (isJson) {
    headers['Content-Type'] = 'application/json';
  }
  return headers;
}
