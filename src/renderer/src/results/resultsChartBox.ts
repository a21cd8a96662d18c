import type { ChartBox } from '../charts/ChartFrame'

/** The results pane's charts (bars by label fraction, learning curves) share one size, so they line up. */
export const RESULTS_CHART_BOX: ChartBox = {
  width: 760,
  height: 300,
  margin: { top: 16, right: 16, bottom: 44, left: 56 },
}
