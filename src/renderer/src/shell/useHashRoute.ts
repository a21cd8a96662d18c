import { useCallback, useEffect, useState } from 'react'
import { formatRoute, parseRoute, type Route } from './route'

/** The current route from location.hash, and a navigate that pushes a history entry (Back works). */
export function useHashRoute(): [Route, (r: Route) => void] {
  const [route, setRoute] = useState<Route>(() => parseRoute(window.location.hash))
  useEffect(() => {
    const onHash = () => setRoute(parseRoute(window.location.hash))
    window.addEventListener('hashchange', onHash)
    return () => window.removeEventListener('hashchange', onHash)
  }, [])
  const navigate = useCallback((r: Route) => {
    window.location.hash = formatRoute(r)
  }, [])
  return [route, navigate]
}
