// Serve mode: the key of this server launch. The address the server prints carries it (`?key=…`); the
// page keeps it in this origin's storage, removes it from the address bar, and sends it with every call.

const STORAGE_KEY = 's4mi.serveKey'

/** Keeps a key given in the address (then removes it from the address bar) and returns the key to use. */
export function serveKey(): string | null {
  const url = new URL(window.location.href)
  const given = url.searchParams.get('key')
  if (given) {
    localStorage.setItem(STORAGE_KEY, given)
    url.searchParams.delete('key')
    history.replaceState(history.state, '', url.pathname + url.search + url.hash)
  }
  return localStorage.getItem(STORAGE_KEY)
}

export function keepServeKey(key: string): void {
  localStorage.setItem(STORAGE_KEY, key)
}

export function forgetServeKey(): void {
  localStorage.removeItem(STORAGE_KEY)
}
