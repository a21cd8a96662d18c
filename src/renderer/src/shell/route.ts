// The app's places, kept in the URL hash so reloads and the E2E tests can land anywhere.

export type Route =
  | { view: 'images' }
  | { view: 'image'; imageId: number }
  | { view: 'train' }
  | { view: 'results' }
  | { view: 'jobs' }

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean)
  switch (parts[0]) {
    case 'image': {
      const imageId = Number(parts[1])
      return Number.isInteger(imageId) && imageId > 0 ? { view: 'image', imageId } : { view: 'images' }
    }
    case 'train':
    case 'results':
    case 'jobs':
      return { view: parts[0] }
    default:
      return { view: 'images' }
  }
}

export function formatRoute(route: Route): string {
  return route.view === 'image' ? `#/image/${route.imageId}` : `#/${route.view}`
}
