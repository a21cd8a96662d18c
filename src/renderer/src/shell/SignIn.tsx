import { useEffect, useState, type FormEvent, type ReactNode } from 'react'
import { SIGN_IN_PATH, TOKEN_HEADER } from '../../../shared/serveProtocol'
import { forgetServeKey, keepServeKey, serveKey } from '../api/serveKey'

type Access = 'verifying' | 'checking' | 'ready' | 'password' | 'needs-address'

/**
 * Serve mode only: shows the app once the page holds a key. On a lab server people sign in with the
 * operator's password; on one machine the key comes with the address the server printed.
 */
export function SignIn({ children }: { children: ReactNode }) {
  const [access, setAccess] = useState<Access>(() => (serveKey() ? 'verifying' : 'checking'))
  const [password, setPassword] = useState('')
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    if (access !== 'verifying') return
    // A key kept from an earlier launch of the server no longer opens it.
    void fetch('/api/app.status', {
      method: 'POST',
      headers: { 'content-type': 'application/json', [TOKEN_HEADER]: serveKey() ?? '' },
      body: '{}',
    })
      .then(async (r) => {
        await r.text()
        if (r.status === 401) forgetServeKey()
        setAccess(r.status === 401 ? 'checking' : 'ready')
      })
      .catch(() => setAccess('ready'))
  }, [access])

  useEffect(() => {
    if (access !== 'checking') return
    void fetch(SIGN_IN_PATH)
      .then((r) => r.json() as Promise<{ password: boolean }>)
      .then((r) => setAccess(r.password ? 'password' : 'needs-address'))
      .catch(() => setAccess('needs-address'))
  }, [access])

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setError(null)
    const res = await fetch(SIGN_IN_PATH, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ password }),
    })
    const body = (await res.json()) as { ok: boolean; result?: { key: string }; error?: { message: string } }
    if (body.ok && body.result) {
      keepServeKey(body.result.key)
      setAccess('ready')
    } else setError(body.error?.message ?? 'Sign-in failed')
  }

  if (access === 'ready') return <>{children}</>
  return (
    <div className="app-loading">
      <div className="brand">S4MI Studio</div>
      {(access === 'checking' || access === 'verifying') && <p className="muted">Starting…</p>}
      {access === 'needs-address' && (
        <p className="form-error" role="alert">
          This page needs the address the server printed when it started (it carries a key for this launch).
          Open that address.
        </p>
      )}
      {access === 'password' && (
        <form className="inline-form" onSubmit={(e) => void submit(e)}>
          <input
            type="password"
            aria-label="Server password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            placeholder="Password"
          />
          <button type="submit" className="button">
            Sign in
          </button>
          {error && (
            <p className="form-error" role="alert">
              {error}
            </p>
          )}
        </form>
      )}
    </div>
  )
}
