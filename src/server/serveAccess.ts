import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { WS_TOKEN_PREFIX } from '../shared/serveProtocol'
/** Shortest shared password a lab-server operator may set. */
export const MIN_PASSWORD_LENGTH = 12

const FAILURES_BEFORE_DELAY = 5
const MAX_TOKENS = 1000

function newKey(): string {
  return randomBytes(32).toString('base64url')
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest()
}

/** Compares without leaking, through timing, how much of a guess was right. */
function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b))
}

/**
 * Who may use the serve-mode API. On this machine (loopback) the server makes one secret per launch and
 * prints it in its URL; the page keeps it and sends it on every call. As a lab server (`--allow-network`)
 * the operator sets a shared password: people sign in with it and get a key for this launch.
 */
export class ServeAccess {
  /** The per-launch key printed in the URL (null in password mode: nobody gets in without the password). */
  readonly launchKey: string | null
  private readonly password: string | null
  private readonly issued = new Set<string>()
  private readonly failures = new Map<string, { count: number; last: number }>()

  constructor(options: { password?: string | null; launchKey?: string } = {}) {
    const password = options.password ?? null
    if (password !== null && password.length < MIN_PASSWORD_LENGTH)
      throw new Error(`The shared password must have at least ${MIN_PASSWORD_LENGTH} characters`)
    this.password = password
    this.launchKey = password === null ? (options.launchKey ?? newKey()) : null
  }

  get needsPassword(): boolean {
    return this.password !== null
  }

  /** True when `key` is this launch's key or one handed out at sign-in. */
  allows(key: string | undefined | null): boolean {
    if (!key || key.length > 200) return false
    let ok = this.launchKey !== null && sameSecret(key, this.launchKey)
    for (const t of this.issued) ok = sameSecret(key, t) || ok
    return ok
  }

  /**
   * Checks a sign-in. Returns a fresh key, or null. After a few wrong guesses from one address each
   * further attempt waits (1 s, 2 s, … up to 30 s), so the password cannot be guessed quickly.
   */
  async signIn(password: unknown, from: string): Promise<string | null> {
    const f = this.failures.get(from)
    if (f && f.count >= FAILURES_BEFORE_DELAY) {
      const wait = Math.min(30_000, 1000 * 2 ** (f.count - FAILURES_BEFORE_DELAY))
      await new Promise((r) => setTimeout(r, wait))
    }
    if (this.password === null || typeof password !== 'string' || !sameSecret(password, this.password)) {
      this.failures.set(from, { count: (f?.count ?? 0) + 1, last: Date.now() })
      return null
    }
    this.failures.delete(from)
    if (this.issued.size >= MAX_TOKENS) this.issued.delete(this.issued.values().next().value as string)
    const key = newKey()
    this.issued.add(key)
    return key
  }
}

/** The key a WebSocket offered among its subprotocols, if any. */
export function keyFromProtocols(header: string | undefined): string | null {
  for (const p of (header ?? '').split(',').map((s) => s.trim()))
    if (p.startsWith(WS_TOKEN_PREFIX)) return p.slice(WS_TOKEN_PREFIX.length)
  return null
}
