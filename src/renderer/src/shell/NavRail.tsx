import type { Route } from './route'

const ITEMS: { view: 'images' | 'train' | 'results' | 'jobs'; label: string; icon: string }[] = [
  { view: 'images', label: 'Images', icon: '▦' },
  { view: 'train', label: 'Train', icon: '◔' },
  { view: 'results', label: 'Results', icon: '▥' },
  { view: 'jobs', label: 'Jobs', icon: '≡' },
]

export function NavRail({
  route,
  activeJobs,
  onNavigate,
}: {
  route: Route
  activeJobs: number
  onNavigate: (r: Route) => void
}) {
  const current = route.view === 'image' ? 'images' : route.view === 'run' ? 'results' : route.view
  return (
    <nav className="nav-rail" aria-label="Sections">
      {ITEMS.map((item) => (
        <button
          key={item.view}
          type="button"
          className={item.view === current ? 'nav-item nav-item-active' : 'nav-item'}
          aria-current={item.view === current ? 'page' : undefined}
          onClick={() => onNavigate({ view: item.view })}
        >
          <span className="nav-icon" aria-hidden="true">
            {item.icon}
          </span>
          {item.label}
          {item.view === 'jobs' && activeJobs > 0 && <span className="badge-count">{activeJobs}</span>}
        </button>
      ))}
    </nav>
  )
}
